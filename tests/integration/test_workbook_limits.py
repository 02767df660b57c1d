"""Workbooks that would hold the reader for long are refused before or while it reads
them, on both engines, with the file named and nothing written: more cells than any
registry sheet holds, rows or columns far beyond the data (openpyxl fills the gaps: one
empty row at a time, and every row as wide as the widest), and a zip that declares less
than it unpacks to. A real sheet of the same shapes, within the limits, imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.nodes import repository as nodes
from graph.store import GraphStore
from importers.pipeline import run_import
from schema.errors import ValidationFailed
from schema.models import Initiative
from tests.support import stored
from tests.support.bombs import sheet_part, text_bomb, xlsx_with

HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr">'
    b'<is><t>title</t></is></c><c r="C1" t="inlineStr"><is><t>language</t></is></c></row>'
)
ROW_2 = (
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>ok-1</t></is></c><c r="B2" t="inlineStr">'
    b'<is><t>Fine</t></is></c><c r="C2" t="inlineStr"><is><t>en</t></is></c></row>'
)


def _sheet(path: Path, head: bytes, block: bytes, times: int, tail: bytes) -> Path:
    return xlsx_with(path, sheet_part(head, block, times, tail))


HOSTILE = {
    # 600,000 one-digit cells: 10 MB unpacked, well within the size limit
    "cells": lambda p: _sheet(
        p, b"<sheetData>" + HEADER_ROW + b'<row r="2">', b"<c><v>1</v></c>", 600_000,
        b"</row></sheetData>",
    ),
    # one cell two million rows down
    "rows": lambda p: _sheet(
        p, b"<sheetData>" + HEADER_ROW, b"", 0,
        b'<row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData>',
    ),
    # one cell in the last column Excel has
    "columns": lambda p: _sheet(
        p, b"<sheetData>" + HEADER_ROW, b"", 0,
        b'<row r="2"><c r="XFD2"><v>1</v></c></row></sheetData>',
    ),
    # a dimension as wide as Excel over 20,000 one-cell rows: each row read 16,384 wide
    "dimension": lambda p: _sheet(
        p, b'<dimension ref="A1:XFD20001"/><sheetData>' + HEADER_ROW,
        b"<row><c><v>1</v></c></row>", 20_000, b"</sheetData>",
    ),
}  # fmt: skip
MESSAGES = {
    "cells": "holds more than 500,000 cells",
    "rows": "has rows beyond row 100,000",
    "columns": "has cells beyond column 200",
    "dimension": "has cells beyond column 200",
}


def _nothing_written(store: GraphStore) -> None:
    assert nodes.count(store, Initiative) == 0
    assert store.read("MATCH (r:ImportRun) RETURN count(r) AS n")[0]["n"] == 0
    assert stored.staged_count(store) == 0


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_sheet_beyond_the_limits_is_refused_naming_the_file(
    store: GraphStore, tmp_path: Path, kind: str
) -> None:
    path = HOSTILE[kind](tmp_path / f"{kind}.xlsx")
    with pytest.raises(ValidationFailed) as refused:
        run_import(store, path)
    [problem] = refused.value.problems
    assert problem.file == f"{kind}.xlsx" and problem.row is None
    assert MESSAGES[kind] in problem.message
    assert getattr(refused.value, "code", None) == "PAYLOAD_TOO_LARGE"
    _nothing_written(store)


def test_a_zip_that_declares_less_than_it_unpacks_to_is_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    path = text_bomb(tmp_path / "liar.xlsx", unpacked=300_000_000, shared=True, declared=2_000)
    with pytest.raises(ValidationFailed) as refused:
        run_import(store, path)
    [problem] = refused.value.problems
    assert problem.file == "liar.xlsx"
    assert "not an .xlsx workbook" in problem.message and "CRC" in problem.message
    _nothing_written(store)


def test_a_sheet_of_the_same_shapes_within_the_limits_imports(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _sheet(
        tmp_path / "fine.xlsx", b'<dimension ref="A1:C2"/><sheetData>' + HEADER_ROW, b"", 0,
        ROW_2 + b"</sheetData>",
    )  # fmt: skip
    assert run_import(store, path).created == ["ok-1"]
