"""Engine defects the code works around, kept as reproductions so an engine upgrade can
be checked: each test says what the workaround is and when it may go."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from falkordb import FalkorDB

from graph.connect import GraphConfig, open_store
from graph.embedded import EmbeddedEngine
from graph.imports.queries import STAGE_LABEL
from importers.pipeline import run_import
from tests.support.catalogs import CONTROLS, big_catalog


def test_falkordb_deleted_nodes_of_an_indexed_label_stay_in_its_label_scan(
    tmp_path: Path,
) -> None:
    """FalkorDB 4.16: batches of an indexed label, read by one statement and deleted by
    the next, are still returned by `MATCH (b:Label)`; reading their properties kills
    the engine. Workaround: the import stage label has no index (graph/imports/queries.py).
    Runs on an engine of its own, since the defect crashes it."""
    engine = EmbeddedEngine(tmp_path / "quirk")
    port = engine.acquire()
    try:
        db = FalkorDB(host="127.0.0.1", port=port)
        graph = db.select_graph("quirk")
        graph.query("CREATE INDEX FOR (b:Batch) ON (b.run)")
        for i in range(25):
            graph.query(
                "CREATE (b:Batch) SET b = $b",
                {"b": {"run": "r", "ids": [f"{i}-{j}" for j in range(1000)]}},
            )
        graph.query("MATCH (b:Batch {run: 'r'}) UNWIND b.ids AS id CREATE (:Record {id: id})")
        graph.query("MATCH (b:Batch {run: 'r'}) DELETE b")
        assert graph.query("MATCH (b:Batch) RETURN count(b)").result_set == [[0]]
        try:
            rows = graph.query("MATCH (b:Batch) RETURN keys(b)").result_set
        except (redis.exceptions.ConnectionError, redis.exceptions.ResponseError) as exc:
            pytest.skip(
                "the engine still returns deleted nodes of an indexed label and crashes "
                f"reading them ({type(exc).__name__}); keep the stage label unindexed"
            )
        assert rows == []  # fixed: the stage label could be indexed again
    finally:
        engine.release()


def test_an_import_of_20000_records_leaves_no_dead_stage_behind(
    data_dir: Path, tmp_path: Path
) -> None:
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        store.apply_schema()
        report = run_import(store, big_catalog(tmp_path / "big.json", version="1"))
        assert report.counts()["created"] == CONTROLS + 1
        # reading every property of every stage node: the statement that crashed the
        # engine when the stage label was indexed
        assert store.read(f"MATCH (b:{STAGE_LABEL}) RETURN keys(b) AS k") == []
        found = store.read("MATCH (r:Recommendation) RETURN count(r) AS n")
        assert found == [{"n": CONTROLS + 1}]  # the controls and their group
    finally:
        store.clear()
        store.close()
