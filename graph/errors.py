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
 └── GraphQueryError            the engine refused a statement: a bug on our side
"""

from __future__ import annotations

from schema.errors import Conflict, GraphUnavailable, PariscallError, Problem, ValidationFailed


class ConstraintViolation(Conflict):
    pass


class EngineStartFailed(GraphUnavailable):
    """The message says why and where the engine's log is; clients see `public` only."""


class UnsafeParameter(ValidationFailed):
    def __init__(self, path: str) -> None:
        super().__init__([Problem("contains a NUL character, which cannot be stored", field=path)])


class BadGraphUrl(PariscallError, ValueError):
    """The configured URL cannot name a graph; the message says what would."""

    code = "BAD_CONFIGURATION"


class GraphQueryError(PariscallError):
    """The engine rejected a statement; the message stays in logs, never in responses."""

    code = "INTERNAL"
