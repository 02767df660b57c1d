"""The GraphStore port: the one interface the rest of the project uses to reach a graph.

Contract, honoured by every adapter and checked by tests/integration/test_store_contract.py:
- `read` runs one statement in a read transaction (routed to a reader on a cluster);
  `write` runs one statement in a write transaction. Each statement is atomic: it is
  applied whole or not at all. There are no multi-statement transactions, because the
  embedded engine has none; a use case that must be atomic is written as one statement
  (or staged and published, as the importers do).
- `read_async` is `read` awaited on the running event loop through the engine's async
  client: a served worker answers other requests (and /health) while the engine works,
  without holding one of its few worker threads (the planned GraphQL reads use it).
  Every other call blocks; a caller on an event loop runs it in a worker thread.
  `close_async` closes the running loop's async client (graph/loop_clients.py).
- `read_together_async` awaits several reads at once, in one read transaction where the
  engine has multi-statement transactions (Neo4j: one session, one BEGIN and COMMIT for
  a request's root fields), concurrently on the async client where it has not (FalkorDB).
  The answers come in the order of the reads.
- Parameters are always passed separately from the statement text; statement text never
  contains user input.
- Results are lists of plain dicts whose values are str/int/float/bool/None, lists and
  dicts of those. Driver types never leave the adapter.
- `write_batched` runs a statement that starts with `UNWIND $rows AS row` once per batch
  and returns the number of rows sent; each batch is atomic on its own.
- Failures surface as project errors: GraphUnavailable when the engine cannot be
  reached, ConstraintViolation on a unique-key clash, UnsafeParameter for values the
  engine cannot carry, GraphQueryError for statements the engine refuses.
- Every call to the engine counts as one round trip in `round_trips` and in the
  RoundTrips counter active in the caller's context, if any (see `count_round_trips`).
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.backends import Backend
from graph.errors import UnsafeParameter

Params = Mapping[str, Any]
Row = dict[str, Any]


@dataclass(frozen=True)
class Health:
    backend: str
    version: str
    schema_version: int | None


@dataclass
class RoundTrips:
    """Counts engine calls made while it is the active counter in a context."""

    count: int = 0
    statements: list[str] = field(default_factory=list)


_active_counter: contextvars.ContextVar[RoundTrips | None] = contextvars.ContextVar(
    "pariscall_round_trips", default=None
)


@contextmanager
def count_round_trips() -> Iterator[RoundTrips]:
    """Count the engine calls made in this context (and threads it hands work to)."""
    counter = RoundTrips()
    token = _active_counter.set(counter)
    try:
        yield counter
    finally:
        _active_counter.reset(token)


def note_round_trip(cypher: str) -> None:
    counter = _active_counter.get()
    if counter is not None:
        counter.count += 1
        counter.statements.append(cypher)


class GraphStore(Protocol):
    """A graph engine as the project sees it; see the module docstring for the contract."""

    backend: Backend
    round_trips: int

    @property
    def location(self) -> str:
        """Where the graph lives, as a URL without credentials (falkordb://h:p/graph)."""
        ...

    def read(self, cypher: str, params: Params | None = None) -> list[Row]: ...

    async def read_async(self, cypher: str, params: Params | None = None) -> list[Row]: ...

    async def read_together_async(
        self, reads: Sequence[tuple[str, Params | None]]
    ) -> list[list[Row]]: ...

    def write(self, cypher: str, params: Params | None = None) -> list[Row]: ...

    def write_batched(
        self,
        cypher: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = 1000,
        params: Params | None = None,
    ) -> int: ...

    def apply_schema(self) -> None: ...

    def health(self) -> Health: ...

    def clear(self) -> None: ...

    def close(self) -> None: ...

    async def close_async(self) -> None: ...


def batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    """Cut an iterable into lists of at most `size` rows without loading it whole."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def check_params(value: Any, path: str = "$") -> None:
    """Refuse values the engines cannot carry before they reach a driver.

    The embedded engine's protocol ends strings at a NUL byte, which would truncate data
    silently or break the statement; the models refuse NUL too, this is the last guard.
    """
    if isinstance(value, str):
        if "\x00" in value:
            raise UnsafeParameter(path)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_params(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_params(item, f"{path}[{index}]")


class Statements:
    """What both adapters do around each statement, written once: parameter checks, the
    round-trip count (per store and per request), and batching. An adapter supplies
    `_execute`, which runs one statement and translates its driver's errors, and
    `_execute_async`, the same for a read on its async client."""

    round_trips: int

    def _execute(self, cypher: str, params: dict[str, Any], *, read_only: bool) -> list[Row]:
        raise NotImplementedError

    async def _execute_async(self, cypher: str, params: dict[str, Any]) -> list[Row]:
        raise NotImplementedError

    def _bound(self, cypher: str, params: Params | None) -> dict[str, Any]:
        """The parameters, checked, with the round trip counted."""
        bound = dict(params or {})
        check_params(bound)
        self.round_trips += 1
        note_round_trip(cypher)
        return bound

    def _run(self, cypher: str, params: Params | None, *, read_only: bool) -> list[Row]:
        return self._execute(cypher, self._bound(cypher, params), read_only=read_only)

    def read(self, cypher: str, params: Params | None = None) -> list[Row]:
        return self._run(cypher, params, read_only=True)

    async def read_async(self, cypher: str, params: Params | None = None) -> list[Row]:
        return await self._execute_async(cypher, self._bound(cypher, params))

    async def read_together_async(
        self, reads: Sequence[tuple[str, Params | None]]
    ) -> list[list[Row]]:
        return await self._execute_together_async([(c, self._bound(c, p)) for c, p in reads])

    async def _execute_together_async(
        self, reads: Sequence[tuple[str, dict[str, Any]]]
    ) -> list[list[Row]]:
        """Reads awaited concurrently: an engine without multi-statement transactions."""
        return list(await asyncio.gather(*(self._execute_async(c, p) for c, p in reads)))

    def write(self, cypher: str, params: Params | None = None) -> list[Row]:
        return self._run(cypher, params, read_only=False)

    def write_batched(
        self,
        cypher: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = 1000,
        params: Params | None = None,
    ) -> int:
        sent = 0
        for chunk in batches(rows, batch_size):
            self._run(cypher, {**(params or {}), "rows": chunk}, read_only=False)
            sent += len(chunk)
        return sent
