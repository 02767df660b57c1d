"""Shared fixtures: one embedded FalkorDB per test session, one graph per test.

The `store` fixture is parametrized over backends. FalkorDB always runs; Neo4j runs
when NEO4J_URI is set or a Docker engine answers (testcontainers), otherwise its
cases are skipped with the reason shown in the summary.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedEngine
from graph.falkordb_store import FalkorStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore


@pytest.fixture(scope="session")
def engine_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    engine = EmbeddedEngine(tmp_path_factory.mktemp("engine"))
    port = engine.acquire()
    yield port
    engine.release()


def new_falkor_store(port: int) -> FalkorStore:
    store = FalkorStore(host="127.0.0.1", port=port, graph=f"test_{uuid.uuid4().hex[:12]}")
    store.apply_schema()
    return store


@pytest.fixture
def falkor_store(engine_port: int) -> Iterator[FalkorStore]:
    """A fresh, schema-applied graph of its own on the session's embedded engine."""
    store = new_falkor_store(engine_port)
    yield store
    store.clear()
    store.close()


_neo4j_reason: str | None = None


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def neo4j_session_store() -> Iterator[Neo4jStore]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        store = Neo4jStore(
            url=uri,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
        store.verify()
        yield store
        store.close()
        return
    if not _docker_available():
        pytest.skip("Neo4j backend: NEO4J_URI is not set and no Docker engine answers")
    try:
        from testcontainers.community.neo4j import Neo4jContainer
    except ImportError:  # testcontainers before 4.10 kept it at the top level
        from testcontainers.neo4j import Neo4jContainer  # type: ignore[no-redef]

    with Neo4jContainer("neo4j:5-community") as container:
        store = Neo4jStore(
            url=container.get_connection_url(),
            user="neo4j",
            password=container.password,
            database=None,
        )
        store.verify()
        yield store
        store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, engine_port: int) -> Iterator[GraphStore]:
    """Each backend the contract must hold on; isolated per test."""
    if request.param == "falkordb":
        falkor = new_falkor_store(engine_port)
        yield falkor
        falkor.clear()
        falkor.close()
    else:
        neo: Neo4jStore = request.getfixturevalue("neo4j_session_store")
        neo.clear()
        neo.apply_schema()
        yield neo
        neo.clear()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    return path
