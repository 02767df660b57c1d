"""Topic suggestions: what they are made from, storing them, accepting them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph.audit import UnitOfWork, writes
from graph.store import GraphStore
from graph.topics import queries as q


def untagged(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.UNTAGGED)


def untagged_by_source(store: GraphStore) -> dict[str, int]:
    return {row["source_id"]: int(row["n"]) for row in store.read(q.UNTAGGED_BY_SOURCE)}


def topics(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.TOPICS)


def replace(store: GraphStore, rows: Sequence[dict[str, Any]], *, now: datetime) -> None:
    store.write(q.CLEAR)
    if rows:
        store.write_batched(q.SAVE, rows, batch_size=2000, params={"now": now.isoformat()})


def suggestions(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.SUGGESTIONS)


@writes
def accept(work: UnitOfWork, pairs: Sequence[tuple[str, str]]) -> int:
    """Turn suggested (recommendation, topic) pairs into topic links; others are ignored."""
    rows = work.write(q.ACCEPT, {"pairs": [{"r": r, "t": t} for r, t in pairs]})
    return int(rows[0]["n"]) if rows else 0
