"""Reads and writes of the crosswalk inference; the inference itself lives in analysis/."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from graph.analysis import queries as analysis_q
from graph.audit import UnitOfWork, writes
from graph.crosswalk_evidence import queries as q
from graph.store import GraphStore

STATE_ID = "recommendation-pairs"


def evidence(store: GraphStore) -> list[dict[str, Any]]:
    """Published, confirmed and rejected pairs between active recommendations, as stored
    (from the publisher's or the person's source end to its target)."""
    return store.read(q.EVIDENCE)


def names(store: GraphStore, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Ref, title and source of each recommendation named, for explanations."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 5000):
        for row in store.read(q.NAMES, {"ids": list(ids[start : start + 5000])}):
            out[row["id"]] = row
    return out


def source_titles(store: GraphStore) -> dict[str, str]:
    return {row["id"]: str(row["title"] or row["id"]) for row in store.read(q.SOURCE_TITLES)}


def pair_state(store: GraphStore) -> dict[str, str]:
    """Each source pair's input fingerprint at its last refresh."""
    rows = store.read(q.PAIR_STATE, {"id": STATE_ID})
    raw = rows[0]["pairs"] if rows else None
    try:
        found = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


@writes
def save_pair_state(work: UnitOfWork, state: Mapping[str, str]) -> None:
    params = {
        "id": STATE_ID,
        "pairs": json.dumps(dict(sorted(state.items()))),
        "at": datetime.now(UTC).isoformat(),
    }
    work.write(q.SAVE_PAIR_STATE, params)


def replace_in_pairs(
    store: GraphStore, rows: Iterable[Mapping[str, Any]], *, pairs: Sequence[str], run: str
) -> int:
    """Store this run's suggestions, then drop earlier ones of the source pairs `pairs`."""
    statement = analysis_q.save_candidates("recommendation")
    store.write_batched(statement, rows, batch_size=2000, params={"run": run})
    dropped = store.write(q.DROP_STALE, {"run": run, "pairs": list(pairs)})
    return int(dropped[0]["n"]) if dropped else 0


def two_step_paths(store: GraphStore) -> list[dict[str, Any]]:
    """The engine's own count of two-step paths (the set-based alternative, measured)."""
    return store.read(q.TWO_STEP_PATHS)
