"""Staged, all-or-nothing publication of a recommendation set (see graph.queries.imports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from graph.errors import ConstraintViolation
from graph.queries import imports as q
from graph.store import GraphStore, batches
from schema.errors import Conflict

STAGE_BATCH = 1000


def existing(store: GraphStore, source_id: str) -> dict[str, tuple[str | None, str | None]]:
    """id -> (content hash, status) of the recommendations already stored for a source."""
    rows = store.read(q.EXISTING, {"source": source_id})
    return {r["id"]: (r["sha"], r["status"]) for r in rows}


def source_sha(store: GraphStore, source_id: str) -> str | None:
    rows = store.read(q.SOURCE_SHA, {"source": source_id})
    return rows[0]["sha"] if rows else None


def start_run(store: GraphStore, props: Mapping[str, Any]) -> str:
    return str(store.write(q.START_RUN, {"props": dict(props)})[0]["id"])


def stage(
    store: GraphStore,
    run: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Write records to the staging label, batch by batch; invisible to the registry."""
    staged = 0
    for chunk in batches(rows, STAGE_BATCH):
        try:
            store.write(q.STAGE, {"rows": [dict(r) | {"stage_run": run} for r in chunk]})
        except ConstraintViolation as exc:
            raise Conflict(
                "another import of this source is being staged; wait for it to finish"
            ) from exc
        staged += len(chunk)
        if on_batch:
            on_batch(len(chunk))
    return staged


def publish(
    store: GraphStore,
    run: str,
    *,
    source: Mapping[str, Any],
    counts: Mapping[str, int],
    withdrawn: Sequence[str],
) -> None:
    """Make the staged run visible in one atomic statement."""
    store.write(
        q.PUBLISH,
        {"run": run, "source": dict(source), "counts": dict(counts), "withdrawn": list(withdrawn)},
    )


def record_unchanged(store: GraphStore, run: str, counts: Mapping[str, int]) -> None:
    store.write(q.RECORD_UNCHANGED_RUN, {"run": run, "counts": dict(counts)})


def fail_run(store: GraphStore, run: str, error: str) -> None:
    store.write(q.FAIL_RUN, {"run": run, "error": error[:500]})


def cleanup_abandoned(
    store: GraphStore,
    *,
    host: str,
    pid_alive: Callable[[int], bool],
    now: datetime,
    max_age: timedelta = timedelta(hours=6),
) -> int:
    """Remove the stages of runs whose importer died (same host, pid gone) or that are
    older than `max_age` (importer on another host); returns the number of runs."""
    cleaned = 0
    for run in store.read(q.STAGING_RUNS):
        started = datetime.fromisoformat(run["started_at"]) if run["started_at"] else None
        dead_here = run["host"] == host and not pid_alive(int(run["pid"] or 0))
        too_old = started is not None and now - started > max_age
        if dead_here or too_old:
            store.write(q.ABANDON_RUN, {"run": run["id"]})
            cleaned += 1
    return cleaned


def staged_count(store: GraphStore) -> int:
    return int(store.read(q.STAGED_COUNT)[0]["n"])
