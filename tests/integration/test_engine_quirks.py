"""Engine defects the code works around, kept as reproductions so an engine upgrade can
be checked: each test says what the workaround is and when it may go."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
import redis
from falkordb import FalkorDB

from graph.connect import GraphConfig, open_store
from graph.embedded import EmbeddedEngine
from graph.falkordb_store import FalkorStore
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


# 16 clients merge the same relationship at once, on a graph where its type is new: the
# first decisions on a fresh registry's pairs (a CI run once stored four MAPS_TO
# relationships between two records and then refused every later decision on them).
MERGE_ONE = (
    "MATCH (a:P {id: 'a'}) MATCH (b:P {id: 'b'}) MERGE (a)-[r:E]->(b) "
    "SET r += $props RETURN r.k AS k"
)
CLIENTS, ROUNDS = 16, 20


Sender = Callable[[dict[str, object]], object]


def _rounds_with_duplicates(port: int, sender: Callable[[str], Sender]) -> int:
    """How many of ROUNDS fresh graphs hold more than one relationship after CLIENTS
    simultaneous `MERGE_ONE`s, each client sending through its own `sender(graph name)`
    (made before they are released)."""
    duplicated = 0
    for _ in range(ROUNDS):
        name = f"quirk_{uuid.uuid4().hex[:10]}"
        graph = FalkorDB(host="127.0.0.1", port=port).select_graph(name)
        graph.query("CREATE (:P {id: 'a'}), (:P {id: 'b'})")
        barrier = threading.Barrier(CLIENTS)

        def client(k: int, send: Sender, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            send({"props": {"k": k}})

        threads = [threading.Thread(target=client, args=(k, sender(name))) for k in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        [[stored]] = graph.query("MATCH (:P)-[r:E]->(:P) RETURN count(r)").result_set
        duplicated += stored != 1
        graph.delete()
    return duplicated


def test_falkordb_simultaneous_first_merges_of_a_relationship_duplicate_it(
    engine_port: int,
) -> None:
    """FalkorDB 4.16: sent plainly (the engine's worker threads), simultaneous MERGEs of a
    relationship whose type the graph does not hold yet create it more than once, in
    about two rounds of five. Workaround: the adapter sends every write inside
    MULTI/EXEC, which the engine runs on its main thread (FalkorStore._write_alone)."""

    def plainly(name: str) -> Sender:
        graph = FalkorDB(host="127.0.0.1", port=engine_port).select_graph(name)
        return lambda params: graph.query(MERGE_ONE, params)

    if _rounds_with_duplicates(engine_port, plainly):
        pytest.skip("plain writes still duplicate a new relationship; keep MULTI/EXEC")


def test_the_embedded_store_merges_a_new_relationship_once_under_contention(
    engine_port: int,
) -> None:
    stores: list[FalkorStore] = []

    def through_a_store(name: str) -> Sender:
        stores.append(FalkorStore(host="127.0.0.1", port=engine_port, graph=name))
        return partial(stores[-1].write, MERGE_ONE)

    try:
        assert _rounds_with_duplicates(engine_port, through_a_store) == 0
    finally:
        for store in stores:
            store.close()
