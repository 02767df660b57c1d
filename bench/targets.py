"""The engine a benchmark runs on: the embedded FalkorDB (default) or a Neo4j server
(`--graph-url bolt://…`, or `--graph-url launch` to start Neo4j Community with the test
suite's launcher), with a raw client of the same engine doing the same work beside ours:
the `falkordb` client on a graph of its own, or the official `neo4j` driver in managed
transactions, as our adapter uses it."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.connect import GraphConfig, open_store
from graph.falkordb_store import FalkorStore
from graph.store import GraphStore


class Raw:
    """The engine's own client: write and read, nothing else."""

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class RawFalkor(Raw):
    def __init__(self, store: FalkorStore, graph: str) -> None:
        from falkordb import FalkorDB

        self.graph = FalkorDB(host=store.host, port=store.port).select_graph(graph)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        self.graph.query(cypher, params)

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
        return list(self.graph.ro_query(cypher, params).result_set)


class RawNeo4j(Raw):
    def __init__(self, url: str, user: str, password: str) -> None:
        import neo4j

        self.driver = neo4j.GraphDatabase.driver(url, auth=(user, password))

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        with self.driver.session() as session:
            session.execute_write(lambda tx: tx.run(cypher, params or {}).consume())

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
        with self.driver.session() as session:
            return session.execute_read(lambda tx: list(tx.run(cypher, params or {})))

    def close(self) -> None:
        self.driver.close()


@dataclass
class Target:
    store: GraphStore
    raw: Raw
    raw_store: GraphStore  # our port on the graph the raw client writes, to inspect it
    env: dict[str, str] = field(default_factory=dict)  # for `pariscall` processes
    name: str = "falkordb"
    # Whether our graph and the raw one are the same (one Neo4j database): then the raw
    # side writes only after ours is cleared.
    shared: bool = False


def add_argument(parser: Any) -> None:
    parser.add_argument(
        "--graph-url",
        default=None,
        help="bolt:// or neo4j:// URL of a Neo4j server, or 'launch' to start Neo4j "
        "Community with tests/neo4j_launcher (default: the embedded FalkorDB)",
    )


def parse_args(description: str | None, **sizes: int) -> argparse.Namespace:
    """The command line of a benchmark on a target: `--graph-url`, and a whole-number
    option per size given (`initiatives=10_000`: `--initiatives`, 10,000 by default)."""
    parser = argparse.ArgumentParser(description=description)
    for name, default in sizes.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    add_argument(parser)
    return parser.parse_args()


@contextmanager
def target(graph_url: str | None, tmp: Path, *, raw_graph: str = "bench_raw") -> Iterator[Target]:
    with ExitStack() as stack:
        if graph_url is None:
            store = open_store(GraphConfig(url=None, data_dir=tmp))
            assert isinstance(store, FalkorStore)
            stack.callback(store.close)
            schema_only = FalkorStore(host=store.host, port=store.port, graph=raw_graph)
            schema_only.apply_schema()  # the same keys and indexes on the raw side
            stack.callback(schema_only.close)
            stack.callback(schema_only.clear)
            raw: Raw = RawFalkor(store, raw_graph)
            env = {**os.environ, "PARISCALL_DATA_DIR": str(tmp)}
            yield Target(store, raw, schema_only, env)
            return
        user = os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD", "")
        if graph_url == "launch":
            from tests.neo4j_server import launched

            graph_url = stack.enter_context(launched(fast_start=False)).uri
        store = open_store(
            GraphConfig(url=graph_url, data_dir=tmp, neo4j_user=user, neo4j_password=password)
        )
        stack.callback(store.close)
        store.clear()
        raw = RawNeo4j(graph_url, user, password)
        stack.callback(raw.close)
        env = {
            **os.environ,
            "PARISCALL_DATA_DIR": str(tmp),
            "PARISCALL_GRAPH_URL": graph_url,
            "PARISCALL_NEO4J_USER": user,
            "PARISCALL_NEO4J_PASSWORD": password,
        }
        yield Target(store, raw, store, env, name="neo4j", shared=True)
