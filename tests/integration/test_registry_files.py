"""Export and restore: an export imported into an empty graph reproduces the registry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.collaboration import repository as proposals
from graph.discussion import repository as comments
from graph.store import GraphStore
from importers.pipeline import run_import
from importers.registry import export
from importers.seed import seed
from schema.errors import ValidationFailed
from schema.relationships import DuplicateLink, Mapping
from tests.conftest import new_falkor_store
from tests.support import stored
from tests.support.units import system

DATA = Path(__file__).resolve().parents[1] / "data"


def everything(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every registry node with its properties, and every relationship with its own."""
    nodes = store.read(
        "MATCH (n) WHERE NOT n:ImportRun AND NOT n:SchemaInfo AND NOT n:ImportStage "
        "AND NOT n:AuditEvent "
        "RETURN labels(n)[0] AS label, n {.*} AS props ORDER BY label, props.id"
    )
    links = store.read(
        "MATCH (a)-[r]->(b) RETURN labels(a)[0] AS a_label, a.id AS a, type(r) AS type, "
        "r {.*} AS props, labels(b)[0] AS b_label, b.id AS b ORDER BY a_label, a, type, b_label, b"
    )
    return nodes, links


def test_export_then_restore_reproduces_the_graph(
    store: GraphStore, engine_port: int, tmp_path: Path
) -> None:
    seed(store, demo=True)
    run_import(store, DATA / "initiatives.csv")
    stored.save_mappings(
        store,
        [
            Mapping(
                from_id="oecd-0482:coordinated-disclosure",
                to_id="eu-cra-annex-i:ii.5",
                relation="intersects_with",
                status="confirmed",
                confidence=0.8,
                decided_by="cigref",
            )
        ],
    )
    stored.save_duplicates(
        store,
        [DuplicateLink(a_id="clauses-achat-cloud", b_id="cloud-procurement-clauses", score=0.91)],
    )
    # Collaboration travels with the registry: a proposal answering the demo's call, and
    # a comment on it.
    now = datetime.now(UTC)
    offered = proposals.propose(
        system(store), initiative_id="cyber-stability-index", working_group_id="wg6",
        proposer="geode", proposed_by="GEODE", message="For the Forum",
        call_id="wg6-call-forum-2026", now=now,
    )  # fmt: skip
    comments.add(
        system(store), subject=f"proposal:{offered.id}", about=[offered.id], body="Welcome",
        author="Cigref", author_token="cigref-token", author_role="co_chair", now=now,
    )  # fmt: skip
    original = everything(store)
    counts = {t for t in (link["type"] for link in original[1])}
    assert counts == {
        "MEMBER_OF",
        "CONTRIBUTES_TO",
        "TRACKS",
        "IMPLEMENTS",
        "ADDRESSES",
        "ADVANCES",
        "PART_OF",
        "MAPS_TO",
        "DUPLICATE_OF",
        "ISSUED_BY",
        "PROPOSES",
        "ADDRESSED_TO",
        "ANSWERS",
    }

    path = tmp_path / "registry.json"
    path.write_text(json.dumps(export(store)), encoding="utf-8")
    empty = new_falkor_store(engine_port)
    try:
        report = run_import(empty, path)
        assert report.kind == "registry" and report.updated == []
        assert everything(empty) == original
        assert len(original[0]) == len(report.created) > 100
    finally:
        empty.clear()
        empty.close()


def test_tampered_registry_file_is_refused_whole(store: GraphStore, tmp_path: Path) -> None:
    seed(store, demo=True)
    document = export(store)
    document["nodes"]["Signatory"][0]["colour"] = "blue"
    members = next(g for g in document["relationships"] if g["type"] == "MEMBER_OF")
    members["rows"][0]["props"]["role"] = "president"
    members["rows"][1]["source"] = "nobody"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    empty_before = everything(store)
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, path)
    fields = [p.field for p in caught.value.problems]
    assert "nodes.Signatory[0].colour" in fields
    assert any(f and f.endswith("rows[0].role") for f in fields)
    assert any(f and f.endswith("rows[1].source") for f in fields)
    assert everything(store) == empty_before


def test_registry_file_of_the_wrong_shape_is_refused_with_the_place(
    store: GraphStore, tmp_path: Path
) -> None:
    bad = tmp_path / "shape.json"
    bad.write_text(json.dumps({"format": "pariscall/registry@1", "nodes": 5, "relationships": 5}))
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, bad)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("nodes", "must be an object of lists by label"),
        ("relationships", "must be a list"),
    ]
