"""Open the GraphStore a configuration asks for: embedded, external FalkorDB or Neo4j."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from graph.embedded import EmbeddedEngine
from graph.errors import BadGraphUrl
from graph.falkordb_store import FalkorStore
from graph.store import GraphStore
from schema.errors import GraphUnavailable

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_GRAPH = "pariscall"


@dataclass(frozen=True)
class GraphConfig:
    url: str | None
    data_dir: Path
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None


def describe(config: GraphConfig) -> str:
    return config.url or f"embedded FalkorDB in {engine_location(config)}"


def engine_location(config: GraphConfig) -> Path:
    return Path(config.data_dir).resolve() / "graph"


def open_store(config: GraphConfig, *, graph: str | None = None) -> GraphStore:
    """Connect (starting the embedded engine if needed) and check the engine answers.

    Raises BadGraphUrl for a URL that names no supported engine and GraphUnavailable
    when the engine cannot be reached or started.
    """
    if not config.url:
        return _open_embedded(config, graph or DEFAULT_GRAPH)
    parts = urlsplit(config.url)
    scheme = parts.scheme.lower()
    if scheme == "falkordb":
        if not parts.hostname:
            raise BadGraphUrl(_advice(config.url))
        try:
            port = parts.port or 6379
        except ValueError as exc:
            raise BadGraphUrl(_advice(config.url)) from exc
        name = graph or parts.path.strip("/") or DEFAULT_GRAPH
        falkor = FalkorStore(host=parts.hostname, port=port, graph=name)
        _check(falkor, config.url)
        return falkor
    if scheme in NEO4J_SCHEMES:
        if not parts.hostname:
            raise BadGraphUrl(_advice(config.url))
        # Imported here: the driver takes a quarter of a second to load, which every
        # CLI run on the embedded engine would otherwise pay.
        from graph.neo4j_store import Neo4jStore

        try:
            neo = Neo4jStore(
                url=config.url,
                user=config.neo4j_user,
                password=config.neo4j_password,
                database=config.neo4j_database,
            )
        except ValueError as exc:
            raise BadGraphUrl(_advice(config.url)) from exc
        neo.verify()
        return neo
    raise BadGraphUrl(_advice(config.url))


def _open_embedded(config: GraphConfig, graph: str) -> FalkorStore:
    engine = EmbeddedEngine(config.data_dir)
    port = engine.acquire()  # EngineStartFailed says why, and where the log is
    return FalkorStore(
        host="127.0.0.1", port=port, graph=graph, on_close=engine.release, relocate=engine.locate
    )


def _check(store: FalkorStore, url: str) -> None:
    try:
        store.health()
    except GraphUnavailable:
        store.close()
        raise


def _advice(url: str) -> str:
    return (
        f"'{url}' is not a graph URL this service can use: give neo4j://HOST:7687, "
        "neo4j+s://HOST (Aura), bolt://HOST:7687 or falkordb://HOST:6379[/GRAPH], "
        "or leave PARISCALL_GRAPH_URL unset to use the embedded engine"
    )
