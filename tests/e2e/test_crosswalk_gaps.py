"""Gaps that use crosswalks: covered through a published pair, or probably covered through a
suggestion, on the gap page, in the CLI and in the Forum report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from analysis import gaps, report
from analysis.duplicates import refresh
from analysis.encoder import Encoder
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.enums import CandidateKind
from schema.models import WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support import crosswalk_registry as xr
from tests.support.units import system


def _setup(store: GraphStore, folder: Path) -> None:
    """The small frameworks, and one wg6 initiative implementing the CSF's ID.RA-01."""
    xr.load(store, folder)
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    record = {"id": "vuln-watch", "title": "Shared vulnerability watch", "language": "en",
              "status": "active", "recommendations": ["csf-mini:id.ra-01"],
              "working_groups": ["wg6"]}  # fmt: skip
    now = datetime.now(UTC)
    curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    refresh(system(store), CandidateKind.RECOMMENDATION, encoder=Encoder())


def test_gaps_count_crosswalk_coverage_apart_from_suggestions(
    client: TestClient, store: GraphStore, tmp_path: Path
) -> None:
    _setup(store, tmp_path)
    found = gaps.find_gaps(store, working_group="wg6")
    # A.8.8 equals ID.RA-01 by the published crosswalk: covered
    assert found.covered_through_crosswalks == 1
    uncovered = {i for g in found.uncovered_recommendations for i in g.recommendation_ids}
    assert "hub-mini:a.8.8" not in uncovered and "csf-mini:id.ra-01" not in uncovered
    # 6.10.1 is part of ID.RA-01 by a suggestion only: probably covered, counted apart
    assert [i for g in found.probably_covered for i in g.recommendation_ids] == ["nis2-mini:6.10.1"]
    assert "nis2-mini:6.10.1" not in uncovered
    page = client.get("/wg/wg6/gaps")
    assert page.status_code == 200
    assert "Probably covered — review (1)" in page.text
    assert "Technical measures annex (test): Vulnerability handling" in page.text
    assert "Covered through a published or confirmed crosswalk: 1." in page.text
    french = client.get("/wg/wg6/gaps", headers={"Accept-Language": "fr"}, params={"lang": "fr"})
    assert "Probablement couvertes — à vérifier (1)" in french.text
    text = report.to_markdown(report.build(store, "wg6"))
    assert "## Probably covered — review (1)" in text
    assert "Vulnerability handling" in text.split("## Probably covered")[1]


def test_the_review_page_shows_a_suggestion_with_its_paths_by_name(
    client: TestClient, store: GraphStore, tmp_path: Path
) -> None:
    xr.load(store, tmp_path)
    refresh(system(store), CandidateKind.RECOMMENDATION, encoder=Encoder())
    page = client.get("/crosswalks/review", params={"a": "nis2-mini:6.10.1",
                                                     "b": "csf-mini:id.ra-01"})  # fmt: skip
    assert page.status_code == 200
    assert "Vulnerabilities in assets are identified, validated, and recorded." in page.text
    # the relation reads from the stored a to b, whichever order the page was asked in
    assert "ID.RA-01 superset of 6.10.1" in page.text
    assert "hub-mini A.8.8 Management of technical vulnerabilities" in page.text
    asked = {"a": "csf-mini:id.ra-01", "b": "nis2-mini:6.10.1", "lang": "fr"}
    french = client.get("/crosswalks/review", params=asked)
    assert "ID.RA-01 inclut 6.10.1" in french.text
    assert "toutes deux liées à" in french.text
    text_only = client.get(
        "/crosswalks/review", params={"a": "cra-mini:i.1", "b": "oecd-mini:t1", "lang": "en"}
    )
    assert "the texts alone speak" in text_only.text
    missing = client.get("/crosswalks/review", params={"a": "cra-mini:i.1", "b": "nowhere:x"})
    assert missing.status_code == 404
