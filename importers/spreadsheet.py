"""Spreadsheets co-chairs keep (CSV or XLSX, first sheet, header row 1), of three kinds:

- initiatives: id, title, language (required); summary, url, status, started_on, topics,
  working_groups, principles, recommendations, contributors (optional). List cells are
  ';'-separated ids; contributors are 'signatory' or 'signatory:role'.
- signatories: id, name, kind (required); country, joined_on, website.
- memberships: signatory_id, working_group_id (required); role, since.
The kind is given or recognised from the header. Cells are trimmed. Unknown columns are
reported as warnings and ignored; missing required columns are errors. Row numbers are
the spreadsheet's (header = 1). A row whose first cell starts with '#' is a comment (the
templates' row of allowed values). Words for statuses, kinds and roles are read in any
case and in either language ("PROPOSED", "Proposée"; schema/vocabulary.py), languages
as codes or names ("FR", "français"), countries in any case.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from importers.validation import check_utf8, validate_all
from importers.workbook_limits import bounded_rows, check_archive
from schema import vocabulary
from schema.enums import InitiativeStatus, MemberRole, SignatoryKind
from schema.errors import Problem, ValidationFailed
from schema.kinds import NOUNS, settable
from schema.models import Signatory
from schema.records import InitiativeRecord, target_field
from schema.relationships import Membership

# The list columns of initiatives that name other records, with the label of those: one
# for each relation users set on an initiative (schema/kinds.py). A relation whose links
# carry a role (contributors) takes 'id' or 'id:role' items.
LINKED = {str(r.input): r.far for r in settable("Initiative") if r.roles is None}
ROLED = {str(r.input): r for r in settable("Initiative") if r.roles is not None}
LISTS = set(LINKED) | set(ROLED)

# kind -> (model, required columns, optional columns)
KINDS: dict[str, tuple[type[BaseModel], tuple[str, ...], tuple[str, ...]]] = {
    "initiatives": (
        InitiativeRecord,
        ("id", "title", "language"),
        ("summary", "url", "status", "started_on", *LINKED, *ROLED),
    ),
    "signatories": (Signatory, ("id", "name", "kind"), ("country", "joined_on", "website")),
    "memberships": (Membership, ("signatory_id", "working_group_id"), ("role", "since")),
}


# kind -> {column: the enumeration its words name}
WORDS: dict[str, dict[str, type[StrEnum]]] = {
    "initiatives": {"status": InitiativeStatus},
    "signatories": {"kind": SignatoryKind},
    "memberships": {"role": MemberRole},
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


def utf8_text(path: Path) -> str:
    """The file's text (with or without a BOM); if it is not UTF-8, `check_utf8` says
    where, reading it again only then."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        check_utf8(path)
        raise


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    """Rows of a CSV file, read strictly: a quote never closed or a stray character after
    a closing quote is reported at its row instead of swallowing the rows below it."""
    reader = csv.reader(io.StringIO(utf8_text(path), newline=""), strict=True)
    row = 1
    try:
        for values in reader:
            yield values
            row += 1
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        elif "unexpected end of data" in message or "EOF" in message:
            message = 'a quote (") opened on this row is never closed'
        else:
            message = f"is not well-formed CSV: {message}"
        raise ValidationFailed([Problem(message, row=row, file=path.name)]) from exc


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        raise ValueError(f"not an .xlsx workbook ({exc})") from exc
    try:
        if not book.worksheets:
            raise ValueError("the workbook has no sheet")
        formulas = _formula_cells(path)
        header: list[Any] = []
        for number, row in enumerate(_sheet_rows(book, path), start=1):
            values = list(row)
            header = header or values
            for column, formula in formulas.get(number, {}).items():
                if column < len(values) and values[column] is None:
                    # A formula with no value saved beside it (written by a program, not
                    # opened and saved in a spreadsheet program): nothing to import.
                    name = _cell(header[column]) if column < len(header) else None
                    raise FormulaCell(number, (name or f"column {column + 1}").lower(), formula)
            yield values
    finally:
        book.close()


class FormulaCell(ValueError):
    def __init__(self, row: int, column: str, formula: str) -> None:
        super().__init__(formula)
        self.row, self.column, self.formula = row, column, formula


def _sheet_rows(book: Any, path: Path) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, within the limits of importers/workbook_limits.py."""
    sheet = book.worksheets[0]
    return bounded_rows(sheet.iter_rows(values_only=True), path, columns=sheet.max_column)


def _formula_cells(path: Path) -> dict[int, dict[int, str]]:
    """{row: {column: formula}} of the first sheet's formula cells."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        found: dict[int, dict[int, str]] = {}
        for number, row in enumerate(_sheet_rows(book, path), start=1):
            for column, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    found.setdefault(number, {})[column] = value
        return found
    finally:
        book.close()


def rows(path: Path) -> Iterator[list[Any]]:
    try:
        yield from (_xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path))
    except FormulaCell as exc:
        raise ValidationFailed(
            [
                Problem(
                    f"is a formula ({exc.formula[:60]}) with no saved value: open the sheet "
                    "in a spreadsheet program and save it, or paste the values instead",
                    field=exc.column,
                    row=exc.row,
                    file=path.name,
                )
            ]
        ) from exc
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise ValidationFailed([Problem(f"cannot be read: {exc}", file=path.name)]) from exc


def _word(enum: type[StrEnum], text: str) -> str:
    """The stored value a word means; unchanged when it means none (validation says so)."""
    return vocabulary.read(enum, text) or text


def _record(raw: dict[str, str | None], kind: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    words = WORDS[kind]
    for column, value in raw.items():
        if value is None:
            continue
        if column in ROLED:
            roles = ROLED[column].roles
            assert roles is not None
            people = []
            for item in value.split(";"):
                name, _, role = item.strip().partition(":")
                if name.strip():
                    role = _word(roles, role) if role.strip() else ""
                    people.append({"signatory_id": name.strip()} | ({"role": role} if role else {}))
            record[column] = people
        elif column in LISTS:
            record[column] = [part.strip() for part in value.split(";") if part.strip()]
        elif column in words:
            record[column] = _word(words[column], value)
        elif column == "language":
            record[column] = vocabulary.read_language(value)
        elif column == "country":
            record[column] = value.upper()
        else:
            record[column] = value
    return record


@dataclass
class Sheet:
    """What a sheet holds: its valid rows, and every problem of the others."""

    kind: str
    rows: list[tuple[int, Any]]  # (sheet row, record) of the valid rows
    warnings: list[str]
    problems: list[Problem] = field(default_factory=list)
    # (sheet row, field, label, id): what the invalid rows name, for the graph to check
    references: list[tuple[int, str, str, str]] = field(default_factory=list)


def read_sheet(path: Path, kind: str | None = None) -> Sheet:
    """Every row read and checked; problems of rows are listed, not raised, so that the
    caller can add those only the graph knows (unknown topics) and report all at once.
    Problems of the file itself (unreadable, missing columns) are raised."""
    iterator = rows(path)
    header = [(_cell(h) or "").lower() for h in next(iterator, [])]
    kind = kind or kind_of(header)
    if kind not in KINDS:
        raise ValidationFailed([Problem(f"unknown kind '{kind}'", file=path.name)])
    model, required, optional = KINDS[kind]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationFailed(
            [
                Problem(
                    f"required column '{c}' is missing",
                    row=1,
                    file=path.name,
                    kind="sheet_column_missing",
                    context=(("column", c),),
                )
                for c in missing
            ]
        )
    warnings = [
        f"{path.name}: column '{h}' is not one of ours and was ignored"
        for h in header
        if h and h not in required + optional
    ]
    known = [(i, h) for i, h in enumerate(header) if h in required + optional]
    records: list[tuple[int | str, dict[str, Any]]] = []
    for number, values in enumerate(iterator, start=2):
        first = _cell(values[0]) if values else None
        if first is not None and first.startswith("#"):
            continue
        raw = {h: _cell(values[i]) if i < len(values) else None for i, h in known}
        if any(v is not None for v in raw.values()):
            records.append((number, _record(raw, kind)))
    problems: list[Problem] = []
    checked: list[tuple[int, Any]] = []
    references: list[tuple[int, str, str, str]] = []
    for row, data in records:
        before = len(problems)
        valid = validate_all(model, [(row, data)], file=path.name, problems=problems)
        if valid:
            checked.append((int(row), valid[0]))
        else:
            refused = {p.field for p in problems[before:]}
            references += [(int(row), *named) for named in _named(kind, data, refused)]
    first_row: dict[str, int] = {}
    for row, record in checked:
        key = _key(record)
        if key in first_row:
            problems.append(
                Problem(
                    f"{key} is also on row {first_row[key]}", row=row, file=path.name,
                    kind="sheet_repeated", context=(("key", key), ("first", str(first_row[key]))),
                )
            )  # fmt: skip
        first_row.setdefault(key, row)
    return Sheet(kind, checked, warnings, sorted(problems, key=problem_order), references)


def _named(
    kind: str, record: dict[str, Any], refused: set[str | None]
) -> list[tuple[str, str, str]]:
    """(field, label, id) of the records a row names, but for the fields its own checks
    refused: an unknown topic is reported beside a bad date of the same row. Fields are
    named as for valid rows (contributors' signatories as `signatories[i]`)."""
    named: list[tuple[str, str, str, str]] = []  # (field, field as checked, label, id)
    if kind == "memberships":
        for column, label in (("signatory_id", "Signatory"), ("working_group_id", "WorkingGroup")):
            if isinstance(record.get(column), str):
                named.append((column, column, label, record[column]))
    elif kind == "initiatives":
        for column, label in LINKED.items():
            for i, id in enumerate(record.get(column, [])):
                named.append((f"{column}[{i}]", f"{column}[{i}]", label, id))
        for column, relation in ROLED.items():
            for i, person in enumerate(record.get(column, [])):
                checked = f"{column}[{i}].signatory_id"
                field_ = f"{target_field(relation)}[{i}]"
                named.append((field_, checked, relation.far, person["signatory_id"]))
    return [(field, label, id) for field, checked, label, id in named if checked not in refused]


def problem_order(problem: Problem) -> tuple[int, str]:
    return (problem.row or 0, problem.field or "")


def _key(record: Any) -> str:
    if isinstance(record, Membership):
        return f"membership {record.signatory_id} → {record.working_group_id}"
    return f"id '{record.id}'"


# What each column takes, in English then French, for the templates' comment row.
_COLUMN_HELP: dict[str, tuple[str, str]] = {
    "id": ("required; lower-case id (a-z, 0-9, -)", "obligatoire ; identifiant en minuscules"),
    "title": ("required", "obligatoire"),
    "name": ("required", "obligatoire"),
    "language": ("required; en or fr (English, français)", "obligatoire ; en ou fr"),
    "summary": ("text", "texte"),
    "url": ("https://…", "https://…"),
    "started_on": ("date YYYY-MM-DD", "date AAAA-MM-JJ"),
    "joined_on": ("date YYYY-MM-DD", "date AAAA-MM-JJ"),
    "since": ("date YYYY-MM-DD", "date AAAA-MM-JJ"),
    "topics": ("topic ids separated by ;", "identifiants de thèmes séparés par ;"),
    "working_groups": ("working-group ids separated by ;", "groupes de travail séparés par ;"),
    "principles": ("principle ids separated by ;", "principes séparés par ;"),
    "recommendations": ("recommendation ids separated by ;", "recommandations séparées par ;"),
    "country": ("ISO code, e.g. FR", "code ISO, p. ex. FR"),
    "website": ("https://…", "https://…"),
    "signatory_id": ("required; signatory id", "obligatoire ; identifiant du signataire"),
    "working_group_id": ("required; working-group id", "obligatoire ; groupe de travail"),
}


def _linked_help(column: str) -> tuple[str, str]:
    """What a list column of a relation without its own help line takes."""
    if column not in LINKED:
        return ("", "")
    noun = NOUNS[LINKED[column]]
    return (f"{noun} ids separated by ;", f"identifiants ({noun}) séparés par ;")


def template_rows(kind: str) -> list[list[str]]:
    """The header of a sheet kind, then one comment row saying what each column takes,
    in both languages (the reader skips rows starting with '#')."""
    _, required, optional = KINDS[kind]
    columns = [*required, *optional]
    notes = []
    for column in columns:
        enum = WORDS[kind].get(column)
        if enum is not None:
            note = vocabulary.allowed(enum)
        elif column in ROLED:
            roles = ROLED[column].roles
            assert roles is not None
            note = (
                "signatory or signatory:role separated by ; / signataire ou signataire:rôle; "
                f"roles: {vocabulary.allowed(roles)}"
            )
        else:
            english, french = _COLUMN_HELP.get(column) or _linked_help(column)
            note = f"{english} / {french}" if english else ""
        notes.append(note)
    notes[0] = f"# {notes[0]}"
    return [columns, notes]


def write_template(kind: str, target: Path | io.BytesIO, fmt: str) -> None:
    """A CSV (UTF-8 with BOM, so that spreadsheet programs read accents) or XLSX template."""
    rows_ = template_rows(kind)
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = kind
        for row in rows_:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="666666")
        book.save(target)
        return
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows_)
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
