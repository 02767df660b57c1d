"""Working-group use cases."""

from __future__ import annotations

from graph.queries import working_groups as q
from graph.store import GraphStore
from schema.models import WorkingGroup


def page(store: GraphStore, *, skip: int, limit: int) -> list[WorkingGroup]:
    rows = store.read(q.PAGE, {"skip": skip, "limit": limit})
    return [WorkingGroup.model_validate(r["node"]) for r in rows]


def count(store: GraphStore) -> int:
    return int(store.read(q.COUNT)[0]["n"])
