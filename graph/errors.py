"""Errors raised by graph adapters, on top of the project tree in schema.errors.

PariscallError (schema.errors)
 ├── Conflict
 │    └── ConstraintViolation   a unique key would be duplicated
 ├── GraphUnavailable
 │    └── EngineStartFailed     the embedded engine could not be started
 ├── ValidationFailed
 │    └── UnsafeParameter       a parameter the engine cannot carry (NUL byte)
 └── GraphQueryError            the engine refused a statement: a bug on our side
"""

from __future__ import annotations

from schema.errors import Conflict, GraphUnavailable, PariscallError, Problem, ValidationFailed


class ConstraintViolation(Conflict):
    pass


class EngineStartFailed(GraphUnavailable):
    pass


class UnsafeParameter(ValidationFailed):
    def __init__(self, path: str) -> None:
        super().__init__([Problem("contains a NUL character, which cannot be stored", field=path)])


class GraphQueryError(PariscallError):
    """The engine rejected a statement; the message stays in logs, never in responses."""

    code = "INTERNAL"
