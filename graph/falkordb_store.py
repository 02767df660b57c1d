"""GraphStore adapter for FalkorDB through its native client (not its Bolt port).

`read_async` goes through the client's asyncio flavour (`falkordb.asyncio`, one per event
loop, on the server and port the blocking client uses), so a served worker waits on the
engine without holding a thread; a read it cannot answer that way (a lost connection, a
graph never written to) takes the blocking path, which knows how to recover, in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

import redis.exceptions
from falkordb import FalkorDB
from falkordb.asyncio import FalkorDB as AsyncFalkorDB
from falkordb.asyncio.graph import RO_QUERY_CMD, AsyncGraph
from falkordb.asyncio.query_result import QueryResult as AsyncQueryResult
from falkordb.edge import Edge
from falkordb.graph import QUERY_CMD
from falkordb.node import Node
from falkordb.path import Path
from falkordb.query_result import QueryResult

from graph import dialect
from graph import falkordb_replies as replies
from graph.backends import Backend
from graph.errors import (
    DUPLICATE_ID,
    ConstraintViolation,
    GraphQueryError,
    SchemaRuleExists,
    Translation,
    translated,
)
from graph.loop_clients import PerLoop
from graph.migrations import ENSURE_SCHEMA_NODE, read_schema_version, record_schema_version
from graph.store import Health, Row, Statements
from schema.errors import GraphUnavailable
from schema.graph_shape import FULLTEXT_INDEXES

log = logging.getLogger(__name__)

# How long a statement may run before the client gives up on the connection. A give-up is
# reported as GraphUnavailable while the engine may still finish the statement, so this
# must exceed the longest legitimate write (publishing a 100,000-record import took 10 s;
# 60 s was too close for files ten times that size).
SOCKET_TIMEOUT = 300

_CONNECTION_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Turn client objects into plain values (nodes and edges become their properties).
    A scalar inside a map or a list is kept without a call: a planned read's answer is
    thousands of them, and a call each was a tenth of its time."""
    if type(value) in _SCALARS:  # most values: returned before four isinstance tests
        return value
    if isinstance(value, Node | Edge):
        return _map(value.properties)
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes()]
    if isinstance(value, dict):
        return _map(value)
    if isinstance(value, list):
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    return value


def _map(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v if type(v) in _SCALARS else plain(v) for k, v in value.items()}


class FalkorStore(Statements):
    """One named graph on a FalkorDB server; thread-safe through the client's pool."""

    backend = Backend.FALKORDB

    def __init__(
        self,
        *,
        host: str,
        port: int,
        graph: str,
        on_close: Callable[[], None] | None = None,
        relocate: Callable[[], int] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.graph_name = graph
        self.round_trips = 0
        self._on_close = on_close
        # The embedded engine's `locate`: after a lost connection, where the engine runs
        # now (restarted by its supervisor, or by this process if nothing else is left).
        self._relocate = relocate
        self._relocating = threading.Lock()
        self._async = PerLoop(self._async_graph, _close_async_graph)
        try:
            self._connect(port)
        except _CONNECTION_ERRORS as exc:
            if on_close is not None:
                on_close()
            raise GraphUnavailable(f"FalkorDB at {host}:{port} is not answering") from exc

    def _connect(self, port: int) -> None:
        # The client asks the server about itself on construction.
        db = FalkorDB(
            host=self.host, port=port, socket_connect_timeout=3, socket_timeout=SOCKET_TIMEOUT
        )
        self._db, self._graph, self.port = db, db.select_graph(self.graph_name), port
        # The loops' async clients talked to the engine on the previous port.
        self._async.forget()

    def _async_graph(self) -> AsyncGraph:
        """An async client on the engine the blocking one talks to. Its constructor asks
        the server once, blocking (whether it is a cluster), once per event loop."""
        db = AsyncFalkorDB(
            host=self.host,
            port=self.port,
            socket_connect_timeout=3,
            socket_timeout=SOCKET_TIMEOUT,
        )
        return db.select_graph(self.graph_name)

    def _recover(self, failed: Exception) -> bool:
        """After a connection failure: find the embedded engine again and reconnect.
        True when the store now talks to an engine that answers."""
        if self._relocate is None:
            return False
        with self._relocating:
            try:
                port = self._relocate()
                old = self._db
                self._connect(port)
            except Exception as exc:  # the engine is really down: the caller says so
                log.warning("the embedded engine did not come back: %s (after %s)", exc, failed)
                return False
            with contextlib.suppress(Exception):
                old.connection.close()
        log.warning("reconnected to the embedded engine on port %s after: %s", port, failed)
        return True

    def _unavailable(self, exc: Exception) -> GraphUnavailable:
        return GraphUnavailable(f"FalkorDB at {self.host}:{self.port} is not answering")

    @property
    def location(self) -> str:
        return f"falkordb://{self.host}:{self.port}/{self.graph_name}"

    @cached_property
    def _errors(self) -> Translation:
        """The client's errors in the project's terms (see graph/errors.py), made once
        (`_unavailable` names the port the store talks to at the time)."""
        return (
            (_CONNECTION_ERRORS, self._unavailable),
            (redis.exceptions.ResponseError, _translate),
        )

    def _execute(
        self, cypher: str, params: dict[str, Any], *, read_only: bool, retry: bool = True
    ) -> list[Row]:
        with translated(self._errors):
            try:
                if read_only:
                    result = self._graph.ro_query(cypher, params or None)
                else:
                    result = self._write_alone(cypher, params)
            except _CONNECTION_ERRORS as exc:
                # A read is asked again of the engine found anew; a write is not (it may
                # have been applied before the connection broke): its caller hears it failed.
                if self._recover(exc) and read_only and retry:
                    self.round_trips += 1
                    return self._execute(cypher, params, read_only=True, retry=False)
                raise
            except redis.exceptions.ResponseError as exc:
                if not (read_only and "empty key" in str(exc)):
                    raise
                # The graph has never been written to: materialise it empty (a no-op
                # statement creates the key), then read again, still read-only.
                self._graph.query("RETURN 0")
                self.round_trips += 1
                return self._execute(cypher, params, read_only=True)
        return _rows(result)

    def _write_alone(self, cypher: str, params: dict[str, Any]) -> QueryResult:
        """A write, sent inside MULTI/EXEC so the engine runs it on its main thread, after
        and before every other write of every client. Sent plainly, writes run on the
        engine's worker threads, and 16 clients merging the same relationship at once left
        two or more of it about once in a hundred rounds, where one at a time left one
        (tests/integration/test_engine_quirks.py; FalkorDB 4.16)."""
        graph = self._graph
        query = graph._build_params_header(params or None) + cypher
        with self._db.connection.pipeline(transaction=True) as pipe:
            pipe.execute_command(QUERY_CMD, graph.name, query, "--compact")
            [reply] = pipe.execute()
        return QueryResult(graph, reply)

    async def _execute_async(self, cypher: str, params: dict[str, Any]) -> list[Row]:
        with translated(self._errors):
            try:
                # (a new client asks the server whether it is a cluster: inside the try)
                return await _read_awaited(self._async.get(), cypher, params)
            except _CONNECTION_ERRORS:
                self._async.drop()
            except redis.exceptions.ResponseError as exc:
                if "empty key" not in str(exc):
                    raise
        # The blocking path finds the engine again or materialises the empty graph.
        self.round_trips += 1  # a second call to the engine, as a sync retry counts
        again = partial(self._execute, cypher, params, read_only=True)
        return await asyncio.to_thread(again)

    def _command(self, *args: Any, retry: bool = True) -> Any:
        self.round_trips += 1
        with translated(self._errors):
            try:
                return self._db.connection.execute_command(*args)
            except _CONNECTION_ERRORS as exc:
                if self._recover(exc) and retry:
                    return self._command(*args, retry=False)
                raise

    def apply_schema(self) -> None:
        """Create missing indexes and unique keys, then record the schema version."""
        # Creating the graph key first: index procedures need the graph to exist.
        self.write(ENSURE_SCHEMA_NODE)
        indexes = self.read(dialect.FALKORDB_LIST_INDEXES)
        existing = {
            (row["label"], prop)
            for row in indexes
            for prop, kinds in zip(row["properties"], _types_per_property(row), strict=False)
            if "RANGE" in kinds
        }
        fulltext_labels = {
            row["label"]
            for row in indexes
            if any("FULLTEXT" in kinds for kinds in _types_per_property(row))
        }
        # Another worker starting at once may create one between the look and the write.
        for label, prop in dialect.falkordb_range_indexes():
            if (label, prop) not in existing:
                with contextlib.suppress(SchemaRuleExists):
                    self.write(dialect.falkordb_range_index_statement(label, prop))
                existing.add((label, prop))
        for index in FULLTEXT_INDEXES:
            if index.label not in fulltext_labels:
                with contextlib.suppress(SchemaRuleExists):
                    self.write(dialect.falkordb_fulltext_statement(index))
        # A unique key that exists is skipped: the engine logs a refused creation and
        # replays it, refused again, at every start.
        present = {
            (row["label"], tuple(row["properties"]))
            for row in self.read(dialect.FALKORDB_LIST_CONSTRAINTS)
            if row["type"] == "UNIQUE" and row["entitytype"] == "NODE"
        }
        for key in dialect.falkordb_unique_keys():
            if (key.label, (key.property,)) in present:
                continue
            self.round_trips += 1
            with translated(self._errors):
                try:
                    self._db.connection.execute_command(
                        "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE",
                        key.label, "PROPERTIES", "1", key.property,
                    )  # fmt: skip
                except redis.exceptions.ResponseError as exc:
                    if "already exists" not in str(exc):
                        raise
        record_schema_version(self)

    def health(self) -> Health:
        modules = self._command("MODULE", "LIST")
        version = "unknown"
        for module in modules:
            fields = dict(zip(module[::2], module[1::2], strict=False))
            name = fields.get(b"name", fields.get("name"))
            if name in (b"graph", "graph"):
                number = int(fields.get(b"ver") or fields.get("ver") or 0)
                version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
        return Health(
            backend=self.backend, version=version, schema_version=read_schema_version(self)
        )

    def clear(self) -> None:
        """Delete the whole graph (tests and `db reset`); indexes go with it."""
        self.round_trips += 1
        with translated(self._errors):
            try:
                self._graph.delete()
            except redis.exceptions.ResponseError as exc:
                if "empty key" not in str(exc) and "Invalid graph operation" not in str(exc):
                    raise

    async def close_async(self) -> None:
        await self._async.close()

    def close(self) -> None:
        self._async.forget()
        try:
            self._db.connection.close()
        finally:
            if self._on_close is not None:
                self._on_close()
                self._on_close = None


def _rows(result: Any) -> list[Row]:
    names = [column[1] for column in result.header]
    return [dict(zip(names, (plain(v) for v in row), strict=True)) for row in result.result_set]


async def _read_awaited(graph: AsyncGraph, cypher: str, params: dict[str, Any]) -> list[Row]:
    """A read-only query on the async client, its reply read by graph/falkordb_replies
    (the client's parser awaits a coroutine per value); a reply only the client can read
    (nodes, edges, typed values, an error) goes to its own parser."""
    query = graph._build_params_header(params or None) + cypher
    reply = await graph.execute_command(RO_QUERY_CMD, graph.name, query, "--compact")
    found = replies.rows(reply)
    if found is not None:
        return found
    parsed = AsyncQueryResult(graph)
    await parsed.parse(reply)
    return _rows(parsed)


async def _close_async_graph(graph: AsyncGraph) -> None:
    await graph.client.connection.aclose()


def _types_per_property(row: Row) -> list[list[str]]:
    types = row.get("types") or {}
    if isinstance(types, dict):
        return [list(types.get(prop, [])) for prop in row["properties"]]
    return [list(t) for t in types]


def _translate(exc: redis.exceptions.ResponseError) -> Exception:
    message = str(exc)
    if "unique constraint violation" in message:
        return ConstraintViolation(DUPLICATE_ID)
    if "is already indexed" in message:
        return SchemaRuleExists(message)
    log.error("FalkorDB refused a statement: %s", message)
    return GraphQueryError("the graph engine refused a statement")
