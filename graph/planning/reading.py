"""Run a plan as one statement and shape its answer for the API.

Each node row comes back as its properties, plus, under `PLANNED`, what its branches
found, filed by the response key that asked: `Found(pairs, total, window)`, the
(neighbour, relationship properties) pairs in id order as the neighbour reads give them.
The API's objects carry that along and their relation fields answer from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.browse import repository as browse
from graph.planning.cypher import Slot, slots, statement
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


def _found(numbered: Sequence[Slot], row: Mapping[str, Any]) -> dict[str, Found]:
    out = {}
    for slot in numbered:
        pairs: list[Pair] = []
        for item in row[slot.column]:
            far = dict(item["node"])
            if slot.below:
                far[PLANNED] = _found(slot.below, item)
            pairs.append((far, item["rel"] or {}))
        pairs.sort(key=_by_id)
        total = row.get(slot.count) if slot.branch.total else None
        out[slot.branch.key] = Found(
            pairs, None if total is None else int(total), slot.branch.window
        )
    return out


def _shaped(
    numbered: Sequence[Slot], node: Mapping[str, Any], row: Mapping[str, Any]
) -> dict[str, Any]:
    shaped = dict(node)
    if numbered:
        shaped[PLANNED] = _found(numbered, row)
    return shaped


def lookup(store: GraphStore, plan: Lookup) -> dict[str, Any] | None:
    """The node of `plan` with its branches' answers, or None if there is no such node."""
    text, params = statement(plan, store.backend)
    rows = store.read(text, params)
    if not rows:
        return None
    return _shaped(slots(plan.below), rows[0]["node"], rows[0])


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]  # up to the window's limit, in the list's order
    total: int | None  # when the plan asked for it


def listing(store: GraphStore, plan: Listing, search: str | None = None) -> Page:
    """The page of `plan`, its nodes with their branches' answers, in one statement; a
    text search first ranks ids with its own statements (graph.repositories.browse)."""
    if search is not None and search.strip():
        request = browse.ListRequest(label=plan.label, filters=plan.filters, search=search)
        ranked = browse.resolve(store, request).params["ranked"]
        if not ranked:
            return Page([], 0 if plan.total else None)
        plan = Listing(
            plan.label, plan.window, plan.filters, plan.order, plan.descending, ranked,
            plan.total, plan.below,
        )  # fmt: skip
    text, params = statement(plan, store.backend)
    row = store.read(text, params)[0]
    numbered = slots(plan.below)
    nodes = [_shaped(numbered, item["node"], item) for item in row["page"]]
    return Page(nodes, int(row["total"]) if plan.total else None)
