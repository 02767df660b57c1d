"""Reads and writes of the duplicate analysis; the analysis itself lives in analysis/."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from graph.analysis import queries as q
from graph.audit import UnitOfWork, writes
from graph.store import GraphStore
from schema.kinds import signals

# (relationship type, far label) of a link -> the name of its kind in the graph-overlap
# signal, per kind of record: from the relations' `signal` in schema/kinds.py.
_LINK_KIND: dict[str, dict[tuple[str, str], str]] = {
    kind: {(r.type, r.far): str(r.signal) for r in signals(label)}
    for kind, (label, _) in q.KINDS.items()
}


def records(store: GraphStore, kind: str) -> list[dict[str, Any]]:
    """Every record taking part in the analysis, with its stored embedding if any."""
    return store.read(q.TEXTS[kind])


def links(store: GraphStore, kind: str) -> dict[str, dict[str, frozenset[str]]]:
    """For each record id, the ids it links to, by kind of link."""
    names = _LINK_KIND[kind]
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in store.read(q.LINKS[kind]):
        found[row["id"]][names[(row["type"], row["far"])]].add(row["other"])
    return {key: {k: frozenset(v) for k, v in by_kind.items()} for key, by_kind in found.items()}


def embeddings(store: GraphStore, kind: str, ids: Sequence[str]) -> dict[str, str | None]:
    """Stored (packed) embeddings by id, read in chunks to keep replies small."""
    out: dict[str, str | None] = {}
    for start in range(0, len(ids), 5000):
        chunk = list(ids[start : start + 5000])
        for row in store.read(q.embeddings(kind), {"ids": chunk}):
            out[row["id"]] = row["e"]
    return out


def fingerprint(store: GraphStore, kind: str) -> str | None:
    rows = store.read(q.FINGERPRINT, {"kind": kind})
    return rows[0]["fingerprint"] if rows else None


@writes
def save_fingerprint(work: UnitOfWork, kind: str, value: str) -> None:
    work.write(
        q.SAVE_FINGERPRINT,
        {"kind": kind, "fingerprint": value, "at": datetime.now(UTC).isoformat()},
    )


def save_embeddings(store: GraphStore, kind: str, rows: Iterable[Mapping[str, Any]]) -> int:
    return store.write_batched(q.save_embeddings(kind), rows, batch_size=500)


def decided_pairs(store: GraphStore, kind: str) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in decisions(store, kind)}


def decisions(store: GraphStore, kind: str) -> dict[tuple[str, str], str]:
    """The status a person gave each decided pair, by its two ids."""
    return {(row["a"], row["b"]): row["status"] for row in store.read(q.decided_pairs(kind))}


def merges(store: GraphStore) -> dict[str, str]:
    """For each merged initiative, the one it was merged into."""
    return {row["merged"]: row["kept"] for row in store.read(q.MERGES)}


def calibration(store: GraphStore, kind: str) -> dict[str, Any] | None:
    """What the last refresh learned of this registry (analysis/base_rate.py), if any."""
    rows = store.read(q.CALIBRATION, {"kind": kind})
    text = rows[0]["calibration"] if rows else None
    return json.loads(text) if text else None


@writes
def save_calibration(work: UnitOfWork, kind: str, value: Mapping[str, Any]) -> None:
    work.write(q.SAVE_CALIBRATION, {"kind": kind, "calibration": json.dumps(dict(value))})


def unstored(store: GraphStore, kind: str) -> str | None:
    """The packed pairs the last refresh scored below the stored floor (analysis/unstored.py)."""
    rows = store.read(q.UNSTORED, {"kind": kind})
    return rows[0]["unstored"] if rows else None


@writes
def save_unstored(work: UnitOfWork, kind: str, packed: str) -> None:
    work.write(q.SAVE_UNSTORED, {"kind": kind, "unstored": packed})


def initiatives_in_view(store: GraphStore, working_group: str | None) -> dict[str, bool]:
    """Live initiatives by id, each with whether `working_group` tracks it."""
    rows = store.read(q.INITIATIVES_IN_VIEW, {"wg": working_group})
    return {row["id"]: bool(row["tracked"]) for row in rows}


def replace_candidates(
    store: GraphStore, kind: str, rows: Iterable[Mapping[str, Any]], *, run: str
) -> int:
    """Store this run's suggestions, then drop the suggestions of earlier runs."""
    store.write_batched(q.save_candidates(kind), rows, batch_size=2000, params={"run": run})
    dropped = store.write(q.drop_stale_candidates(kind), {"run": run})
    return int(dropped[0]["n"]) if dropped else 0


def list_pairs(
    store: GraphStore,
    kind: str,
    *,
    statuses: Sequence[str],
    min_score: float,
    working_group: str | None,
    skip: int,
    limit: int,
    below: float | None = None,
    by_value: bool = False,
) -> list[dict[str, Any]]:
    """Pairs scored from min_score up to (not including) `below`; best first, or by the
    value of a decision on them (graph/analysis/queries.py list_pairs)."""
    params = {
        "statuses": list(statuses),
        "min_score": min_score,
        "below": below,
        "wg": working_group,
        "skip": skip,
        "limit": limit,
    }
    return store.read(q.list_pairs(kind, by_value=by_value), params)


def list_pairs_in_bands(
    store: GraphStore,
    kind: str,
    *,
    working_group: str | None,
    bands: Sequence[Mapping[str, Any]],
) -> list[list[dict[str, Any]]]:
    """`list_pairs` of each band (statuses, min_score, below, skip, limit, by_value) in
    one read: the rows of each band, in the order of `bands`, with the ends' titles."""
    params: dict[str, Any] = {"wg": working_group}
    for n, band in enumerate(bands):
        params |= {
            f"b{n}_{key}": band.get(key)
            for key in ("statuses", "min_score", "below", "skip", "limit")
        }
    statement = q.list_pairs_in_bands(kind, [bool(band.get("by_value")) for band in bands])
    out: list[list[dict[str, Any]]] = [[] for _ in bands]
    for row in store.read(statement, params):
        out[int(row["band"])].append(row)
    return out


def count_pairs(
    store: GraphStore,
    kind: str,
    *,
    statuses: Sequence[str],
    min_score: float,
    working_group: str | None,
    below: float | None = None,
) -> int:
    params = {
        "statuses": list(statuses),
        "min_score": min_score,
        "below": below,
        "wg": working_group,
    }
    rows = store.read(q.count_pairs(kind), params)
    return int(rows[0]["n"]) if rows else 0


def count_initiative_pairs_by_group(
    store: GraphStore, *, statuses: Sequence[str], bands: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, int]]:
    """`count_pairs` of initiatives for every working group and band ({min_score,
    below} by name) in one read: working group -> band -> count (absent: none)."""
    params = {
        "statuses": list(statuses),
        "bands": [
            {"name": name, "min_score": f["min_score"], "below": f.get("below")}
            for name, f in bands.items()
        ],
    }
    out: dict[str, dict[str, int]] = {}
    for row in store.read(q.COUNT_INITIATIVE_PAIRS_BY_GROUP, params):
        out.setdefault(row["wg"], {})[row["band"]] = int(row["n"])
    return out


def pair(store: GraphStore, kind: str, a: str, b: str) -> dict[str, Any] | None:
    rows = store.read(q.pair(kind), {"a": a, "b": b})
    return rows[0] if rows else None


@writes
def decide(
    work: UnitOfWork, kind: str, *, a: str, b: str, props: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Write a decision on the pair a→b; None when either record does not exist."""
    work.note_targets(a, b)
    work.note_change("status", None, props.get("status"))
    rows = work.write(q.decide(kind), {"a": a, "b": b, "props": dict(props)})
    return rows[0]["props"] if rows else None


def accepted_mappings(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.ACCEPTED_MAPPINGS)


def sources(store: GraphStore, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in store.read(q.SOURCES_BY_ID, {"ids": list(ids)})}
