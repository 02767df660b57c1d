"""Bad files are refused with what is wrong and where (file, row, field), in words a
person can act on, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.store import GraphStore
from importers.pipeline import run_import
from schema.errors import ValidationFailed


def refusal(store: GraphStore, path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, path)
    assert store.read("MATCH (n) WHERE NOT n:SchemaInfo RETURN count(n) AS n") == [{"n": 0}]
    assert all(p.file == path.name for p in caught.value.problems)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def test_an_unclosed_quote_is_reported_at_its_row(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text('id,title,language\nok-1,"Unclosed quote,en\nok-2,Fine,en\n')
    assert refusal(store, path) == [(2, None, 'a quote (") opened on this row is never closed')]


@pytest.mark.parametrize("name", ["sheet.csv", "set.json"])
def test_a_latin1_file_says_not_utf8_with_its_line(
    store: GraphStore, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes("id,title,language\nok-1,Café crème,fr\n".encode("latin-1"))
        line = 2
    else:
        body = {"format": "pariscall/recommendations@1", "source": {"id": "s", "title": "Café"}}
        path.write_bytes(json.dumps(body, ensure_ascii=False).encode("latin-1"))
        line = 1
    [(row, field, message)] = refusal(store, path)
    assert (row, field) == (line, None)
    assert message.startswith(f"is not UTF-8 (byte 0xE9 on line {line}): save it as UTF-8")


def test_a_huge_cell_is_reported_at_its_row(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("id,title,language\nok-1,Fine,en\nok-2," + "x" * 10_000_000 + ",en\n")
    assert refusal(store, path) == [(3, None, "a cell is longer than 131,072 characters")]


def test_an_xlsx_formula_without_a_value_is_named_as_such(
    store: GraphStore, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "title", "language"])
    sheet.append(["ok-1", '=CONCAT("a","b")', "en"])
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    [(row, field, message)] = refusal(store, path)
    assert (row, field) == (2, "title")
    assert message.startswith('is a formula (=CONCAT("a","b")) with no saved value')


def test_a_wrong_shape_oscal_catalog_names_every_field(store: GraphStore, tmp_path: Path) -> None:
    catalog = {
        "catalog": {
            "uuid": "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d",
            "metadata": {"title": "T"},
            "groups": [{"id": "g", "title": "G", "controls": [{"title": "no id"}]}],
        }
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    assert refusal(store, path) == [
        (None, "catalog.metadata.last-modified", "Field required"),
        (None, "catalog.metadata.version", "Field required"),
        (None, "catalog.metadata.oscal-version", "Field required"),
        (None, "catalog.groups[0].controls[0].id", "Field required"),
    ]
