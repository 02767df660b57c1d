"""Reading the audit trail (events are written with their changes by the unit of work,
graph/audit/__init__.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict, Unpack

from graph.audit import queries as q
from graph.store import GraphStore


def _event(row: dict[str, Any]) -> dict[str, Any]:
    event = dict(row["event"])
    event["changes"] = json.loads(event.get("changes") or "{}")
    return event


class Filters(TypedDict, total=False):
    """What a read of the trail keeps, each left out or None for all: the events about
    `target`, made by `actor`, at or after `since`, touching one of the working groups of
    `scope`."""

    target: str | None
    actor: str | None
    since: str | None
    scope: Sequence[str] | None


def _params(filters: Filters) -> dict[str, Any]:
    scope = filters.get("scope")
    return {
        "target": filters.get("target"),
        "actor": filters.get("actor"),
        "since": filters.get("since"),
        "scope": list(scope) if scope is not None else None,
    }


def events(
    store: GraphStore, *, skip: int = 0, limit: int = 50, **filters: Unpack[Filters]
) -> list[dict[str, Any]]:
    """The events kept by `filters`, newest first."""
    params = {**_params(filters), "skip": skip, "limit": limit}
    return [_event(row) for row in store.read(q.AUDIT_LOG, params)]


def count(store: GraphStore, **filters: Unpack[Filters]) -> int:
    """How many events `filters` keep."""
    rows = store.read(q.AUDIT_COUNT, _params(filters))
    return int(rows[0]["n"]) if rows else 0


def export(store: GraphStore) -> Iterator[dict[str, Any]]:
    """Every event, oldest first."""
    for row in store.read(q.AUDIT_EXPORT):
        yield _event(row)
