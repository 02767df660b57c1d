"""Run a plan as one statement and shape its answer for the API.

Each node row comes back as its properties, plus, under `PLANNED`, what its branches
found, filed by the response key that asked: `Found(pairs, total, window)`, the
(neighbour, relationship properties) pairs in id order as the neighbour reads give them.
The API's objects carry that along and their relation fields answer from it.

The served API awaits the statement (`lookup_async`, `listing_async`: the store's async
client, so a waiting request holds no worker thread; an operation's root fields read
`Together`, in one read transaction on Neo4j) and shapes the answer on the loop;
`lookup` and `listing` are the same reads for blocking callers.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.browse import repository as browse
from graph.planning.cypher import Slot, slots, statement, together
from graph.planning.plan import Listing, Lookup, Window
from graph.store import GraphStore

# The key of a node row under which its branches' answers travel (never a property:
# property names are identifiers, this one is not).
PLANNED = "planned:"

Pair = tuple[dict[str, Any], dict[str, Any]]


@dataclass(frozen=True)
class Found:
    """What one branch found for one node: the pairs (the window's when `window` is
    set), and the count of all when asked for."""

    pairs: list[Pair]
    total: int | None
    window: Window | None


def _by_id(pair: Pair) -> str:
    return str(pair[0]["id"])


# slot number -> (parent id -> its pairs, parent id -> its count)
Groups = dict[int, tuple[dict[str, list[Pair]], dict[str, int]]]


def _groups(numbered: Sequence[Slot], row: Mapping[str, Any], into: Groups) -> Groups:
    """Each slot's (parent id, neighbour, relationship) triples grouped by parent."""
    for slot in numbered:
        pairs: dict[str, list[Pair]] = defaultdict(list)
        for parent, far, rel in row[slot.column]:
            pairs[parent].append((far, rel or {}))
        counts = {p: int(c) for p, c in row[slot.count]} if slot.branch.total else {}
        into[slot.n] = (pairs, counts)
        _groups(slot.below, row, into)
    return into


def _shaped(numbered: Sequence[Slot], node: Mapping[str, Any], groups: Groups) -> dict[str, Any]:
    """A node's row with what its branches found under PLANNED, to any depth (a row
    without branches is the reply's own map: each neighbour comes in a map of its own)."""
    if not numbered and type(node) is dict:
        return node
    shaped = dict(node)
    if numbered:
        found = {}
        for slot in numbered:
            by_parent, counts = groups[slot.n]
            found_pairs = by_parent.get(node["id"], [])
            if slot.below:
                pairs = [(_shaped(slot.below, f, groups), r) for f, r in found_pairs]
            else:  # a neighbour with no branches is its own map (as _shaped makes it)
                pairs = [(f if type(f) is dict else dict(f), r) for f, r in found_pairs]
            pairs.sort(key=_by_id)
            total = counts.get(node["id"], 0) if slot.branch.total else None
            found[slot.branch.key] = Found(pairs, total, slot.branch.window)
        shaped[PLANNED] = found
    return shaped


def _nodes(plan: Lookup | Listing, row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The root's nodes of the statement's row, shaped."""
    numbered = slots(plan.below)
    groups = _groups(numbered, row, {})
    return [_shaped(numbered, node, groups) for node in row["page"]]


def _row(store: GraphStore, plan: Lookup | Listing) -> Mapping[str, Any]:
    return store.read(*statement(plan, store.backend))[0]


class Together:
    """The planned reads of one operation, sent to the engine together: every root field
    that asks in the same turn of the event loop (graphql-core starts a query's root
    fields at once) joins one `read_together_async` (side by side on FalkorDB), or one
    statement where the engine reads them so (`cypher.together`: a dashboard's two root
    fields are one statement on Neo4j). Awaited: a waiting request holds no thread."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._waiting: list[tuple[Lookup | Listing, asyncio.Future[Mapping[str, Any]]]] = []
        self._sending: set[asyncio.Task[None]] = set()

    async def row(self, plan: Lookup | Listing) -> Mapping[str, Any]:
        """The statement's one row for `plan`."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Mapping[str, Any]] = loop.create_future()
        self._waiting.append((plan, answer))
        if len(self._waiting) == 1:  # the first of this turn sends the turn's reads
            loop.call_soon(self._send_soon)
        return await answer

    def _send_soon(self) -> None:
        task = asyncio.ensure_future(self._send())
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self) -> None:
        waiting, self._waiting = self._waiting, []
        backend = self.store.backend
        try:
            if backend.can.reads_combined and len(waiting) > 1:
                row = (await self.store.read_async(*together([p for p, _ in waiting], backend)))[0]
                rows = [[row[f"r{n}"]] for n in range(len(waiting))]
            else:
                reads = [statement(plan, backend) for plan, _ in waiting]
                rows = await self.store.read_together_async(reads)
        except BaseException as exc:
            for _, answer in waiting:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for (_, answer), found in zip(waiting, rows, strict=True):
            if not answer.done():
                answer.set_result(found[0])


def _first(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    return nodes[0] if nodes else None


def lookup(store: GraphStore, plan: Lookup) -> dict[str, Any] | None:
    """The node of `plan` with its branches' answers, or None if there is no such node."""
    return _first(_nodes(plan, _row(store, plan)))


async def lookup_async(reads: Together, plan: Lookup) -> dict[str, Any] | None:
    """`lookup` on the store's async client, with the operation's other planned reads."""
    return _first(_nodes(plan, await reads.row(plan)))


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]  # up to the window's limit, in the list's order
    total: int | None  # when the plan asked for it


def _page(plan: Listing, row: Mapping[str, Any]) -> Page:
    return Page(_nodes(plan, row), int(row["total"]) if plan.total else None)


def nothing(plan: Listing) -> Page:
    """The page of a list whose search found nothing."""
    return Page([], 0 if plan.total else None)


def ranked(store: GraphStore, plan: Listing, search: str | None) -> Listing | None:
    """`plan` narrowed to what a text search ranks, in its order (the search's own
    statements, graph.browse.repository), or None when it finds nothing; `plan` as it is
    without a search."""
    if search is None or not search.strip():
        return plan
    request = browse.ListRequest(label=plan.label, filters=plan.filters, search=search)
    ids = browse.resolve(store, request).params["ranked"]
    if not ids:
        return None
    return Listing(
        plan.label, plan.window, plan.filters, plan.order, plan.descending, ids,
        plan.total, plan.below, plan.properties,
    )  # fmt: skip


def listing(store: GraphStore, plan: Listing, search: str | None = None) -> Page:
    """The page of `plan`, its nodes with their branches' answers, in one statement; a
    text search first ranks ids with its own statements (`ranked`)."""
    narrowed = ranked(store, plan, search)
    if narrowed is None:
        return nothing(plan)
    return _page(narrowed, _row(store, narrowed))


async def listing_async(reads: Together, plan: Listing) -> Page:
    """`listing` of a plan already `ranked`, on the store's async client, with the
    operation's other planned reads."""
    return _page(plan, await reads.row(plan))
