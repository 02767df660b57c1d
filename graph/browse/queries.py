"""Paged, filtered, ordered lists of any registry label, built from fixed fragments.

A list statement is `MATCH (n:Label)` (or, with a text search, the full-text ranking
unwound as `$ranked` ids) extended by the relationship filters the caller uses as
patterns of the same MATCH, then a WHERE of property filters, and ORDER BY a sortable
field. Only fragment choice varies; every value is a parameter.

Relationship filters are MATCH patterns, not WHERE predicates, on purpose: anchored on
an indexed id they let the engine start from that node (FalkorDB measured 200 ms as a
WHERE pattern against 1 ms as a MATCH pattern over 10,000 initiatives).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from schema.kinds import LISTED, Direction, Filter, Kind


@dataclass(frozen=True)
class ListSpec:
    label: str
    sortable: tuple[str, ...]
    default_order: str
    where: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)

    @property
    def filters(self) -> frozenset[str]:
        return frozenset(self.where) | frozenset(self.patterns)


def _pattern(kind: Kind, item: Filter) -> str:
    """`(n)<-[:TRACKS]-(:WorkingGroup {id: $working_group})` from the filter's relation."""
    relation = kind.relation(item.via or "")
    left, right = ("<-", "-") if relation.direction is Direction.IN else ("-", "->")
    return f"(n){left}[:{relation.type}]{right}(:{relation.far} {{{item.key}: ${item.name}}})"


def _predicate(item: Filter) -> str:
    if item.values is not None:
        return f"n.{item.property} IN ${item.name}"
    return f"n.{item.property} = ${item.name}"


def spec(kind: Kind) -> ListSpec:
    """A kind's list statement fragments, from its description."""
    assert kind.listing is not None
    listing = kind.listing
    return ListSpec(
        kind.label,
        listing.sortable,
        listing.default_order,
        where={f.name: _predicate(f) for f in listing.filters if f.via is None},
        patterns={f.name: _pattern(kind, f) for f in listing.filters if f.via is not None},
    )


SPECS: dict[str, ListSpec] = {kind.label: spec(kind) for kind in LISTED}


def _body(spec: ListSpec, filters: frozenset[str], *, ranked: bool) -> str:
    """MATCH with the pattern filters, DISTINCT if any, and WHERE with the property ones."""
    unknown = filters - spec.filters
    if unknown:
        raise ValueError(f"unknown filters for {spec.label}: {sorted(unknown)}")
    anchor = f"(n:{spec.label} {{id: key}})" if ranked else f"(n:{spec.label})"
    patterns = [spec.patterns[name] for name in sorted(filters & set(spec.patterns))]
    head = (
        "UNWIND range(0, size($ranked) - 1) AS rank WITH rank, $ranked[rank] AS key "
        if ranked
        else ""
    )
    text = f"{head}MATCH {', '.join([anchor, *patterns])}"
    if patterns:
        # A pattern may match one node through several paths (e.g. two recommendations
        # of the same source): each node counts once.
        text += " WITH DISTINCT rank, n" if ranked else " WITH DISTINCT n"
    predicates = [spec.where[name] for name in sorted(filters & set(spec.where))]
    if predicates:
        text += f" WHERE {' AND '.join(predicates)}"
    return text


def matching(label: str, *, filters: frozenset[str] = frozenset(), ranked: bool = False) -> str:
    """The list's nodes as `n` (and `rank`), before any order: shared with graph/planning."""
    return _body(SPECS[label], filters, ranked=ranked)


def ordered(label: str, *, order: str | None, descending: bool, ranked: bool) -> str:
    """`WITH n ORDER BY … SKIP $skip LIMIT $limit`: the page of `matching`'s nodes."""
    spec = SPECS[label]
    order = order or spec.default_order
    if order not in spec.sortable:
        raise ValueError(f"cannot order {label} by {order!r}")
    direction = " DESC" if descending else ""
    if ranked and order == spec.default_order and not descending:
        ordering = "rank"
    else:
        ordering = f"n.{order}{direction}" + ("" if order == "id" else ", n.id")
    carried = "rank, n" if ranked else "n"
    return f"WITH {carried} ORDER BY {ordering} SKIP $skip LIMIT $limit"


def count(label: str, *, filters: frozenset[str] = frozenset(), ranked: bool = False) -> str:
    return f"{matching(label, filters=filters, ranked=ranked)} RETURN count(n) AS n"


def variants() -> Iterator[tuple[str, str]]:
    for label, spec in SPECS.items():
        every = spec.filters
        for ranked in (False, True):
            tag = "ranked" if ranked else "plain"
            yield f"count[{label},{tag},all]", count(label, filters=every, ranked=ranked)
            for name in spec.filters:
                yield (
                    f"count[{label},{tag},{name}]",
                    count(label, filters=frozenset({name}), ranked=ranked),
                )
