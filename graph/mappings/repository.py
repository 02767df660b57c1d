"""Published crosswalks: where their ends are in the registry, and writing them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.audit import UnitOfWork, writes
from graph.mappings import queries as q
from graph.store import GraphStore


def ids_by_urn(store: GraphStore, urns: Iterable[str]) -> dict[str, str]:
    """Recommendation id of each URN that an imported record carries."""
    return {row["key"]: row["id"] for row in store.read(q.ENDS_BY_URN, {"urns": sorted(set(urns))})}


def ids_by_ref(store: GraphStore, refs: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """(source id, recommendation id) of the records with each ref (control id)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in store.read(q.ENDS_BY_REF, {"refs": sorted(set(refs))}):
        found[row["key"]].append((row["source_id"], row["id"]))
    return dict(found)


def current(
    store: GraphStore, pairs: Sequence[tuple[str, str]]
) -> dict[frozenset[str], dict[str, Any]]:
    """What is stored between each pair now: its direction and properties."""
    rows = store.read(q.CURRENT, {"pairs": [{"a": a, "b": b} for a, b in pairs]})
    return {frozenset((r["a"], r["b"])): {"from_id": r["from_id"], **r["props"]} for r in rows}


@writes
def publish(work: UnitOfWork, rows: Sequence[Mapping[str, Any]]) -> int:
    """Write the mappings with the audit event and run record of the unit of work."""
    written = work.write(q.PUBLISH, {"rows": [dict(r) for r in rows]})
    return int(written[0]["n"]) if written else 0
