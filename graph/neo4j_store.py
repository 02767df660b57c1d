"""GraphStore adapter for Neo4j 5 through the official driver.

Reads go through managed read transactions and writes through managed write
transactions, so the driver retries transient failures and, with `neo4j://` or
`neo4j+s://` URLs, routes them to the right member of a cluster or Aura. `read_async`
does the same through the driver's async API (an AsyncDriver per event loop, on the same
URL and credentials), so a served worker waits on Neo4j without holding a thread.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import neo4j
import neo4j.exceptions as nx

from graph import dialect
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
from graph.migrations import read_schema_version, record_schema_version
from graph.store import Health, Row, Statements
from schema.errors import GraphUnavailable

log = logging.getLogger(__name__)
# The driver logs connection failures itself; without a handler Python's last-resort
# handler would print them before our own one-line message. The service's logging
# configuration (root handler) still receives them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


_SCALARS = frozenset({str, int, float, bool, type(None)})


# What a row holds as a map: a node or relationship (its properties) or a map.
_MAPS = (neo4j.graph.Node, neo4j.graph.Relationship, dict)


def _plain(value: Any) -> Any:
    """Nodes and relationships as their properties, temporal values as ISO text. A scalar
    inside a map or a list is kept without a call: a planned read's answer holds
    thousands of them."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    # the exact types first: the entities' isinstance goes through abc
    if kind is dict or (kind is not list and isinstance(value, _MAPS)):
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}
    if kind is list or isinstance(value, list):
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if hasattr(value, "iso_format"):  # neo4j.time values, should a statement return one
        return value.iso_format()
    return value


def _row(record: neo4j.Record) -> Row:
    return dict(zip(record.keys(), map(_plain, record.values()), strict=True))


def _collect(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[Row]:
    return [_row(record) for record in tx.run(cypher, params)]


async def _collect_async(
    tx: neo4j.AsyncManagedTransaction, cypher: str, params: dict[str, Any]
) -> list[Row]:
    result = await tx.run(cypher, params)
    return [_row(record) async for record in result]


class Neo4jStore(Statements):
    backend = Backend.NEO4J

    def __init__(self, *, url: str, user: str, password: str, database: str | None) -> None:
        self.url = url
        self.database = database
        self.round_trips = 0
        self._driver = neo4j.GraphDatabase.driver(url, auth=(user, password))
        self._async = PerLoop(
            lambda: neo4j.AsyncGraphDatabase.driver(url, auth=(user, password)),
            lambda driver: driver.close(),
        )

    @property
    def location(self) -> str:
        return self.url

    @cached_property
    def _errors(self) -> Translation:
        """The driver's errors in the project's terms (see graph/errors.py), made once."""
        unanswered = (nx.ServiceUnavailable, nx.SessionExpired, nx.TransientError, OSError)
        refused = f"Neo4j at {self.url} refused the credentials"
        return (
            (nx.ConstraintError, lambda _: ConstraintViolation(DUPLICATE_ID)),
            (nx.AuthError, lambda _: GraphUnavailable(refused)),
            (unanswered, self._unavailable),
            (nx.Neo4jError, _refused),
        )

    def _unavailable(self, _: Exception) -> GraphUnavailable:
        return GraphUnavailable(f"Neo4j at {self.url} is not answering")

    def verify(self) -> None:
        """Fail fast at start-up with a project error if the server cannot be used."""
        # A malformed address is a ValueError of the driver's, only when it first connects.
        with translated([*self._errors, (ValueError, self._unavailable)]):
            self._driver.verify_connectivity()

    def _execute(self, cypher: str, params: dict[str, Any], *, read_only: bool) -> list[Row]:
        with translated(self._errors), self._driver.session(database=self.database) as session:
            if read_only:
                return session.execute_read(_collect, cypher, params)
            return session.execute_write(_collect, cypher, params)

    async def _execute_async(self, cypher: str, params: dict[str, Any]) -> list[Row]:
        with translated(self._errors):
            async with self._async.get().session(database=self.database) as session:
                return await session.execute_read(_collect_async, cypher, params)

    async def _execute_together_async(
        self, reads: Sequence[tuple[str, dict[str, Any]]]
    ) -> list[list[Row]]:
        """The reads in one managed read transaction: one session, BEGIN and COMMIT."""

        async def each(tx: neo4j.AsyncManagedTransaction) -> list[list[Row]]:
            return [await _collect_async(tx, cypher, params) for cypher, params in reads]

        with translated(self._errors):
            async with self._async.get().session(database=self.database) as session:
                return await session.execute_read(each)

    def apply_schema(self) -> None:
        for statement in dialect.neo4j_schema_statements():
            # IF NOT EXISTS does not cover a worker creating the same rule at that moment.
            with contextlib.suppress(SchemaRuleExists):
                self.write(statement)
        record_schema_version(self)
        # Statistics sampled on a smaller graph (before a bulk load) make the planner
        # scan an index where it should seek: 10,000 rows read for 50 ids, a dashboard
        # 4x slower. Resampling at start-up and migration lets it plan on the graph as it
        # is; the server resamples by itself later on.
        self.write(dialect.NEO4J_RESAMPLE)

    def health(self) -> Health:
        self.round_trips += 1
        with translated(self._errors):
            info = self._driver.get_server_info()
        version = info.agent.split("/", 1)[-1]
        return Health(
            backend=self.backend, version=version, schema_version=read_schema_version(self)
        )

    def clear(self) -> None:
        self.write("MATCH (n) DETACH DELETE n")

    def close(self) -> None:
        self._async.forget()
        self._driver.close()

    async def close_async(self) -> None:
        await self._async.close()


# What Neo4j answers a schema rule created while another transaction created it.
_RULE_EXISTS = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
}


def _refused(exc: Exception) -> GraphQueryError:
    if getattr(exc, "code", None) in _RULE_EXISTS:
        return SchemaRuleExists(str(exc))
    log.error("Neo4j refused a statement: %s", exc)
    return GraphQueryError("the graph engine refused a statement")
