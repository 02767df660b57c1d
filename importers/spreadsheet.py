"""Initiatives from spreadsheets co-chairs keep (CSV or XLSX, first sheet, header row 1).

Columns: id, title, language (required); summary, url, status, started_on, topics,
working_groups, principles, recommendations, contributors (optional). List cells are
';'-separated ids; contributors are 'signatory' or 'signatory:role' (lead, partner,
supporter). Cells are trimmed. Unknown columns are reported as warnings and ignored;
missing required columns are errors. Row numbers are the spreadsheet's (header = 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from importers.validation import validate_all
from schema.errors import Problem, ValidationFailed
from schema.records import InitiativeRecord

REQUIRED = ("id", "title", "language")
OPTIONAL = (
    "summary",
    "url",
    "status",
    "started_on",
    "topics",
    "working_groups",
    "principles",
    "recommendations",
    "contributors",
)
LISTS = {"topics", "working_groups", "principles", "recommendations", "contributors"}


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

    book = load_workbook(path, read_only=True, data_only=True)
    try:
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


def read_initiatives(path: Path) -> tuple[list[tuple[int, InitiativeRecord]], list[str]]:
    """(row, record) for every row, and warnings; raises ValidationFailed listing every
    problem."""
    iterator = rows(path)
    header = [(_cell(h) or "").lower() for h in next(iterator, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(
            [Problem(f"required column '{c}' is missing", row=1, file=path.name) for c in missing]
        )
    warnings = [
        f"{path.name}: column '{h}' is not one of ours and was ignored"
        for h in header
        if h and h not in REQUIRED + OPTIONAL
    ]
    known = [(i, h) for i, h in enumerate(header) if h in REQUIRED + OPTIONAL]
    records: list[tuple[int | str, dict[str, Any]]] = []
    for number, values in enumerate(iterator, start=2):
        raw = {h: _cell(values[i]) if i < len(values) else None for i, h in known}
        if any(v is not None for v in raw.values()):
            records.append((number, _record(raw)))
    problems: list[Problem] = []
    valid = validate_all(InitiativeRecord, records, file=path.name, problems=problems)
    if not problems:  # every row is valid, so rows and records line up
        first_row: dict[str, int] = {}
        for (row, _), record in zip(records, valid, strict=True):
            if record.id in first_row:
                problems.append(
                    Problem(
                        f"id '{record.id}' is also on row {first_row[record.id]}",
                        row=int(row),
                        field="id",
                        file=path.name,
                    )
                )
            first_row.setdefault(record.id, int(row))
    if problems:
        raise ValidationFailed(problems)
    return [(int(row), record) for (row, _), record in zip(records, valid, strict=True)], warnings
