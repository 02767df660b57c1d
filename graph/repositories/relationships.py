"""Save and load the relationships that carry properties."""

from __future__ import annotations

from collections.abc import Sequence

from graph.queries import relationships as q
from graph.repositories.links import write_all_linked
from graph.repositories.nodes import to_row
from graph.store import GraphStore
from schema.relationships import Contribution, DuplicateLink, Mapping, Membership


def save_memberships(store: GraphStore, items: Sequence[Membership]) -> int:
    return write_all_linked(
        store, q.MERGE_MEMBERSHIPS, [to_row(m) for m in items], what="MEMBER_OF"
    )


def save_contributions(store: GraphStore, items: Sequence[Contribution]) -> int:
    return write_all_linked(
        store, q.MERGE_CONTRIBUTIONS, [to_row(c) for c in items], what="CONTRIBUTES_TO"
    )


def save_mappings(store: GraphStore, items: Sequence[Mapping]) -> int:
    return write_all_linked(store, q.MERGE_MAPPINGS, [to_row(m) for m in items], what="MAPS_TO")


def save_duplicates(store: GraphStore, items: Sequence[DuplicateLink]) -> int:
    return write_all_linked(
        store, q.MERGE_DUPLICATES, [to_row(d) for d in items], what="DUPLICATE_OF"
    )


def memberships(store: GraphStore, working_group_id: str) -> list[Membership]:
    rows = store.read(q.READ_MEMBERSHIPS, {"working_group_id": working_group_id})
    return [Membership.model_validate({k: v for k, v in r.items() if v is not None}) for r in rows]


def contributions(store: GraphStore, initiative_id: str) -> list[Contribution]:
    rows = store.read(q.READ_CONTRIBUTIONS, {"initiative_id": initiative_id})
    return [Contribution.model_validate(r) for r in rows]


def mappings_from(store: GraphStore, recommendation_id: str) -> list[Mapping]:
    rows = store.read(q.READ_MAPPINGS_FROM, {"id": recommendation_id})
    return [
        Mapping.model_validate(
            {"from_id": r["from_id"], "to_id": r["to_id"]}
            | {k: v for k, v in r["props"].items() if v is not None}
        )
        for r in rows
    ]


def duplicates_from(store: GraphStore, initiative_id: str) -> list[DuplicateLink]:
    rows = store.read(q.READ_DUPLICATES_FROM, {"id": initiative_id})
    return [
        DuplicateLink.model_validate(
            {"a_id": r["a_id"], "b_id": r["b_id"]}
            | {k: v for k, v in r["props"].items() if v is not None}
        )
        for r in rows
    ]
