"""The Forum report on a small graph with known answers: every initiative appears,
references stand apart from titles, and the workbook reads well in Excel."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from analysis import report
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Principle, Recommendation, Source, Topic, WorkingGroup
from schema.records import InitiativeRecord
from schema.relationships import Mapping
from tests import factories as f
from tests.support.stored import save_mappings
from tests.support.units import system

PLEDGE_TITLE = "Secure by Design Pledge (2024): seven goals for software manufacturers"


@pytest.fixture
def group(store: GraphStore) -> GraphStore:
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.topic("sbom")], model=Topic)
    nodes.save(store, [f.principle("p6")], model=Principle)
    nodes.save(
        store,
        [f.source("pledge", title=PLEDGE_TITLE, publisher="Agency"),
         f.source("ssdf", title="Secure Software Development Framework", publisher="Institute")],
        model=Source,
    )  # fmt: skip
    nodes.save(
        store,
        [f.recommendation("pledge:intrusion-evidence", source_id="pledge",
                          ref="pledge.intrusion-evidence", title="Evidence of intrusions"),
         f.recommendation("ssdf:po.1.1", source_id="ssdf", ref="PO.1.1", title=None,
                          text="Identify and document all security requirements for the "
                               "organisation's software development infrastructures.")],
        model=Recommendation,
    )  # fmt: skip
    save_mappings(
        store,
        [Mapping(from_id="pledge:intrusion-evidence", to_id="ssdf:po.1.1", relation="equal",
                 status="confirmed")],
    )  # fmt: skip
    now = datetime.now(UTC)
    for id, extra in (
        ("placed", {"topics": ["sbom"], "principles": ["p6"]}),
        ("unplaced", {}),
        ("gone", {"status": "archived"}),
    ):
        record = {"id": id, "title": f"Initiative {id}", "language": "en", "status": "active",
                  "working_groups": ["wg6"]}  # fmt: skip
        curation.create_initiative(
            system(store), InitiativeRecord.model_validate(record | extra), now=now
        )
    return store


def test_every_initiative_is_in_the_report_and_references_stand_apart(group: GraphStore) -> None:
    from api.web.pages import render_report_html

    data = report.build(group, "wg6")
    markdown = report.to_markdown(data)
    # the initiative with neither topic nor principle has its heading and what to do
    assert "## Initiatives without a topic or a principle (1)" in markdown
    assert "- Initiative unplaced" in markdown and "linkInitiative" in markdown
    assert "## Archived or merged initiatives (1)" in markdown and "- Initiative gone" in markdown
    # the reference, then the words, set apart
    assert "pledge.intrusion-evidence — Evidence of intrusions" in markdown
    assert "PO.1.1 — Identify and document all security requirements" in markdown
    html = render_report_html(data, lang="fr")
    assert '<span class="ref">pledge.intrusion-evidence</span> Evidence of intrusions' in html
    assert "Initiatives sans thème ni principe (1)" in html and "Initiative unplaced" in html


def test_the_workbook_has_full_sheet_names_frozen_headers_sized_columns_and_names(
    group: GraphStore,
) -> None:
    data = report.build(group, "wg6")
    for lang, sheets in (
        ("en", ["Summary", "Initiatives", "Duplicates", "Uncovered recommendations",
                "Crosswalk coverage", "Provenance"]),
        ("fr", ["Synthèse", "Initiatives", "Doublons", "Recommandations non couvertes",
                "Correspondances", "Provenance"]),
    ):  # fmt: skip
        book = load_workbook(io.BytesIO(report.to_xlsx(data, lang=lang)))
        assert book.sheetnames == sheets
        for ws in book:
            assert ws.freeze_panes == "A2", ws.title
            header = ws[1]
            assert all(c.font.bold and c.fill.fgColor.rgb.endswith("DCE6F2") for c in header)
            for column in ws.iter_cols():
                letter = column[0].column_letter
                longest = max(len(str(c.value or "")) for c in column)
                width = ws.column_dimensions[letter].width
                assert min(longest, 60) <= width <= 62, (ws.title, letter, width, longest)
    book = load_workbook(io.BytesIO(report.to_xlsx(data, lang="en")))
    crosswalks = [[c.value for c in row] for row in book["Crosswalk coverage"].iter_rows()]
    assert crosswalks[0] == ["Source", "Target", "Mapped", "Total", "Share"]
    assert [PLEDGE_TITLE, "Secure Software Development Framework", 1, 1, 1] in crosswalks
    uncovered = [[c.value for c in row] for row in book["Uncovered recommendations"].iter_rows()]
    assert uncovered[0] == ["Source", "Reference", "Recommendation", "Id"]
    assert [PLEDGE_TITLE, "pledge.intrusion-evidence", "Evidence of intrusions",
            "pledge:intrusion-evidence"] in uncovered  # fmt: skip


def test_the_french_workbook_has_french_headers_and_statuses(group: GraphStore) -> None:
    record = {"id": "planned", "title": "Initiative planned", "language": "fr",
              "status": "proposed", "working_groups": ["wg6"], "topics": ["sbom"]}  # fmt: skip
    curation.create_initiative(
        system(group), InitiativeRecord.model_validate(record), now=datetime.now(UTC)
    )
    data = report.build(group, "wg6")
    book = load_workbook(io.BytesIO(report.to_xlsx(data, lang="fr")))
    headers = {ws.title: [c.value for c in ws[1]] for ws in book}
    assert headers == {
        "Synthèse": ["Élément", "Valeur"],
        "Initiatives": ["Identifiant", "Titre", "Langue", "Statut", "Thèmes", "Principes"],
        "Doublons": ["Première initiative", "Seconde initiative", "Statut", "Score", "Pourquoi"],
        "Recommandations non couvertes": ["Source", "Référence", "Recommandation", "Identifiant"],
        "Correspondances": ["Source", "Cible", "Correspondances", "Total", "Part"],
        "Provenance": ["Titre", "Éditeur", "Version", "Recommandations", "Importée le",
                       "Identifiant", "SHA-256"],
    }  # fmt: skip
    rows = {r[0].value: [c.value for c in r] for r in book["Initiatives"].iter_rows(min_row=2)}
    assert rows["planned"][2:4] == ["français", "proposée"]
    assert rows["placed"][2:4] == ["anglais", "active"]
