"""The whole product on Neo4j, as an operator runs it (`PARISCALL_GRAPH_URL=bolt://…` or
`neo4j://…`, routed against the single server), and a registry moved from the embedded
engine to Neo4j with nothing lost."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.connect import GraphConfig, open_store
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from schema.graph_shape import DERIVED_PROPERTIES, SCHEMA_VERSION
from tests.processes import cli_env, free_port, graph_env, run_cli, start_server

pytestmark = pytest.mark.neo4j
DATA = Path(__file__).resolve().parents[1] / "data"
BOOKKEEPING = ("ImportRun", "SchemaInfo", "ImportStage", "AuditEvent", "AnalysisState", "ApiToken")


CANDIDATES = "{ duplicateCandidates(kind: INITIATIVE) { totalCount edges { node { aId bId } } } }"


@pytest.fixture
def neo4j(neo4j_session_store: Neo4jStore) -> Any:
    neo4j_session_store.clear()
    yield neo4j_session_store
    neo4j_session_store.clear()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_the_whole_product_runs_on_neo4j(neo4j: Neo4jStore, data_dir: Path, scheme: str) -> None:
    env = graph_env(neo4j, data_dir)
    env["PARISCALL_GRAPH_URL"] = neo4j.location.replace("bolt://", f"{scheme}://", 1)
    for _ in range(2):  # idempotent
        migrated = run_cli(["db", "migrate"], env)
        assert migrated.returncode == 0, migrated.stderr
    status = run_cli(["db", "status"], env)
    assert (
        "backend: neo4j" in status.stdout and f"schema version: {SCHEMA_VERSION}" in status.stdout
    )
    made = run_cli(["tokens", "create", "--role", "importer", "--name", "Loader"], env)
    secret = made.stdout.strip()
    port = free_port()
    server = start_server(env, port, "--demo")
    base = f"http://127.0.0.1:{port}"
    try:
        health = httpx.get(f"{base}/health").json()
        assert (health["status"], health["backend"]) == ("ok", "neo4j")
        found = httpx.post(
            f"{base}/graphql",
            json={"query": '{ search(text: "SBOM") { node { ... on Initiative { id } } } }'},
        ).json()
        assert "errors" not in found and len(found["data"]["search"]) > 0
        pending = httpx.post(
            f"{base}/graphql",
            json={"query": CANDIDATES},
        ).json()["data"]["duplicateCandidates"]
        assert pending["totalCount"] > 0  # the demo's overlaps, found on Neo4j
        first = pending["edges"][0]["node"]
        for path in ("/", "/wg/wg6", "/wg/wg6/gaps", "/wg/wg6/graph", "/imports",
                     f"/review?a={first['aId']}&b={first['bId']}",
                     "/wg/wg6/report.md"):  # fmt: skip
            page = httpx.get(base + path, timeout=30)
            assert page.status_code == 200, (path, page.text[:300])
        upload = httpx.post(
            f"{base}/imports",
            params={"filename": "catalog-v1.json"},
            content=(DATA / "catalog-v1.json").read_bytes(),
            headers={"Authorization": f"Bearer {secret}"},
            timeout=60,
        )
        assert upload.status_code == 200, upload.text
        assert upload.json()["counts"]["created"] == 6
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    analysed = run_cli(["analyze", "duplicates", "--format", "json"], env)
    assert analysed.returncode == 0, analysed.stderr
    assert len(json.loads(analysed.stdout)) == pending["totalCount"]


def _everything(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    skip = " AND ".join(f"NOT n:{label}" for label in BOOKKEEPING)
    nodes = store.read(
        f"MATCH (n) WHERE {skip} RETURN labels(n)[0] AS label, n {{.*}} AS props "
        "ORDER BY label, props.id"
    )
    for node in nodes:
        for name in DERIVED_PROPERTIES:
            node["props"].pop(name, None)
    links = store.read(
        "MATCH (a)-[r]->(b) WHERE NOT a:AuditEvent AND NOT a:ImportRun "
        "RETURN labels(a)[0] AS a_label, a.id AS a, type(r) AS type, r {.*} AS props, "
        "labels(b)[0] AS b_label, b.id AS b ORDER BY a_label, a, type, b_label, b"
    )
    return nodes, links


def _pairs(env: dict[str, str]) -> list[tuple[str, str, float]]:
    done = run_cli(["analyze", "duplicates", "--format", "json"], env)
    assert done.returncode == 0, done.stderr
    return sorted((r["a"], r["b"], round(r["score"], 3)) for r in json.loads(done.stdout))


def test_moving_a_registry_from_the_embedded_engine_to_neo4j(
    neo4j: Neo4jStore, data_dir: Path, tmp_path: Path
) -> None:
    embedded = cli_env(data_dir)
    assert run_cli(["seed"], embedded).returncode == 0
    assert run_cli(["import", str(DATA / "initiatives.csv")], embedded).returncode == 0
    before = _pairs(embedded)
    path = tmp_path / "registry.json"
    assert run_cli(["export", "-o", str(path)], embedded).returncode == 0

    target = graph_env(neo4j, tmp_path / "unused")
    assert run_cli(["db", "migrate"], target).returncode == 0
    moved = run_cli(["import", str(path)], target)
    assert moved.returncode == 0, moved.stderr

    source = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        # every node, relationship and property, the same on both engines
        assert _everything(neo4j) == _everything(source)
    finally:
        source.close()
    assert before and _pairs(target) == before  # and the same duplicate candidates
