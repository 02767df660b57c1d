"""Page routes answer 404 for what does not exist, without a browser."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Signatory, WorkingGroup
from tests import factories as f
from tests.e2e.conftest import issue
from tests.support.units import system


@pytest.mark.parametrize(
    "path", ["/wg/nope", "/wg/nope/report.md", "/wg/nope/report.pdf", "/wg/nope/gaps"]
)
def test_unknown_groups_and_formats_are_404(anonymous: TestClient, path: str) -> None:
    reply = anonymous.get(path)
    assert reply.status_code == 404
    assert "not found" in reply.text


def test_the_imports_page_shows_history_and_form_by_role(
    anonymous: TestClient, store: GraphStore
) -> None:
    page = anonymous.get("/imports")
    assert page.status_code == 200
    assert 'href="/signin?next=/imports"' in page.text
    assert 'id="upload"' not in page.text and 'id="history"' not in page.text
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref")], model=Signatory)
    for role, scope, form in (
        ("importer", {}, True),
        ("admin", {}, True),
        ("co_chair", {"working_groups": ["wg6"]}, True),
        ("signatory", {"signatory": "cigref"}, False),
    ):
        anonymous.cookies.set("pariscall_token", issue(store, role, **scope))
        signed = anonymous.get("/imports").text
        assert ('id="upload"' in signed) is form, role
        history_shown = "No import yet." in signed  # shown, and empty here
        assert history_shown is (role != "signatory"), role


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    """The demo registry with its duplicate suggestions computed."""
    from analysis.duplicates import refresh
    from importers.seed import seed
    from schema.enums import CandidateKind

    seed(store, demo=True)
    refresh(system(store), CandidateKind.INITIATIVE)
    return store


def test_pending_duplicates_read_as_titles_on_the_group_page_and_report(
    anonymous: TestClient, demo: GraphStore
) -> None:
    page = anonymous.get("/wg/wg6").text
    pending = page[page.index('id="pending"') :]
    pending = pending[: pending.index("</ul>")]
    assert "Coordinated vulnerability disclosure charter for vendors" in pending
    assert "Charte de divulgation coordonnée des vulnérabilités" in pending
    # The ids stay at hand (on hover), never as the text people read.
    assert '<span title="coordinated-disclosure-charter">' in pending
    assert ">coordinated-disclosure-charter<" not in pending
    markdown = anonymous.get("/wg/wg6/report.md").text
    assert "Coordinated vulnerability disclosure charter for vendors ↔" in markdown or (
        "↔ Coordinated vulnerability disclosure charter for vendors" in markdown
    )
    # uncovered recommendations by reference and title, principles and topics by name
    uncovered = markdown[markdown.index("## Recommendations nobody implements") :]
    assert "oecd-0482:" not in uncovered.split("##")[1]
    assert "Protect good-faith security researchers" in markdown or "researchers" in uncovered
    assert "both advance: Lifecycle security" in markdown and "both advance p6" not in markdown
    french = anonymous.get("/wg/wg6/report.md?lang=fr").text
    assert "Sécurité de la chaîne d'approvisionnement numérique" in french
    assert "concepts communs" in french and "shared concepts" not in french


def test_an_initiative_page_titles_itself_and_links_to_the_others(
    anonymous: TestClient, demo: GraphStore
) -> None:
    page = anonymous.get("/initiatives/coordinated-disclosure-charter").text
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert "Coordinated vulnerability disclosure charter for vendors" in heading
    assert "<a " not in heading  # the page's own title is not a link to the page
    review = anonymous.get("/wg/wg6").text
    assert 'href="/initiatives/coordinated-disclosure-charter"' in review


def test_the_group_page_and_report_count_likely_and_possible_duplicates(
    anonymous: TestClient, demo: GraphStore
) -> None:
    from analysis import report

    built = report.build(demo, "wg6")
    assert built.pending and built.possible
    assert max(c.score or 0 for c in built.possible) < min(c.score or 0 for c in built.pending)
    page = anonymous.get("/wg/wg6").text
    assert f"Possible duplicates ({len(built.possible)})" in page
    listed = page[page.index('id="possible"') :]
    assert listed[: listed.index("</ul>")].count("<li>") == len(built.possible)
    markdown = anonymous.get("/wg/wg6/report.md").text
    assert f"## Possible duplicates ({len(built.possible)})" in markdown
    assert f"## Pending duplicate candidates ({len(built.pending)})" in markdown
    french = anonymous.get("/wg/wg6/report.md?lang=fr").text
    assert f"## Doublons possibles ({len(built.possible)})" in french
    ready = {g["id"]: g for g in report.readiness(demo)}["wg6"]
    assert (ready["pending"], ready["possible"]) == (len(built.pending), len(built.possible))


def test_a_group_of_more_initiatives_than_a_page_holds_pages_them(
    anonymous: TestClient, store: GraphStore
) -> None:
    from api.web.pages import INITIATIVES_PAGE
    from graph.curation import repository as curation
    from schema.models import Initiative

    total = INITIATIVES_PAGE + 7
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    made = [f.initiative(f"i{n:04d}", title=f"Initiative {n:04d}") for n in range(total)]
    nodes.save(store, made, model=Initiative)
    for item in made:
        curation.link_initiative(
            system(store), initiative_id=item.id, label="WorkingGroup", target_id="wg6"
        )

    first = anonymous.get("/wg/wg6")
    assert first.status_code == 200
    assert f"Initiatives ({total})" in first.text
    assert f"Initiatives 1 to {INITIATIVES_PAGE} of {total}." in first.text
    assert first.text.count('href="/initiatives/i') == INITIATIVES_PAGE
    assert "Initiative 0000" in first.text
    assert f"Initiative {INITIATIVES_PAGE:04d}" not in first.text
    assert 'id="next-page"' in first.text and 'id="previous-page"' not in first.text
    assert "Page 1 of 2" in first.text

    second = anonymous.get("/wg/wg6?page=2&lang=en")
    assert second.text.count('href="/initiatives/i') == 7
    assert f"Initiatives {INITIATIVES_PAGE + 1} to {total} of {total}." in second.text
    assert f"Initiative {total - 1:04d}" in second.text and "Initiative 0000" not in second.text
    assert 'id="previous-page"' in second.text and 'id="next-page"' not in second.text

    assert f'href="/wg/wg6?all=1&amp;lang=en" id="show-all">Show all {total} initiatives' in (
        first.text
    )
    every = anonymous.get("/wg/wg6?all=1&lang=en")
    assert every.status_code == 200 and every.headers["content-type"].startswith("text/html")
    assert every.text.count('href="/initiatives/i') == total
    assert 'id="next-page"' not in every.text and every.text.rstrip().endswith("</html>")


@pytest.mark.parametrize(
    ("path", "named", "lang"),
    [
        ("/crosswalks/review", "'a'", "en"),
        ("/crosswalks/review?a=x&lang=fr", "«\u00a0b\u00a0»", "fr"),
        ("/wg/wg1/gaps/cell", "'source'", "en"),
        ("/wg/wg1?page=two", "'page' a value this page cannot use: 'two'", "en"),
    ],
)
def test_a_page_address_missing_or_mistyping_a_parameter_is_a_page_that_names_it(
    anonymous: TestClient, path: str, named: str, lang: str
) -> None:
    """A person following a cut address reads a page in their language naming what the
    address lacks, not the framework's JSON."""
    reply = anonymous.get(path, headers={"accept": "text/html"})
    assert reply.status_code == 400
    assert reply.headers["content-type"].startswith("text/html")
    assert '"detail"' not in reply.text and "Field required" not in reply.text
    assert named in html.unescape(reply.text)
    assert f'<html lang="{lang}"' in reply.text
    assert 'href="/"' in reply.text


def test_the_api_answers_a_missing_parameter_in_the_error_shape_it_uses_elsewhere(
    anonymous: TestClient,
) -> None:
    reply = anonymous.post("/imports", content=b"x")
    assert reply.status_code == 400
    body = reply.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "filename" in body["errors"][0]["message"]


def test_a_source_whose_note_only_repeats_its_publisher_names_it_once(
    anonymous: TestClient, store: GraphStore
) -> None:
    """CISO Assistant's NIS2 annex gives 'EUROPEAN COMMISSION + ENISA' as publisher and
    again as its copyright note: the page said it twice, one line under the other."""
    from schema.models import Source

    said = "EUROPEAN STANDARDS BODY + AGENCY"
    nodes.save(store, [f.source("annex", publisher=said, note=said.title())], model=Source)
    nodes.save(store, [f.source("other", publisher=said, note="Free to copy.")], model=Source)
    assert anonymous.get("/sources/annex").text.lower().count(said.lower()) == 1
    other = anonymous.get("/sources/other").text
    assert other.count(said) == 1 and "Free to copy." in other


class _CollabButtons(HTMLParser):
    """The submit buttons inside the page's collaboration forms, as served."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.buttons: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.inside = "collab" in (found.get("class") or "").split()
        elif tag == "button" and self.inside:
            self.buttons.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def test_collaboration_forms_are_served_with_their_buttons_disabled(
    anonymous: TestClient, store: GraphStore
) -> None:
    """Their script enables them once it has taken the submit event: clicked before it,
    a form posted natively and sent no mutation (the page tests wait for it too)."""
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    anonymous.cookies.set("pariscall_token", issue(store, "co_chair", working_groups=["wg6"]))
    page = anonymous.get("/wg/wg6")
    assert page.status_code == 200
    parser = _CollabButtons()
    parser.feed(page.text)
    assert len(parser.buttons) >= 1  # the co-chair's "open a call" form at least
    assert all("disabled" in button for button in parser.buttons), parser.buttons
