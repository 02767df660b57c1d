"""Accepted crosswalks as an OSCAL 1.2 mapping collection, for NIST-compatible tools.

One `mapping` per (source set, target set, method), since OSCAL records the method
(human, automation, hybrid) per mapping; each `map` carries its relationship, its
matching rationale and, when known, its confidence. NIST IR 8477 relation names become
OSCAL's hyphenated tokens (`subset_of` → `subset-of`, `equal` → `equal-to`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from graph.analysis import repository as repo
from graph.store import GraphStore
from schema.enums import MappingMethod, MappingRationale, MappingRelation

OSCAL_VERSION = "1.2.1"
NAMESPACE = uuid.UUID("5c1f4b8e-7d2a-4f1e-9a63-2f0c8e1d9b47")

RELATIONSHIP = {
    MappingRelation.EQUAL: "equal-to",
    MappingRelation.SUBSET_OF: "subset-of",
    MappingRelation.SUPERSET_OF: "superset-of",
    MappingRelation.INTERSECTS_WITH: "intersects-with",
}


def _uuid(*parts: str) -> str:
    """Stable per subject, as OSCAL asks: the same crosswalk keeps its uuid across exports."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def _resource(source: dict[str, Any] | None, source_id: str) -> dict[str, Any]:
    href = (source or {}).get("url") or (source or {}).get("urn") or f"#{source_id}"
    resource: dict[str, Any] = {"type": "catalog", "href": href}
    resource["props"] = [
        {"name": "source-id", "value": source_id, "ns": "https://pariscall.invalid/ns"}
    ]
    if source and source.get("title"):
        resource["remarks"] = str(source["title"])
    return resource


def mapping_collection(store: GraphStore, *, now: datetime | None = None) -> dict[str, Any]:
    """The document (a dict ready for JSON) holding every confirmed MAPS_TO."""
    stamp = (now or datetime.now(UTC)).isoformat()
    rows = repo.accepted_mappings(store)
    sources = repo.sources(
        store, sorted({r["a_source"] for r in rows} | {r["b_source"] for r in rows})
    )
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        method = row["props"].get("method") or MappingMethod.HUMAN.value
        grouped[(row["a_source"], row["b_source"], method)].append(row)
    mappings = []
    for (a_source, b_source, method), items in sorted(grouped.items()):
        maps = []
        for row in items:
            props = row["props"]
            entry: dict[str, Any] = {
                "uuid": _uuid("map", row["a"], row["b"]),
                "matching-rationale": props.get("rationale") or MappingRationale.SEMANTIC.value,
                "relationship": RELATIONSHIP[
                    MappingRelation(props.get("relation") or "intersects_with")
                ],
                "sources": [{"type": "control", "id-ref": row["a_ref"]}],
                "targets": [{"type": "control", "id-ref": row["b_ref"]}],
            }
            if props.get("confidence") is not None:
                entry["confidence-score"] = {"percentage": round(float(props["confidence"]), 4)}
            if props.get("note"):
                entry["remarks"] = str(props["note"])
            maps.append(entry)
        mappings.append(
            {
                "uuid": _uuid("mapping", a_source, b_source, method),
                "method": method,
                "source-resource": _resource(sources.get(a_source), a_source),
                "target-resource": _resource(sources.get(b_source), b_source),
                "maps": maps,
            }
        )
    methods = {m["method"] for m in mappings}
    overall = methods.pop() if len(methods) == 1 else MappingMethod.HYBRID.value
    document: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "metadata": {
            "title": "Paris Call registry: accepted crosswalks between recommendation sets",
            "last-modified": stamp,
            "version": stamp,
            "oscal-version": OSCAL_VERSION,
        },
        "provenance": {
            "method": overall,
            "matching-rationale": MappingRationale.SEMANTIC.value,
            "status": "draft",
            "mapping-description": (
                "Crosswalk entries confirmed by working-group co-chairs in the Paris Call "
                "registry, suggested by its duplicate analysis or entered by hand."
            ),
        },
        "mappings": mappings,
    }
    return {"mapping-collection": document}
