"""Validate raw records against schema models, collecting every problem with its place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schema.errors import Problem

M = TypeVar("M", bound=BaseModel)


def field_path(loc: tuple[int | str, ...]) -> str:
    """('contributors', 0, 'role') -> 'contributors[0].role'"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate_all(
    model: type[M],
    records: Iterable[tuple[int | str, Mapping[str, Any]]],
    *,
    file: str,
    problems: list[Problem],
) -> list[M]:
    """Validate each (row or path, record); append problems instead of stopping at the first."""
    valid: list[M] = []
    for where, record in records:
        try:
            valid.append(model.model_validate(record))
        except ValidationError as exc:
            for error in exc.errors():
                problems.append(
                    Problem(
                        message=message(error["msg"]),
                        field=field_path(tuple(error["loc"])) or None,
                        row=where if isinstance(where, int) else None,
                        file=file if isinstance(where, int) else f"{file} {where}",
                    )
                )
    return valid


def problems_from(exc: ValidationError, *, file: str, prefix: str = "") -> list[Problem]:
    """A pydantic error as located problems; `prefix` is the record's path in the file."""
    out = []
    for error in exc.errors():
        path = field_path(tuple(error["loc"]))
        where = f"{prefix}.{path}" if prefix and path else (prefix or path)
        out.append(Problem(message(error["msg"]), field=where or None, file=file))
    return out


def message(text: str) -> str:
    """pydantic prefixes our own messages with 'Value error, '; users need only the message."""
    return text.removeprefix("Value error, ")
