"""The Forum report as an XLSX workbook, for people who work in Excel.

One sheet per section, each named in full (a sheet name holds 31 characters: the names
are short words of their own, never a title cut), its header row styled and frozen, its
columns as wide as what they hold. Every text is a text cell: a title that looks like a
formula (`=HYPERLINK(…)`) is shown as written and never evaluated, with no apostrophe in
front (a string cell is never a formula; the quote is for CSV, which has no types).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from analysis import explanations
from analysis.i18n import label, text
from schema.text import visible

if TYPE_CHECKING:
    from analysis.report import ForumReport

SHEET_NAME_MAX = 31  # Excel's limit
# Column widths, in characters: at least a header's, at most what a screen shows whole
# (longer texts wrap within their cell).
MIN_WIDTH = 6
MAX_WIDTH = 60
HEADER_FILL = "DCE6F2"


def workbook(report: ForumReport, *, lang: str = "en") -> bytes:
    from openpyxl import Workbook

    t = text(lang)
    # Write-only: rows are written out as they come instead of held as cell objects
    # (10,000 initiatives took 7.4 s the other way).
    book = Workbook(write_only=True)
    for name, header, rows in _sheets(report, lang):
        _sheet(book, t[name], [t[h] for h in header], rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheets(report: ForumReport, lang: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet name key, header keys, rows) of each sheet, in order."""
    t = text(lang)
    summary: list[list[Any]] = [
        [t["report_title"], report.group_name(lang)],
        [t["generated"], report.generated_at.strftime("%Y-%m-%d %H:%M UTC")],
        [t["initiatives"], len(report.initiatives)],
        [t["confirmed_duplicates"], len(report.confirmed)],
        [t["pending_duplicates"], len(report.pending)],
        [t["possible_duplicates"], len(report.possible)],
        [t["uncovered"], report.uncovered_total],
        [t["probably_covered"], report.gaps.probably_covered_total],
    ]
    initiatives = [
        [i["id"], i["title"], label(lang, "language", i["language"]),
         label(lang, "status", i["status"]),
         ", ".join(report.name(x, lang) for x in i["topics"]),
         ", ".join(report.name(x, lang) for x in i["principles"])]
        for i in report.initiatives
    ]  # fmt: skip
    duplicates = [
        [report.title(c.a), report.title(c.b), label(lang, "decision", c.status.value), c.score,
         explanations.of(c, lang, report.names)]
        for c in report.confirmed + report.pending + report.possible
    ]  # fmt: skip
    uncovered = [
        [report.source_title(source), report.recommendation_name(id).ref or "",
         report.recommendation_name(id).label, id]
        for source, ids in report.uncovered_by_source.items()
        for id in ids
    ]  # fmt: skip
    crosswalks = [
        [report.source_title(c.source_a), report.source_title(c.source_b), c.mapped, c.total,
         c.share]
        for c in report.crosswalks
    ]  # fmt: skip
    provenance = [
        [s["title"], s["publisher"], s.get("version"), s["recommendations"],
         s.get("imported_at"), s["id"], s.get("sha256")]
        for s in report.sources
    ]  # fmt: skip
    return [
        ("xlsx_summary", ["xlsx_what", "xlsx_value"], summary),
        ("xlsx_initiatives", ["xlsx_id", "title", "language", "status", "topics", "principles"],
         initiatives),
        ("xlsx_duplicates", ["xlsx_first", "xlsx_second", "status", "score", "explanation"],
         duplicates),
        ("xlsx_uncovered", ["source", "xlsx_reference", "recommendation", "xlsx_id"],
         uncovered),
        ("xlsx_crosswalks", ["source", "target", "mapped", "xlsx_total", "xlsx_share"],
         crosswalks),
        ("xlsx_provenance", ["title", "xlsx_publisher", "xlsx_version", "recommendations",
                              "xlsx_imported", "xlsx_id", "sha256"], provenance),
    ]  # fmt: skip


def _sheet(book: Any, name: str, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    if len(name) > SHEET_NAME_MAX:
        raise ValueError(f"sheet name '{name}' is longer than {SHEET_NAME_MAX} characters")
    from openpyxl.cell import WriteOnlyCell

    ws = book.create_sheet(name)
    # A write-only sheet takes its widths and panes before its rows: measured first.
    columns = max([len(header), *(len(row) for row in rows)])
    longest = [
        max([_width(header[i]) if i < len(header) else 0]
            + [_width(row[i]) for row in rows if i < len(row)])
        for i in range(columns)
    ]  # fmt: skip
    for index, size in enumerate(longest, start=1):
        width = min(max(size + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    line = Side(style="thin", color="7F7F7F")
    styled = []
    for value in header:
        cell = WriteOnlyCell(ws, value=_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = Border(bottom=line)
        cell.alignment = Alignment(vertical="top")
        styled.append(cell)
    ws.append(styled)
    wrap = Alignment(wrap_text=True, vertical="top")
    wrapped = {i for i, size in enumerate(longest) if size > MAX_WIDTH}
    for row in rows:
        ws.append([_cell(ws, value, wrap if i in wrapped else None) for i, value in enumerate(row)])


def _width(value: Any) -> int:
    """How many characters a value shows on its longest line."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.4f}")
    return max((len(part) for part in str(value).splitlines()), default=0)


def _typed(value: str) -> bool:
    """Whether openpyxl would read a text as something else (a formula, an error) unless
    the cell is told it is text; every other text is written as it is, which is faster."""
    from openpyxl.cell.cell import ERROR_CODES

    return value.startswith("=") or value in ERROR_CODES


def _value(value: Any) -> Any:
    return visible(value) if isinstance(value, str) else value


def _cell(ws: Any, value: Any, alignment: Any) -> Any:
    """A cell where every text is a text cell (openpyxl takes a leading '=' for a formula
    unless told otherwise); plain values stay plain, which is faster to write."""
    from openpyxl.cell import WriteOnlyCell

    value = _value(value)
    if alignment is None and not (isinstance(value, str) and _typed(value)):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if alignment is not None:
        cell.alignment = alignment
    return cell
