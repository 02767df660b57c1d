"""Validate raw records against schema models, collecting every problem with its place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from schema.errors import Problem, ValidationFailed

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
                        kind=error["type"],
                        context=context(error),
                    )
                )
    return valid


def problems_from(exc: ValidationError, *, file: str, prefix: str = "") -> list[Problem]:
    """A pydantic error as located problems; `prefix` is the record's path in the file."""
    out = []
    for error in exc.errors():
        path = field_path(tuple(error["loc"]))
        where = f"{prefix}.{path}" if prefix and path else (prefix or path)
        out.append(
            Problem(
                message(error["msg"]),
                field=where or None,
                file=file,
                kind=error["type"],
                context=context(error),
            )
        )
    return out


def context(error: ErrorDetails) -> tuple[tuple[str, str], ...]:
    """pydantic's values for its message (expected=..., min_length=...), as text; the
    exception a validator raised is left out (its message is the problem's own)."""
    found = error.get("ctx") or {}
    return tuple((k, str(v)) for k, v in found.items() if not isinstance(v, BaseException))


def message(text: str) -> str:
    """pydantic prefixes our own messages with 'Value error, '; users need only the message."""
    return text.removeprefix("Value error, ")


def check_utf8(path: Path) -> None:
    """Refuse a file that is not UTF-8, at the line of its first foreign byte: publishers
    and spreadsheet programs save latin-1 or Windows-1252 unless asked not to, and a
    parser's own report gives a byte offset or raw bytes instead."""
    import codecs

    advice = "save it as UTF-8"
    if path.suffix.lower() == ".csv":
        advice += " (in a spreadsheet program: Save As, 'CSV UTF-8')"
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = chunk[: max(exc.start, 0)]
                line += bad.count(b"\n")
                byte = chunk[exc.start] if 0 <= exc.start < len(chunk) else 0
                raise ValidationFailed(
                    [
                        Problem(
                            f"is not UTF-8 (byte 0x{byte:02X} on line {line}): {advice}",
                            row=line,
                            file=path.name,
                        )
                    ]
                ) from exc
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                [Problem(f"is not UTF-8 (its end, line {line})", file=path.name)]
            ) from exc
