"""Generated catalogs and whole-graph snapshots for the import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.store import GraphStore
from tests import factories as f

CONTROLS = 20_000
# Enough for an importer to be killed between its first staged batch and its publication
# (six batches of graph/imports/repository.STAGE_BATCH), and no more: a crash test
# imports it twice on each engine.
CRASH_CONTROLS = 6_000


def big_catalog(path: Path, *, version: str, count: int = CONTROLS) -> Path:
    controls = [
        {
            "id": f"C.{i}",
            "title": f"Control {i}",
            "parts": [
                {
                    "id": f"C.{i}_smt",
                    "name": "statement",
                    "prose": f"Requirement {i}, as worded in version {version}.",
                }
            ],
        }
        for i in range(count)
    ]
    return f.oscal_catalog(path, "Large generated catalog", version, controls, group="G")


def registry(store: GraphStore) -> list[dict[str, Any]]:
    """Every registry node and relationship (import runs aside), for before/after checks."""
    return store.read(
        "MATCH (n) WHERE NOT n:ImportRun AND NOT n:SchemaInfo "
        "OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN labels(n) AS labels, n {.*} AS props, type(r) AS rel, m.id AS to "
        "ORDER BY props.id, rel, to"
    )
