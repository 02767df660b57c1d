"""Reading the audit trail (events are written with their changes by the unit of work,
graph/audit/__init__.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from graph.audit import queries as q
from graph.store import GraphStore


def _event(row: dict[str, Any]) -> dict[str, Any]:
    event = dict(row["event"])
    event["changes"] = json.loads(event.get("changes") or "{}")
    return event


def events(
    store: GraphStore,
    *,
    target: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    scope: Sequence[str] | None = None,
    skip: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Newest first; `scope` keeps the events touching one of these working groups."""
    params = {
        "target": target,
        "actor": actor,
        "since": since,
        "scope": list(scope) if scope is not None else None,
        "skip": skip,
        "limit": limit,
    }
    return [_event(row) for row in store.read(q.AUDIT_LOG, params)]


def count(
    store: GraphStore,
    *,
    target: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    scope: Sequence[str] | None = None,
) -> int:
    params = {
        "target": target,
        "actor": actor,
        "since": since,
        "scope": list(scope) if scope is not None else None,
    }
    rows = store.read(q.AUDIT_COUNT, params)
    return int(rows[0]["n"]) if rows else 0


def export(store: GraphStore) -> Iterator[dict[str, Any]]:
    """Every event, oldest first."""
    for row in store.read(q.AUDIT_EXPORT):
        yield _event(row)
