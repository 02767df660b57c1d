"""Save and load any registry node model, batched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from graph.nodes import queries as q
from graph.store import GraphStore
from schema.kinds import LABEL_OF
from schema.models import Model

M = TypeVar("M", bound=Model)


def to_row(model: Model) -> dict[str, Any]:
    """A model as graph properties: JSON-mode values, nulls kept so SET removes them."""
    return model.model_dump(mode="json")


def save(store: GraphStore, models: Iterable[Model], *, model: type[Model]) -> int:
    """Create or update nodes of one kind by id."""
    return store.write_batched(q.upsert(LABEL_OF[model]), (to_row(m) for m in models))


def create(store: GraphStore, models: Iterable[Model], *, model: type[Model]) -> int:
    """Create nodes of one kind; an existing id raises ConstraintViolation."""
    return store.write_batched(q.create(LABEL_OF[model]), (to_row(m) for m in models))


def load(store: GraphStore, model: type[M], ids: Sequence[str]) -> dict[str, M]:
    rows = store.read(q.get_many(LABEL_OF[model]), {"ids": list(ids)})
    known = set(model.model_fields)
    return {
        row["node"]["id"]: model.model_validate(
            {k: v for k, v in row["node"].items() if k in known}
        )
        for row in rows
    }


def count(store: GraphStore, model: type[Model]) -> int:
    return int(store.read(q.count(LABEL_OF[model]))[0]["n"])
