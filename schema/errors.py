"""Project errors, shared by every layer so adapters can translate into them.

PariscallError
 ├── ValidationFailed   input broke a rule; carries every problem with its location
 │    └── TooLarge      input that would unpack or expand beyond a limit (HTTP 413)
 ├── NotFound           a referenced record does not exist
 ├── Conflict           stale version or unique-key clash; nothing was written
 ├── Unauthenticated    missing, invalid, expired or revoked credentials
 ├── Forbidden          valid credentials without the right
 └── GraphUnavailable   the graph engine cannot be reached right now
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as attribute


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where: file, row/path and field as known.

    `kind` and `context` are pydantic's error type and its values (`enum`, expected=...)
    when pydantic found the problem, so a page can say it in its reader's language; the
    message stays the English one the API and the command line show."""

    message: str
    field: str | None = None
    row: int | None = None
    file: str | None = None
    kind: str | None = attribute(default=None, compare=False)
    context: tuple[tuple[str, str], ...] = attribute(default=(), compare=False)

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class PariscallError(Exception):
    """Base of every error the project raises on purpose."""

    code = "INTERNAL"


class ValidationFailed(PariscallError):
    code = "VALIDATION"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems) or "invalid input")


class TooLarge(ValidationFailed):
    """Input refused for its size rather than its content (a workbook that unpacks to
    300 MB): the same problems with places, answered as 413 by HTTP doors."""

    code = "PAYLOAD_TOO_LARGE"


class NotFound(PariscallError):
    code = "NOT_FOUND"

    def __init__(self, kind: str, id: str) -> None:
        self.kind = kind
        self.id = id
        super().__init__(f"{kind} '{id}' does not exist")


class Conflict(PariscallError):
    code = "CONFLICT"

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        self.current_version = current_version
        super().__init__(message)


class Unauthenticated(PariscallError):
    code = "UNAUTHENTICATED"


class Forbidden(PariscallError):
    code = "FORBIDDEN"


class GraphUnavailable(PariscallError):
    code = "GRAPH_UNAVAILABLE"
    # What a client of the service is told: the engine's address stays in the logs.
    public = "the graph engine is not answering right now; try again in a few seconds"
