"""Pydantic's verdict in the project's words: problems with dotted field paths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schema.errors import Problem, ValidationFailed

M = TypeVar("M", bound=BaseModel)


def problems_of(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """Pydantic errors as project problems with dotted field paths."""
    out = []
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"])
        # pydantic prefixes the project's own messages with "Value error, ": noise to users
        message = error["msg"].removeprefix("Value error, ")
        out.append(Problem(message, field=f"{prefix}{path}" if prefix else path or None))
    return out


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """`model` made from `data`, or ValidationFailed naming every wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_of(exc)) from exc
