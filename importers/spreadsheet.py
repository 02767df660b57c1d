"""Spreadsheets co-chairs keep (CSV or XLSX, first sheet, header row 1), of three kinds:

- initiatives: id, title, language (required); summary, url, status, started_on, topics,
  working_groups, principles, recommendations, contributors (optional). List cells are
  ';'-separated ids; contributors are 'signatory' or 'signatory:role'.
- signatories: id, name, kind (required); country, joined_on, website.
- memberships: signatory_id, working_group_id (required); role, since.
The kind is given or recognised from the header. Cells are trimmed. Unknown columns are
reported as warnings and ignored; missing required columns are errors. Row numbers are
the spreadsheet's (header = 1).
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from importers.validation import validate_all
from schema.errors import Problem, ValidationFailed
from schema.models import Signatory
from schema.records import InitiativeRecord
from schema.relationships import Membership

LISTS = {"topics", "working_groups", "principles", "recommendations", "contributors"}

# kind -> (model, required columns, optional columns)
KINDS: dict[str, tuple[type[BaseModel], tuple[str, ...], tuple[str, ...]]] = {
    "initiatives": (
        InitiativeRecord,
        ("id", "title", "language"),
        (
            "summary",
            "url",
            "status",
            "started_on",
            "topics",
            "working_groups",
            "principles",
            "recommendations",
            "contributors",
        ),
    ),
    "signatories": (Signatory, ("id", "name", "kind"), ("country", "joined_on", "website")),
    "memberships": (Membership, ("signatory_id", "working_group_id"), ("role", "since")),
}


def kind_of(header: list[str]) -> str:
    """Recognise the kind of a sheet from its columns."""
    if "signatory_id" in header and "working_group_id" in header:
        return "memberships"
    if "name" in header and "kind" in header and "title" not in header:
        return "signatories"
    return "initiatives"


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.reader(handle)


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        raise ValueError(f"not an .xlsx workbook ({exc})") from exc
    try:
        if not book.worksheets:
            raise ValueError("the workbook has no sheet")
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def rows(path: Path) -> Iterator[list[Any]]:
    try:
        yield from (_xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path))
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise ValidationFailed([Problem(f"cannot be read: {exc}", file=path.name)]) from exc


def _record(raw: dict[str, str | None]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column, value in raw.items():
        if value is None:
            continue
        if column == "contributors":
            people = []
            for item in value.split(";"):
                name, _, role = item.strip().partition(":")
                if name.strip():
                    people.append(
                        {"signatory_id": name.strip()} | ({"role": role.strip()} if role else {})
                    )
            record[column] = people
        elif column in LISTS:
            record[column] = [part.strip() for part in value.split(";") if part.strip()]
        else:
            record[column] = value
    return record


def read_sheet(path: Path, kind: str | None = None) -> tuple[str, list[tuple[int, Any]], list[str]]:
    """(kind, [(row, record)], warnings); raises ValidationFailed listing every problem."""
    iterator = rows(path)
    header = [(_cell(h) or "").lower() for h in next(iterator, [])]
    kind = kind or kind_of(header)
    if kind not in KINDS:
        raise ValidationFailed([Problem(f"unknown kind '{kind}'", file=path.name)])
    model, required, optional = KINDS[kind]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationFailed(
            [Problem(f"required column '{c}' is missing", row=1, file=path.name) for c in missing]
        )
    warnings = [
        f"{path.name}: column '{h}' is not one of ours and was ignored"
        for h in header
        if h and h not in required + optional
    ]
    known = [(i, h) for i, h in enumerate(header) if h in required + optional]
    records: list[tuple[int | str, dict[str, Any]]] = []
    for number, values in enumerate(iterator, start=2):
        raw = {h: _cell(values[i]) if i < len(values) else None for i, h in known}
        if any(v is not None for v in raw.values()):
            records.append((number, _record(raw)))
    problems: list[Problem] = []
    valid = validate_all(model, records, file=path.name, problems=problems)
    if not problems:  # every row is valid, so rows and records line up
        first_row: dict[str, int] = {}
        for (row, _), record in zip(records, valid, strict=True):
            key = _key(record)
            if key in first_row:
                problems.append(
                    Problem(f"{key} is also on row {first_row[key]}", row=int(row), file=path.name)
                )
            first_row.setdefault(key, int(row))
    if problems:
        raise ValidationFailed(problems)
    numbered = [(int(row), record) for (row, _), record in zip(records, valid, strict=True)]
    return kind, numbered, warnings


def _key(record: Any) -> str:
    if isinstance(record, Membership):
        return f"membership {record.signatory_id} → {record.working_group_id}"
    return f"id '{record.id}'"
