"""Save and load the relationships that carry properties."""

from __future__ import annotations

from collections.abc import Sequence

from graph.links.repository import write_all_linked
from graph.nodes.repository import to_row
from graph.relationships import queries as q
from graph.store import GraphStore
from schema.relationships import Contribution, Membership


def save_memberships(store: GraphStore, items: Sequence[Membership]) -> int:
    return write_all_linked(
        store, q.MERGE_MEMBERSHIPS, [to_row(m) for m in items], what="MEMBER_OF"
    )


def save_contributions(store: GraphStore, items: Sequence[Contribution]) -> int:
    return write_all_linked(
        store, q.MERGE_CONTRIBUTIONS, [to_row(c) for c in items], what="CONTRIBUTES_TO"
    )


def memberships(store: GraphStore, working_group_id: str) -> list[Membership]:
    rows = store.read(q.READ_MEMBERSHIPS, {"working_group_id": working_group_id})
    return [Membership.model_validate({k: v for k, v in r.items() if v is not None}) for r in rows]


def contributions(store: GraphStore, initiative_id: str) -> list[Contribution]:
    rows = store.read(q.READ_CONTRIBUTIONS, {"initiative_id": initiative_id})
    return [Contribution.model_validate(r) for r in rows]
