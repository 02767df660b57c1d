"""Shared fixtures: one embedded FalkorDB per test session, one graph per test.

The `store` fixture is parametrized over backends: the embedded FalkorDB, and Neo4j 5
from tests/neo4j_server.py (NEO4J_URI, testcontainers, or the Java launcher). Without a
Neo4j its cases are skipped with the reason, except in CI (CI=true), where that fails.
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
from tests.neo4j_server import Neo4jServer, Unavailable, neo4j_server
from tests.support.apps import release_apps


@pytest.fixture(autouse=True)
def _release_apps() -> Iterator[None]:
    """Each test's apps go when it ends (see tests/support/apps.py)."""
    yield
    release_apps()


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


def _neo4j_missing(reason: str) -> None:
    """No Neo4j here: skip with the reason, or fail where CI must run both engines."""
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j is required in CI: {reason}")
    pytest.skip(f"Neo4j backend: {reason}")


@pytest.fixture(scope="session")
def neo4j_server_info() -> Iterator[Neo4jServer]:
    """The session's Neo4j (see tests/neo4j_server.py for where it comes from)."""
    try:
        with neo4j_server() as server:
            yield server
    except Unavailable as exc:
        _neo4j_missing(str(exc))


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_server_info: Neo4jServer) -> Iterator[Neo4jStore]:
    store = Neo4jStore(
        url=neo4j_server_info.uri,
        user=neo4j_server_info.user,
        password=neo4j_server_info.password,
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
    store.verify()
    yield store
    store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, engine_port: int) -> Iterator[GraphStore]:
    """Each backend the contract must hold on; isolated per test (search caches too: they
    are kept per store object for a minute, and the Neo4j store object is shared)."""
    from analysis import search
    from graph import spellings

    if request.param == "falkordb":
        falkor = new_falkor_store(engine_port)
        yield falkor
        falkor.clear()
        falkor.close()
        spellings.forget(falkor)
        search.forget(falkor)
    else:
        neo: Neo4jStore = request.getfixturevalue("neo4j_session_store")
        neo.clear()
        neo.apply_schema()
        spellings.forget(neo)
        search.forget(neo)
        yield neo
        neo.clear()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    return path


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def engine_env(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[dict[str, str]]:
    """The environment of `pariscall` processes on each engine: the embedded default in
    `data_dir`, and the session's Neo4j (emptied before and after)."""
    from tests.processes import cli_env, graph_env

    if request.param == "embedded":
        yield cli_env(data_dir)
        return
    neo: Neo4jStore = request.getfixturevalue("neo4j_session_store")
    neo.clear()
    yield graph_env(neo, data_dir)
    neo.clear()
