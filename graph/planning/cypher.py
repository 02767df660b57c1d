"""A plan as one statement, level by level: each relation selected is one subquery over
all the nodes of the level above.

The root's nodes are collected as `l0`; a relation below them is
`CALL (l0) { UNWIND l0 AS a MATCH (a)-[r:TYPE]->(b:Far) RETURN collect([a.id, b, r]) }`,
which also collects its distinct far nodes as the next level when something is selected
below it. A page of neighbours (a connection's `first`/`after`) is cut per node, sorted
by id, inside that subquery; its count is a subquery of its own. Settled by measuring
on both engines (FalkorDB 4.16, Neo4j 5.26), over the bench.api_http registry:
- A subquery per node (`CALL { WITH n MATCH … }` for each of 50 initiatives) cost
  FalkorDB 12-14 ms for the dashboard's page, more than the three statements it
  replaced (8-10 ms); one subquery per level costs it 8 ms. Neo4j answers both in
  11-12 ms, against 20-25 ms for the three statements.
- Pattern comprehensions are not used: FalkorDB answered null for one nested inside a
  map inside another, and repeated rows for one inside a list comprehension.
- COLLECT {} and COUNT {} subqueries are Neo4j's only; counts are CALL subqueries too.
- A subquery ending in `collect` answers one row (an empty list) when nothing matches,
  so the statement always answers one row. Its import is written as each engine wants
  it (graph/dialect.subquery).
A node is projected whole (`n {.*}`, derived properties blanked) or, when the plan names
them, as the properties its selection shows (`n {.id, .title}`): fewer values for the
engine to write and the client to read.
Labels, types and property names come from schema/kinds.py (the properties a plan names
are checked against the kind's model); every value is a parameter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graph import dialect
from graph.backends import Backend
from graph.browse import queries as listing
from graph.cypher.projection import node
from graph.planning.plan import Branch, Listing, Lookup, Root, Window
from schema.kinds import BY_LABEL, IN, LISTED, Shown


@dataclass(frozen=True)
class Slot:
    """A branch with its number in the statement: its list is column `k<n>`, its count
    `c<n>`, its window `k<n>_skip` to `k<n>_end`, its far nodes the level `l<n>`."""

    n: int
    branch: Branch
    below: tuple[Slot, ...]

    @property
    def column(self) -> str:
        return f"k{self.n}"

    @property
    def count(self) -> str:
        return f"c{self.n}"


def slots(branches: Sequence[Branch], counter: Iterator[int] | None = None) -> tuple[Slot, ...]:
    """Number branches in pre-order (the statement and the reader agree on it)."""
    counter = counter if counter is not None else itertools.count(1)
    out = []
    for branch in branches:
        n = next(counter)
        out.append(Slot(n, branch, slots(branch.below, counter)))
    return tuple(out)


def _levels(
    backend: Backend, parent: str, numbered: Sequence[Slot], params: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The subqueries answering `numbered` for every node of the list `parent`, theirs
    below them, and the columns they add."""
    texts: list[str] = []
    columns: list[str] = []
    for slot in numbered:
        more, added = _level(backend, parent, slot, params)
        texts += more
        columns += added
    return texts, columns


def _level(
    backend: Backend, parent: str, slot: Slot, params: dict[str, Any]
) -> tuple[list[str], list[str]]:
    relation, column = slot.branch.described, slot.column
    left, right = ("<-", "-") if relation.direction is IN else ("-", "->")
    if relation.key is not None:  # the far id is a property of this node
        match = f"MATCH (b:{relation.far}) WHERE b.id = a.{relation.key}"
        counted, carried, entry, shown_rel = match, "a, b", "[b]", "{}"
        unpack = "pair[0] AS b"
    else:
        match = f"MATCH (a){left}[r:{relation.type}]{right}(b:{relation.far})"
        counted = f"MATCH (a){left}[:{relation.type}]{right}(:{relation.far})"
        carried, entry, shown_rel = "a, b, r", "[b, r]", "r {.*}"
        unpack = "pair[0] AS b, pair[1] AS r"
    body = f"UNWIND {parent} AS a {match}"
    window = slot.branch.window
    if window is not None:  # each node's own window of neighbours, by id
        params[f"{column}_skip"] = window.offset
        params[f"{column}_end"] = window.offset + window.limit
        body += (
            f" WITH {carried} ORDER BY b.id"
            f" WITH a, collect({entry})[${column}_skip..${column}_end] AS shown"
            f" UNWIND shown AS pair WITH a, {unpack}"
        )
    far = node("b", relation.far, slot.branch.properties)
    returns = f"collect([a.id, {far}, {shown_rel}]) AS {column}"
    if slot.below:  # the next level: every neighbour found, once
        returns += f", collect(DISTINCT b) AS l{slot.n}"
    texts = [dialect.subquery(backend, parent, f"{body} RETURN {returns}")]
    columns = [column]
    if slot.branch.total:
        count = (
            f"UNWIND {parent} AS a {counted} WITH a, count(*) AS c "
            f"RETURN collect([a.id, c]) AS {slot.count}"
        )
        texts.append(dialect.subquery(backend, parent, count))
        columns.append(slot.count)
    if slot.below:
        more, added = _levels(backend, f"l{slot.n}", slot.below, params)
        texts += more
        columns += added
    return texts, columns


def statement(
    root: Root, backend: Backend = Backend.NEO4J, *, as_map: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The statement answering `root` and its parameters: one row, with `page` (the
    root's nodes: none or one for a lookup), a column per branch listing (parent id,
    neighbour, relationship properties) triples, one per counted branch listing
    (parent id, count) pairs, and `total` when a listing asks for it; with `as_map`, the
    same columns as one map in a column of that name."""
    params: dict[str, Any] = {}
    texts, columns = _levels(backend, "l0", slots(root.below), params)
    if isinstance(root, Lookup):
        params["id"] = root.id
        head = f"MATCH (n:{root.label} {{id: $id}}) WITH collect(n) AS l0"
    else:
        head, count = _listing(root, params)
        head += " WITH collect(n) AS l0"
        if root.total:
            texts.append(dialect.subquery(backend, "", f"{count} RETURN count(n) AS total"))
            columns.append("total")
    page = f"[n IN l0 | {node('n', root.label, root.properties)}]"
    if as_map is not None:
        entries = ", ".join([f"page: {page}", *(f"{c}: {c}" for c in columns)])
        return " ".join([head, *texts, f"RETURN {{{entries}}} AS {as_map}"]), params
    shown = ", ".join([f"{page} AS page", *columns])
    return " ".join([head, *texts, f"RETURN {shown}"]), params


_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def together(roots: Sequence[Root], backend: Backend) -> tuple[str, dict[str, Any]]:
    """One statement answering every root of an operation (where the engine reads them
    so, Capabilities.reads_combined): a CALL subquery per root, its parameters renamed
    apart (`r0_id`, `r1_id`: the planner's own names, never user text), one row with
    each root's answer as a map in column `r0`, `r1`..., the columns `statement` gives."""
    texts: list[str] = []
    params: dict[str, Any] = {}
    for n, root in enumerate(roots):
        text, own = statement(root, backend, as_map=f"r{n}")
        texts.append(dialect.subquery(backend, "", _PARAMETER.sub(rf"$r{n}_\1", text)))
        params.update({f"r{n}_{name}": value for name, value in own.items()})
    shown = ", ".join(f"r{n}" for n in range(len(roots)))
    return " ".join([*texts, f"RETURN {shown}"]), params


def _listing(root: Listing, params: dict[str, Any]) -> tuple[str, str]:
    """The page of a listing as `n`, in order, and the statement matching all of it."""
    used = {k: v for k, v in root.filters.items() if v is not None}
    ranked = root.ranked is not None
    params.update(used)
    params["skip"], params["limit"] = root.window.offset, root.window.limit
    if ranked:
        params["ranked"] = list(root.ranked or [])
    body = listing.matching(root.label, filters=frozenset(used), ranked=ranked)
    order = listing.ordered(root.label, order=root.order, descending=root.descending, ranked=ranked)
    return f"{body} {order}", body


def _every(label: str, depth: int) -> tuple[Branch, ...]:
    """A branch for every shown relation of `label`, `depth` levels down (for the lint)."""
    out = []
    for relation in BY_LABEL[label].relations:
        if relation.shown is Shown.HIDDEN:
            continue
        window = None if relation.shown is Shown.LIST else Window(0, 1)
        below = _every(relation.far, depth - 1) if depth > 1 else ()
        total = relation.shown is Shown.PAGE
        out.append(Branch(relation.name, label, relation.name, window, total, below))
    return tuple(out)


def variants() -> Iterator[tuple[str, str]]:
    """Representative planned statements, for the Cypher lint: for every listed kind a
    lookup and a list with every shown relation (pages counted), every filter and a
    count; a ranked list, FalkorDB's form, and a plan two levels deep. (More made the
    lint, which is slow on long statements, run out of time on a loaded machine.)"""
    for kind in LISTED:
        assert kind.listing is not None
        label, below = kind.label, _every(kind.label, 1)
        every = {f.name: "x" for f in kind.listing.filters}
        yield f"lookup[{label}]", statement(Lookup(label, "id", below))[0]
        root = Listing(label, Window(0, 1), every, total=True, below=below)
        yield f"list[{label}]", statement(root)[0]
    ranked = Listing("Initiative", Window(0, 1), ranked=["id"], total=True)
    yield "list[Initiative,ranked]", statement(ranked)[0]
    # the shape FalkorDB runs; Neo4j's analyser accepts it too, with a warning
    below = _every("Initiative", 1)
    falkordb = statement(Lookup("Initiative", "id", below), Backend.FALKORDB)[0]
    yield f"lookup[Initiative,{Backend.FALKORDB.value}]", falkordb
    deep = _every("Initiative", 2)[:2]  # workingGroups and topics, and theirs
    yield "lookup[Initiative,deep]", statement(Lookup("Initiative", "id", deep))[0]
    # the properties a selection shows, on the node and on its neighbours
    topics = Branch("topics", "Initiative", "topics", properties=frozenset({"id", "name_en"}))
    shown = Lookup("Initiative", "id", (topics,), frozenset({"id", "title"}))
    yield "lookup[Initiative,projected]", statement(shown)[0]
    # an operation's root fields in one statement (Neo4j): a lookup and a counted list
    page = Listing("Initiative", Window(0, 1), total=True, below=below)
    yield "together[Initiative]", together([Lookup("WorkingGroup", "id"), page], Backend.NEO4J)[0]
