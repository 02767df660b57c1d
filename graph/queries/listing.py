"""Paged, filtered, ordered lists of any registry label, built from fixed fragments.

A list statement is `MATCH (n:Label)` (or, with a text search, the full-text ranking
unwound as `$ranked` ids), a WHERE made of the filters the caller uses, and ORDER BY a
sortable field. Only fragment choice varies; every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ListSpec:
    label: str
    sortable: tuple[str, ...]
    default_order: str
    filters: dict[str, str] = field(default_factory=dict)


def _in(prop: str) -> str:
    return f"n.{prop} IN ${prop}"


SPECS: dict[str, ListSpec] = {
    "Initiative": ListSpec(
        "Initiative",
        ("title", "updated_at", "created_at", "started_on", "status", "id"),
        "title",
        {
            "status": _in("status"),
            "language": _in("language"),
            "working_group": "(n)<-[:TRACKS]-(:WorkingGroup {id: $working_group})",
            "topic": "(n)-[:ADDRESSES]->(:Topic {id: $topic})",
            "principle": "(n)-[:ADVANCES]->(:Principle {id: $principle})",
            "recommendation": "(n)-[:IMPLEMENTS]->(:Recommendation {id: $recommendation})",
            "source": "(n)-[:IMPLEMENTS]->(:Recommendation {source_id: $source})",
            "signatory": "(n)<-[:CONTRIBUTES_TO]-(:Signatory {id: $signatory})",
        },
    ),
    "Signatory": ListSpec(
        "Signatory",
        ("name", "kind", "country", "joined_on", "id"),
        "name",
        {
            "kind": _in("kind"),
            "country": _in("country"),
            "working_group": "(n)-[:MEMBER_OF]->(:WorkingGroup {id: $working_group})",
        },
    ),
    "WorkingGroup": ListSpec(
        "WorkingGroup", ("code", "name", "forum_year", "id"), "code", {"status": _in("status")}
    ),
    "Recommendation": ListSpec(
        "Recommendation",
        ("ref", "title", "source_id", "id"),
        "ref",
        {
            "status": _in("status"),
            "language": _in("language"),
            "source": "n.source_id = $source",
            "topic": "(n)-[:ADDRESSES]->(:Topic {id: $topic})",
        },
    ),
    "Source": ListSpec(
        "Source", ("title", "publisher", "year", "id"), "title", {"publisher": _in("publisher")}
    ),
    "Topic": ListSpec("Topic", ("name_en", "name_fr", "id"), "id"),
    "Principle": ListSpec("Principle", ("code", "id"), "code"),
}


def _where(spec: ListSpec, filters: frozenset[str]) -> str:
    unknown = filters - set(spec.filters)
    if unknown:
        raise ValueError(f"unknown filters for {spec.label}: {sorted(unknown)}")
    parts = [spec.filters[name] for name in sorted(filters)]
    return f" WHERE {' AND '.join(parts)}" if parts else ""


def page(
    label: str,
    *,
    filters: frozenset[str] = frozenset(),
    order: str | None = None,
    descending: bool = False,
    ranked: bool = False,
) -> str:
    """Statement for one page: parameters are the filters', $skip, $limit (and $ranked)."""
    spec = SPECS[label]
    order = order or spec.default_order
    if order not in spec.sortable:
        raise ValueError(f"cannot order {label} by {order!r}")
    direction = " DESC" if descending else ""
    if ranked:
        head = (
            "UNWIND range(0, size($ranked) - 1) AS rank WITH rank, $ranked[rank] AS key "
            f"MATCH (n:{label} {{id: key}})"
        )
        ordering = (
            "rank"
            if order == spec.default_order and not descending
            else f"n.{order}{direction}, n.id"
        )
    else:
        head = f"MATCH (n:{label})"
        ordering = f"n.{order}{direction}, n.id"
    return (
        f"{head}{_where(spec, filters)} RETURN n {{.*}} AS node "
        f"ORDER BY {ordering} SKIP $skip LIMIT $limit"
    )


def count(label: str, *, filters: frozenset[str] = frozenset(), ranked: bool = False) -> str:
    spec = SPECS[label]
    head = (
        f"UNWIND $ranked AS key MATCH (n:{label} {{id: key}})" if ranked else f"MATCH (n:{label})"
    )
    return f"{head}{_where(spec, filters)} RETURN count(n) AS n"


def variants() -> Iterator[tuple[str, str]]:
    for label, spec in SPECS.items():
        every = frozenset(spec.filters)
        for ranked in (False, True):
            tag = "ranked" if ranked else "plain"
            yield f"count[{label},{tag},all]", count(label, filters=every, ranked=ranked)
            for order in spec.sortable:
                yield (
                    f"page[{label},{tag},order={order}]",
                    page(label, filters=every, order=order, descending=True, ranked=ranked),
                )
            for name in spec.filters:
                yield (
                    f"page[{label},{tag},{name}]",
                    page(label, filters=frozenset({name}), ranked=ranked),
                )
