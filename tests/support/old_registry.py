"""The registry an earlier version stored (tests/data/upgrade), opened by today's code.

`tests/upgrade_fixture.py` wrote it; see tests/data/upgrade/README.md. Each engine's
archive is unpacked into a temporary folder and opened as the product opens a graph: the
embedded engine on that data directory, or Neo4j Community (the launcher) on that home.
"""

from __future__ import annotations

import gzip
import json
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.connect import GraphConfig, open_store
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from tests.neo4j_server import launched

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "upgrade"
ENGINES = ("falkordb", "neo4j")


def expected(engine: str) -> dict[str, Any]:
    """What the earlier version's own doors showed of the graph it stored."""
    with gzip.open(FIXTURE / f"{engine}-expected.json.gz", "rt", encoding="utf-8") as handle:
        return dict(json.load(handle))


def unpack(engine: str, into: Path) -> Path:
    with tarfile.open(FIXTURE / f"{engine}.tar.xz") as tar:
        # Only plain files below `into` (Python before 3.11.4 has no filters: ours are).
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)
    return into


@contextmanager
def old_graph(engine: str, folder: Path) -> Iterator[Callable[[], GraphStore]]:
    """The stored graph, running; yields a function opening one more store on it (each
    its own connection, as each worker process has). Stores opened are closed after."""
    opened: list[GraphStore] = []
    if engine == "falkordb":
        config = GraphConfig(url=None, data_dir=unpack(engine, folder / "data"))

        def falkordb() -> GraphStore:
            opened.append(open_store(config))
            return opened[-1]

        try:
            yield falkordb
        finally:
            for store in opened:
                store.close()
        return
    with launched(home=unpack(engine, folder / "neo4j"), discard=True) as server:

        def neo4j() -> GraphStore:
            store = Neo4jStore(url=server.uri, user=server.user, password="", database=None)
            opened.append(store)
            return store

        try:
            yield neo4j
        finally:
            for store in opened:
                store.close()


def graph_image(store: GraphStore) -> list[str]:
    """Every node and relationship with its properties, as sorted canonical JSON lines:
    two images are equal when the graphs hold the same data. The time the schema was last
    applied is left out: every start records it."""
    image = []
    for row in store.read("MATCH (n) RETURN labels(n) AS labels, n {.*} AS props"):
        props = dict(row["props"])
        if "SchemaInfo" in row["labels"] and props.get("id") == "schema":
            props.pop("applied_at", None)
        image.append(json.dumps([sorted(row["labels"]), props], sort_keys=True))
    for row in store.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, labels(a)[0] AS a_label, a.id AS a, "
        "labels(b)[0] AS b_label, b.id AS b, r {.*} AS props"
    ):
        image.append(json.dumps(row, sort_keys=True))
    return sorted(image)
