"""Staged, all-or-nothing publication of a recommendation set (see graph.imports.queries)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from graph.errors import ConstraintViolation
from graph.imports import queries as q
from graph.store import GraphStore
from schema.errors import Conflict

STAGE_BATCH = 1000
STAGE_BYTES = 4_000_000


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
    part: str | None = None,
    fields: Sequence[str] = q.STAGED_FIELDS,
    list_fields: frozenset[str] = q.LIST_FIELDS,
) -> int:
    """Write records to staging batches (see graph.imports.queries); invisible to the
    registry until published. `part` names what the batches hold when a run stages
    several kinds (a registry restore: one part per label and per relationship)."""
    staged = 0
    for seq, chunk in enumerate(_bounded(rows)):
        batch = columns(run, seq, chunk, fields=fields, list_fields=list_fields)
        if part is not None:
            batch["id"], batch["part"] = f"{run}:{part}:{seq}", part
        store.write(q.STAGE, {"batch": batch})
        staged += len(chunk)
        if on_batch:
            on_batch(len(chunk))
    return staged


def _bounded(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    """Batches of STAGE_BATCH records, or fewer when their text reaches STAGE_BYTES: a
    thousand records of long prose would otherwise make one statement of many megabytes."""
    chunk: list[Mapping[str, Any]] = []
    size = 0
    for row in rows:
        chunk.append(row)
        size += sum(len(v) for v in row.values() if isinstance(v, str))
        if len(chunk) >= STAGE_BATCH or size >= STAGE_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def columns(
    run: str,
    seq: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    fields: Sequence[str] = q.STAGED_FIELDS,
    list_fields: frozenset[str] = q.LIST_FIELDS,
) -> dict[str, Any]:
    """One staging batch: a column per field, a presence column where values are missing.
    A column holding both integers and decimals holds decimals (Neo4j stores arrays of
    one type only)."""
    unknown = {k for r in rows for k in r} - set(fields)
    if unknown:
        raise ValueError(f"fields without a staging column: {sorted(unknown)}")
    batch: dict[str, Any] = {"id": f"{run}:{seq}", "stage_run": run}
    for name in fields:
        values = [r.get(name) for r in rows]
        if all(v is None for v in values):
            continue  # absent everywhere: no column, read back as missing
        if name in list_fields:
            values = [None if v is None else _joined(v) for v in values]
        elif any(isinstance(v, float) for v in values):
            values = [
                float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values
            ]
        present = [v is not None for v in values]
        if not all(present):
            batch[f"h_{name}"] = present
            filler = _filler(next(v for v in values if v is not None))
            values = [filler if v is None else v for v in values]
        batch[f"c_{name}"] = values
    return batch


def _joined(items: Sequence[str]) -> str:
    if any(q.LIST_SEPARATOR in item for item in items):
        raise ValueError("a list item contains the staging separator")
    return q.LIST_SEPARATOR.join(items)


def _filler(example: Any) -> Any:
    """A stand-in of the column's type for a missing value (arrays hold no nulls)."""
    return type(example)()


def publish(
    store: GraphStore,
    run: str,
    *,
    source: Mapping[str, Any],
    counts: Mapping[str, int],
    withdrawn: Sequence[str],
    event: Mapping[str, Any],
) -> None:
    """Make the staged run visible in one atomic statement, with its audit event."""
    params = {
        "audit": dict(event),
        "run": run,
        "source": dict(source),
        "counts": dict(counts),
        "withdrawn": list(withdrawn),
        "separator": q.LIST_SEPARATOR,
    }
    try:
        store.write(q.PUBLISH, params)
    except ConstraintViolation as exc:
        # Records this run planned to create exist by now: another import of the same
        # source was published while this one was staging. Nothing of this run is kept.
        raise Conflict(
            "another import of this source was published while this one was being "
            "prepared; run this import again"
        ) from exc


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


def runs(
    store: GraphStore,
    *,
    source: str | None = None,
    status: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Import runs, newest first."""
    params = {"source": source, "status": status, "skip": skip, "limit": limit}
    return [row["run"] for row in store.read(q.IMPORT_RUNS, params)]


def run_count(store: GraphStore, *, source: str | None = None, status: str | None = None) -> int:
    rows = store.read(q.IMPORT_RUN_COUNT, {"source": source, "status": status})
    return int(rows[0]["n"]) if rows else 0


def crosswalk_sources(store: GraphStore, mappings: Sequence[str]) -> dict[str, list[str]]:
    """mapping URN or uuid -> the sources its published links join (sorted)."""
    if not mappings:
        return {}
    rows = store.read(q.CROSSWALK_SOURCES, {"mappings": sorted(set(mappings))})
    return {row["mapping"]: sorted(set(row["a"]) | set(row["b"])) for row in rows}
