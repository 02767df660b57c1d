"""Errors raised by graph adapters, on top of the project tree in schema.errors. Every
error the graph package raises on purpose is one of these (the adapters translate the
drivers' own into them).

PariscallError (schema.errors)
 ├── Conflict
 │    └── ConstraintViolation   a unique key would be duplicated
 ├── GraphUnavailable
 │    └── EngineStartFailed     the embedded engine could not be started or found again
 ├── ValidationFailed
 │    └── UnsafeParameter       a parameter the engine cannot carry (NUL byte)
 ├── BadGraphUrl                the configured URL names no engine we run on
 ├── MigrationRefused           the graph's recorded upgrades and this code disagree
 └── GraphQueryError            the engine refused a statement: a bug on our side
      └── SchemaRuleExists      an index or key another process created at the same moment
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from schema.errors import Conflict, GraphUnavailable, PariscallError, Problem, ValidationFailed


class ConstraintViolation(Conflict):
    pass


DUPLICATE_ID = "a record with this id already exists"


class EngineStartFailed(GraphUnavailable):
    """The message says why and where the engine's log is; clients see `public` only."""


class UnsafeParameter(ValidationFailed):
    def __init__(self, path: str) -> None:
        super().__init__([Problem("contains a NUL character, which cannot be stored", field=path)])


class BadGraphUrl(PariscallError, ValueError):
    """The configured URL cannot name a graph; the message says what would."""

    code = "BAD_CONFIGURATION"


class MigrationRefused(PariscallError):
    """A recorded data migration changed since it ran or is unknown to this code, or
    another process held the migration lock too long; the message says which and what to
    do (graph/migrations)."""


class GraphQueryError(PariscallError):
    """The engine rejected a statement; the message stays in logs, never in responses."""

    code = "INTERNAL"


class SchemaRuleExists(GraphQueryError):
    """An index or unique key being created exists already: another process starting at
    the same moment created it after this one looked (neither engine's `IF NOT EXISTS`,
    nor a look first, covers that race). What was wanted is there: `apply_schema` goes on."""


# One adapter's translation table: the driver's exception types, and how each becomes
# one of the tree's (first match wins, so specific types go first).
Kinds = type[BaseException] | tuple[type[BaseException], ...]
Translation = Sequence[tuple[Kinds, Callable[[Any], Exception]]]


@contextmanager
def translated(table: Translation) -> Iterator[None]:
    """Raise the tree's error for a driver's, as the adapter's table says; anything not in
    the table goes up as it is (a bug of ours, not the engine's)."""
    try:
        yield
    except Exception as exc:
        for kinds, make in table:
            if isinstance(exc, kinds):
                raise make(exc) from exc
        raise
