"""Typed mutation errors, and running a use case so that expected failures become them.

Expected failures (bad input, unknown ids, stale versions, missing rights) are data in
the payload's `errors` list, each with its own type; an unavailable graph or a bug stays
a top-level GraphQL error (coded, masked, logged) as for queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.utils.str_converters import to_camel_case

from api.graphql.context import Context
from schema.errors import Conflict, Forbidden, NotFound, ValidationFailed

T = TypeVar("T")


@strawberry.type(description="Input broke a rule; `field` is the path to the input field.")
class ValidationError:
    message: str
    field: list[str] | None = strawberry.field(
        description="Path to the input field, one element per level, list positions "
        'counted from 0: `["contributors", "0", "signatory"]`. Null when the rule concerns '
        "the input as a whole."
    )

    @classmethod
    def at(cls, message: str, path: str | None) -> ValidationError:
        """The error at a dotted path of the use case ('contributors.0.signatory_id')."""
        return cls(message=message, field=camel(path))


@strawberry.type(description="A record named in the input does not exist.")
class NotFoundError:
    message: str
    kind: str
    id: strawberry.ID


@strawberry.type(description="Stale version or existing id: nothing was written.")
class ConflictError:
    message: str
    current_version: int | None


@strawberry.type(description="The caller may not make this change.")
class ForbiddenError:
    message: str


MutationError = Annotated[
    ValidationError | NotFoundError | ConflictError | ForbiddenError,
    strawberry.union("MutationError"),
]


def camel(path: str | None) -> list[str] | None:
    """'contributors.0.signatory_id' -> ['contributors', '0', 'signatoryId'] (GraphQL
    names, one element per level)."""
    if path is None:
        return None
    parts = path.replace("[", ".").replace("]", "").split(".")
    return [to_camel_case(p) for p in parts if p]


async def attempt(
    ctx: Context, fn: Callable[..., T], *args: Any, **kwargs: Any
) -> tuple[T | None, list[MutationError]]:
    """Run a use case in a worker thread; expected failures come back as typed errors."""
    try:
        return await ctx.run(fn, *args, **kwargs), []
    except ValidationFailed as exc:
        return None, [ValidationError.at(p.message, p.field) for p in exc.problems]
    except NotFound as exc:
        return None, [NotFoundError(message=str(exc), kind=exc.kind, id=strawberry.ID(exc.id))]
    except Conflict as exc:
        return None, [ConflictError(message=str(exc), current_version=exc.current_version)]
    except Forbidden as exc:
        return None, [ForbiddenError(message=str(exc))]
