"""Spreadsheet templates: from the command and the imports page, filled in, imported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from api.app import create_app
from api.settings import Settings
from graph.nodes import repository as nodes
from graph.store import GraphStore
from importers.pipeline import run_import
from schema.models import Initiative, Signatory, Topic
from tests import factories as f
from tests.processes import cli_env, run_cli


def test_the_command_writes_templates_that_import_once_filled_in(
    falkor_store: GraphStore, tmp_path: Path
) -> None:
    env = cli_env(tmp_path / "data")
    target = tmp_path / "initiatives.csv"
    made = run_cli(["template", "initiatives", "-o", str(target)], env)
    assert made.returncode == 0, made.stderr
    header, notes = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert header[:3] == ["id", "title", "language"]
    assert notes[0].startswith("# required")
    status = notes[header.index("status")]
    assert (
        "proposed (proposed / proposée)" in status and "completed (completed / terminée)" in status
    )
    assert "lead (lead / pilote)" in notes[header.index("contributors")]
    # Filled in under the comment row, it imports as it is.
    nodes.save(falkor_store, [f.topic("sbom")], model=Topic)
    nodes.save(falkor_store, [f.signatory("cigref")], model=Signatory)
    with target.open("a", encoding="utf-8", newline="") as out:
        row = dict.fromkeys(header, "")
        row |= {"id": "from-template", "title": "Filled in", "language": "Français"}
        row |= {"status": "Proposée", "topics": "sbom", "contributors": "cigref:pilote"}
        csv.writer(out).writerow([row[c] for c in header])
    report = run_import(falkor_store, target)
    assert report.created == ["from-template"]
    stored = nodes.load(falkor_store, Initiative, ["from-template"])["from-template"]
    assert (stored.language, stored.status) == ("fr", "proposed")

    workbook = tmp_path / "members.xlsx"
    made = run_cli(["template", "memberships", "--format", "xlsx", "-o", str(workbook)], env)
    assert made.returncode == 0, made.stderr
    rows = list(load_workbook(workbook).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == ("signatory_id", "working_group_id", "role", "since")
    assert "co_chair (co-chair / coprésident)" in str(rows[1][2])

    refused = run_cli(["template", "budgets"], env)
    assert refused.returncode == 2 and "unknown kind 'budgets'" in refused.stderr


def test_the_imports_page_offers_each_template(store: GraphStore) -> None:
    with TestClient(create_app(Settings(), store=store)) as client:
        page = client.get("/imports")
        for kind in ("initiatives", "signatories", "memberships"):
            for fmt in ("xlsx", "csv"):
                assert f'href="/imports/templates/{kind}.{fmt}"' in page.text
        sheet = client.get("/imports/templates/signatories.xlsx")
        assert sheet.status_code == 200
        assert sheet.headers["content-disposition"].endswith('signatories-template.xlsx"')
        book = load_workbook(io.BytesIO(sheet.content))
        assert isinstance(book, Workbook)
        rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
        assert rows[0] == ("id", "name", "kind", "country", "joined_on", "website")
        assert "public_authority (public authority / autorité publique)" in str(rows[1][2])
        text = client.get("/imports/templates/memberships.csv")
        assert text.headers["content-type"].startswith("text/csv")
        assert text.content.startswith("\ufeff".encode())
        assert client.get("/imports/templates/budgets.csv").status_code == 404
        assert client.get("/imports/templates/initiatives.pdf").status_code == 404
        fr = client.get("/imports", params={"lang": "fr"})
        assert "Modèles de tableur" in fr.text
