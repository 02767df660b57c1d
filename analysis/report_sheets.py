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
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
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
    ws = book.create_sheet(name)
    _append(ws, header)
    for row in rows:
        _append(ws, row)
    line = Side(style="thin", color="7F7F7F")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = Border(bottom=line)
        cell.alignment = Alignment(vertical="top")
    ws.freeze_panes = "A2"
    for index, column in enumerate(ws.iter_cols(), start=1):
        longest = max(_width(cell.value) for cell in column)
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index)].width = width
        if longest > MAX_WIDTH:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _width(value: Any) -> int:
    """How many characters a value shows on its longest line."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.4f}")
    return max((len(part) for part in str(value).splitlines()), default=0)


def _append(ws: Any, values: list[Any]) -> None:
    """Add a row where every text is a text cell (openpyxl takes a leading '=' for a
    formula unless told otherwise)."""
    ws.append([visible(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
