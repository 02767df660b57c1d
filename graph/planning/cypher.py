"""A plan as one statement: nested `CALL (x) { … RETURN collect(…) }` subqueries.

Settled by running the shapes on both engines (FalkorDB 4.16, Neo4j 5.26):
- CALL subqueries importing a variable run on both, nested to any depth (written as
  each engine wants them: graph/dialect.subquery); one ending in `collect` answers one
  row (an empty list) when nothing matches, so a node without neighbours keeps its row.
- Pattern comprehensions are not used: FalkorDB answered null for one nested inside a
  map inside another, and repeated rows for one inside a list comprehension.
- COLLECT {} and COUNT {} subqueries are Neo4j's only; counts are CALL subqueries too.
- Order: each level is sorted by the far node's id (`ORDER BY b.id`), as the API shows
  neighbours, and windowed there with SKIP/LIMIT, so a page reads only its rows;
  `collect` keeps the sorted order on both engines (the reader sorts again anyway).
Labels, types and property names come from schema/kinds.py; every value is a parameter.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graph import dialect
from graph.backends import Backend
from graph.planning.plan import Branch, Listing, Lookup, Root, Window
from schema.kinds import BY_LABEL, IN, LISTED, Shown


@dataclass(frozen=True)
class Slot:
    """A branch with its number in the statement: its list is column `k<n>`, its count
    `c<n>`, its parameters `k<n>_skip` and `k<n>_limit`."""

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


def _calls(
    backend: Backend, near: str, numbered: Sequence[Slot], params: dict[str, Any]
) -> tuple[str, list[str]]:
    """The subqueries answering `numbered` for the node `near`, and their columns."""
    texts: list[str] = []
    columns: list[str] = []
    for slot in numbered:
        text, added = _call(backend, near, slot, params)
        texts.append(text)
        columns += added
    return " ".join(texts), columns


def _call(backend: Backend, near: str, slot: Slot, params: dict[str, Any]) -> tuple[str, list[str]]:
    relation = slot.branch.described
    far, rel, column = f"b{slot.n}", f"r{slot.n}", slot.column
    left, right = ("<-", "-") if relation.direction is IN else ("-", "->")
    if relation.key is not None:  # the far id is a property of this node
        match = f"MATCH ({far}:{relation.far}) WHERE {far}.id = {near}.{relation.key}"
        carried, shown_rel = far, "{}"
    else:
        match = f"MATCH ({near}){left}[{rel}:{relation.type}]{right}({far}:{relation.far})"
        carried, shown_rel = f"{far}, {rel}", f"{rel} {{.*}}"
    text = f"{match} WITH {carried} ORDER BY {far}.id"
    window = slot.branch.window
    if window is not None:
        text += f" SKIP ${column}_skip LIMIT ${column}_limit"
        params[f"{column}_skip"] = window.offset
        params[f"{column}_limit"] = window.limit
    inner, below = _calls(backend, far, slot.below, params)
    if inner:
        text += " " + inner
    entries = [f"node: {node(far, relation.far)}", f"rel: {shown_rel}"]
    entries += [f"{c}: {c}" for c in below]
    text += f" RETURN collect({{{', '.join(entries)}}}) AS {column}"
    text = dialect.subquery(backend, near, text)
    columns = [column]
    if slot.branch.total:
        if relation.key is not None:
            pattern = f"MATCH ({far}:{relation.far}) WHERE {far}.id = {near}.{relation.key}"
        else:
            pattern = f"MATCH ({near}){left}[:{relation.type}]{right}(:{relation.far})"
        counted = f"{pattern} RETURN count(*) AS {slot.count}"
        text += " " + dialect.subquery(backend, near, counted)
        columns.append(slot.count)
    return text, columns


def statement(root: Root, backend: Backend = Backend.NEO4J) -> tuple[str, dict[str, Any]]:
    """The statement answering `root` and its parameters.

    A lookup answers no row when the id is unknown, else one: `node` and a column per
    branch. A listing answers one row: `page`, the page's nodes each with its branches'
    columns, and `total` when asked for.
    """
    params: dict[str, Any] = {}
    numbered = slots(root.below)
    calls, columns = _calls(backend, "n", numbered, params)
    if isinstance(root, Lookup):
        params["id"] = root.id
        shown = ", ".join([f"{node('n', root.label)} AS node", *columns])
        text = f"MATCH (n:{root.label} {{id: $id}}) "
        return f"{text}{calls + ' ' if calls else ''}RETURN {shown}", params
    return _listing(backend, root, calls, columns, params)


def _listing(
    backend: Backend, root: Listing, calls: str, columns: list[str], params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    used = {k: v for k, v in root.filters.items() if v is not None}
    names = frozenset(used)
    ranked = root.ranked is not None
    params.update(used)
    params["skip"], params["limit"] = root.window.offset, root.window.limit
    if ranked:
        params["ranked"] = list(root.ranked or [])
    body = listing.matching(root.label, filters=names, ranked=ranked)
    order = listing.ordered(root.label, order=root.order, descending=root.descending, ranked=ranked)
    entries = ", ".join([f"node: {node('n', root.label)}", *(f"{c}: {c}" for c in columns)])
    text = f"{body} {order} {calls + ' ' if calls else ''}WITH collect({{{entries}}}) AS page"
    if root.total:
        counted = dialect.subquery(backend, "", f"{body} RETURN count(n) AS total")
        text += f" {counted} RETURN page, total"
    else:
        text += " RETURN page"
    return text, params


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
    lookup and a list with every shown relation (pages counted), every filter, ranked or
    not, a lookup in FalkorDB's form; and one plan two levels deep. (Every relation two levels
    down for every kind made the lint, which is slow on long statements, time out.)"""
    for kind in LISTED:
        assert kind.listing is not None
        label, below = kind.label, _every(kind.label, 1)
        every = {f.name: "x" for f in kind.listing.filters}
        roots: dict[str, Root] = {
            "lookup": Lookup(label, "id", below),
            "list": Listing(label, Window(0, 1), every, total=True, below=below),
            "list,ranked": Listing(label, Window(0, 1), every, ranked=["id"], total=True),
        }
        for name, root in roots.items():
            yield f"{name}[{label}]", statement(root)[0]
        # the shape FalkorDB runs; Neo4j's analyser accepts it too, with a warning
        falkordb = statement(roots["lookup"], Backend.FALKORDB)[0]
        yield f"lookup[{label},{Backend.FALKORDB.value}]", falkordb
    deep = _every("Initiative", 2)[:2]  # workingGroups and topics, and theirs
    yield "lookup[Initiative,deep]", statement(Lookup("Initiative", "id", deep))[0]
