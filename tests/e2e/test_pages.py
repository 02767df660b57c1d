"""The co-chairs' pages in real Chromium (Debian's, driven by Playwright), on the demo
data of `pariscall serve --demo` with files shaped like real publishers' ones imported
(the `site` fixture, tests/e2e/conftest.py). Screenshots go to test-artifacts/ for CI.

On the embedded engine only: the browser checks what pages show and do, which reads
through the same use cases on both engines; test_neo4j_product.py fetches every page
from a server on Neo4j."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from importers.oscal import publication_id
from tests.processes import graphql
from tests.support import publishers
from tests.support.browser import (
    ARTIFACTS,
    CHROMIUM,
    SCREENS,
    Site,
    broken_words,
    new_page,
    sign_in,
    untranslated,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

PAIR = ("charte-divulgation-coordonnee", "coordinated-disclosure-charter")


def _status(site: Site, a: str, b: str) -> str | None:
    reply = graphql(
        site.port,
        "query { duplicateCandidates(status: [CANDIDATE, CONFIRMED, REJECTED], minScore: 0, "
        "first: 200) { edges { node { aId bId status } } } }",
    ).json()
    for edge in reply["data"]["duplicateCandidates"]["edges"]:
        if {edge["node"]["aId"], edge["node"]["bId"]} == {a, b}:
            return str(edge["node"]["status"])
    return None


def test_a_co_chair_confirms_a_duplicate_from_the_review_page(site: Site, browser: object) -> None:
    assert _status(site, *PAIR) == "CANDIDATE"
    page = new_page(browser)
    sign_in(page, site, "/wg/wg6")
    assert page.url.endswith("/wg/wg6")  # type: ignore[attr-defined]
    assert "Cigref" in page.locator("header").inner_text()  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "working-group.png"), full_page=True)  # type: ignore[attr-defined]
    co_chairs = page.locator("li.co-chair").all_inner_texts()  # type: ignore[attr-defined]
    assert any("Cigref" in c for c in co_chairs) and any("Kaspersky" in c for c in co_chairs)
    link = page.locator(f'#pending a[href*="a={PAIR[0]}&b={PAIR[1]}"]')  # type: ignore[attr-defined]
    link.click()
    assert page.locator("#card-1 h2").inner_text()  # type: ignore[attr-defined]
    assert (
        "FR↔EN" in page.locator("#explanation").inner_text()
        or "EN↔FR" in page.locator("#explanation").inner_text()
    )  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "duplicate-review.png"), full_page=True)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Confirm duplicate").click()  # type: ignore[attr-defined]
    page.wait_for_function("() => document.getElementById('feedback').textContent.length > 0")  # type: ignore[attr-defined]
    assert page.locator("#feedback").inner_text() == "Confirmed."  # type: ignore[attr-defined]
    assert _status(site, *PAIR) == "CONFIRMED"
    audit = graphql(
        site.port,
        '{ auditLog(target: "coordinated-disclosure-charter") '
        "{ edges { node { actor action } } } }",
        Authorization=f"Bearer {site.token}",
    ).json()["data"]["auditLog"]["edges"]  # fmt: skip
    assert {"actor": "Cigref", "action": "confirm_duplicate"} in [e["node"] for e in audit]


def test_the_filter_narrows_the_initiatives_table(site: Site, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site.base}/wg/wg6")  # type: ignore[attr-defined]
    rows = page.locator("#initiatives tbody tr")  # type: ignore[attr-defined]
    total = rows.count()
    page.get_by_label("Search").fill("sbom")  # type: ignore[attr-defined]
    visible = page.locator("#initiatives tbody tr:visible").count()  # type: ignore[attr-defined]
    assert 0 < visible < total
    page.get_by_label("Status").select_option("archived")  # type: ignore[attr-defined]
    assert page.locator("#initiatives tbody tr:visible").count() == 0  # type: ignore[attr-defined]


def test_language_switch_and_readonly_review(site: Site, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site.base}/review?a={PAIR[0]}&b={PAIR[1]}")  # type: ignore[attr-defined]
    assert page.locator("#confirm").count() == 0  # type: ignore[attr-defined]
    assert "Read only" in page.locator(".notice").inner_text()  # type: ignore[attr-defined]
    page.click("#switch-language")  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("lang") == "fr"  # type: ignore[attr-defined]
    assert "Lecture seule" in page.locator(".notice").inner_text()  # type: ignore[attr-defined]
    page.goto(f"{site.base}/")  # type: ignore[attr-defined]
    assert page.locator("h2", has_text="Groupes de travail").count() == 1  # the choice is kept  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "home-fr.png"), full_page=True)  # type: ignore[attr-defined]


def test_heatmap_and_gaps(site: Site, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site.base}/wg/wg6/gaps")  # type: ignore[attr-defined]
    cells = page.locator("#heatmap tbody td").all_inner_texts()  # type: ignore[attr-defined]
    ratios = [c for c in cells if re.fullmatch(r"\d+/\d+", c.strip())]
    assert len(ratios) > 10
    assert all(int(c.split("/")[0]) <= int(c.split("/")[1]) for c in ratios)
    assert page.locator("#principles-without li").count() >= 1  # type: ignore[attr-defined]
    headers = page.locator("#heatmap thead th").all_inner_texts()  # type: ignore[attr-defined]
    assert "Cybersecurity Tech Accord" in headers  # sources by title, not by id
    assert not any("oecd-0481" in h for h in headers)
    assert "Missing regions" in page.locator("#stakeholder-warning").inner_text()  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "gaps-heatmap.png"), full_page=True)  # type: ignore[attr-defined]
    # a cell opens the recommendations behind it: as many as it counts, by title
    link = page.locator("#heatmap tbody td a").first  # type: ignore[attr-defined]
    done, total = (int(x) for x in link.inner_text().split("/"))
    link.click()
    page.wait_for_selector("#cell")  # type: ignore[attr-defined]
    items = page.locator("#cell li")  # type: ignore[attr-defined]
    assert items.count() == total
    assert page.locator("#cell li .badge").count() == total - done  # "nobody yet"
    assert all(":" not in text.split("—")[0] for text in items.all_inner_texts())  # titles


# Predicates as functions: a string one is compiled in the page, which its policy refuses.
GRAPH_LOADED = "() => Number(document.getElementById('network').dataset.nodes || 0) > 10"
POSITIONS = (
    "registryGraph.nodes().map(n => [n.id(), Math.round(n.position('x')),"
    " Math.round(n.position('y'))])"
)


def test_graph_view_is_stable_named_filtered_and_explained(site: Site, browser: object) -> None:
    page = new_page(browser)
    page.goto(f"{site.base}/wg/wg6/graph?lang=fr")  # type: ignore[attr-defined]
    page.wait_for_function(GRAPH_LOADED)  # type: ignore[attr-defined]
    first = page.evaluate(POSITIONS)  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    page.wait_for_function(GRAPH_LOADED)  # type: ignore[attr-defined]
    assert page.evaluate(POSITIONS) == first  # the same picture on every load
    # the legend names and counts each kind, in the page's language
    legend = " ".join(page.locator("#graph-filters fieldset").inner_text().split())  # type: ignore[attr-defined]
    assert "Initiatives (" in legend and "Recommandations (" in legend and "Thèmes (" in legend
    # a click on the best-linked initiative shows its title, status, contributors, page
    box = page.evaluate(  # type: ignore[attr-defined]
        "(() => { const n = registryGraph.nodes('[kind = \"initiative\"]')"
        ".max(n => n.data('links')).ele;"
        " const p = n.renderedPosition(); const r = document.getElementById('network')"
        ".getBoundingClientRect(); return {x: r.left + p.x, y: r.top + p.y, id: n.id(),"
        " label: n.data('label'), size: n.width(),"
        " least: registryGraph.nodes().min(m => m.width()).value}; })()"
    )
    assert box["size"] > box["least"]  # nodes grow with their links
    page.mouse.click(box["x"], box["y"])  # type: ignore[attr-defined]
    page.wait_for_function("() => 'selected' in document.getElementById('details').dataset")  # type: ignore[attr-defined]
    assert page.locator("#details").get_attribute("data-selected") == box["id"]  # type: ignore[attr-defined]
    shown = page.locator("#details").inner_text()  # type: ignore[attr-defined]
    assert box["label"] in shown and "Contributeurs" in shown and "Liens (" in shown
    assert page.locator("#details-link").get_attribute("href") == f"/initiatives/{box['id']}"  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "graph-view.png"))  # type: ignore[attr-defined]
    # filters: only active initiatives and what they link to; then no topics
    everything = int(page.locator("#network").get_attribute("data-shown"))  # type: ignore[attr-defined]
    page.select_option("#graph-status", "active")  # type: ignore[attr-defined]
    active = page.evaluate(  # type: ignore[attr-defined]
        "registryGraph.nodes('[kind = \"initiative\"]').filter(n => !n.hasClass('hidden'))"
        ".map(n => n.data('status'))"
    )
    assert active and set(active) == {"active"}
    page.select_option("#graph-status", "")  # type: ignore[attr-defined]
    page.uncheck("#graph-filters input[value=topic]")  # type: ignore[attr-defined]
    without_topics = int(page.locator("#network").get_attribute("data-shown"))  # type: ignore[attr-defined]
    assert without_topics == everything - int(
        page.locator(".count[data-kind=topic]").inner_text().strip("()")  # type: ignore[attr-defined]
    )


def test_report_download_and_phone_width(site: Site, browser: object) -> None:
    page = new_page(browser, width=390)
    page.goto(f"{site.base}/wg/wg6")  # type: ignore[attr-defined]
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 400  # no sideways scrolling on a phone
    page.screenshot(path=str(ARTIFACTS / "working-group-phone.png"), full_page=True)  # type: ignore[attr-defined]
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.click("#download-html")  # type: ignore[attr-defined]
    saved = ARTIFACTS / "forum-report-wg6.html"
    download.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert "Forum-readiness report" in html and "Crosswalk coverage" in html
    for kind in ("md", "xlsx"):
        reply = httpx.get(f"{site.base}/wg/wg6/report.{kind}", timeout=30)
        assert reply.status_code == 200 and len(reply.content) > 1000


def test_every_input_has_a_label(site: Site, browser: object) -> None:
    page = new_page(browser)
    for path in ("/wg/wg6", "/signin"):
        page.goto(site.base + path)  # type: ignore[attr-defined]
        unlabelled = page.evaluate(  # type: ignore[attr-defined]
            "Array.from(document.querySelectorAll('input:not([type=hidden]), select'))"
            '.filter(e => !document.querySelector(`label[for="${e.id}"]`)).length'
        )
        assert unlabelled == 0, path


def test_cookie_sessions_need_the_csrf_token(site: Site) -> None:
    cookies = {"pariscall_token": site.token, "pariscall_csrf": "abc123"}
    query = {
        "query": 'mutation { rejectDuplicate(a: "sbom-pilot-industry", '
        'b: "nomenclature-logicielle-fournisseurs") { errors { __typename } } }'
    }
    forged = httpx.post(f"{site.base}/graphql", json=query, cookies=cookies, timeout=30)
    assert forged.status_code == 401 and "CSRF" in forged.json()["errors"][0]["message"]
    allowed = httpx.post(
        f"{site.base}/graphql",
        json=query,
        cookies=cookies,
        headers={"x-csrf-token": "abc123"},
        timeout=30,
    )
    assert allowed.json()["data"]["rejectDuplicate"]["errors"] == []


def test_merge_from_the_review_page(site: Site, browser: object) -> None:
    page = new_page(browser)
    sign_in(page, site, "/review?a=cloud-procurement-clauses&b=clauses-achat-cloud")
    page.get_by_role("button", name="Merge into the left one").click()  # type: ignore[attr-defined]
    page.wait_for_function("() => document.getElementById('feedback').textContent.length > 0")  # type: ignore[attr-defined]
    assert page.locator("#feedback").inner_text() == "Merged."  # type: ignore[attr-defined]
    assert page.locator("#card-2 .status").inner_text() == "archived"  # type: ignore[attr-defined]
    state = graphql(
        site.port, '{ initiative(id: "clauses-achat-cloud") { status topics { id } } }'
    ).json()["data"]["initiative"]
    assert state == {"status": "ARCHIVED", "topics": []}


def test_an_importer_uploads_from_the_imports_page(site: Site, browser: object) -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    page = new_page(browser)
    sign_in(page, site, "/imports", token=site.importer)
    page.wait_for_url(f"{site.base}/imports")  # type: ignore[attr-defined]
    runs = page.locator("#history tbody tr")  # type: ignore[attr-defined]
    seeded = runs.count()  # the demo's own loads
    # a spreadsheet of initiatives is for admins: refused, with the reason
    page.set_input_files("#file", str(data / "initiatives.csv"))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Import").click()  # type: ignore[attr-defined]
    feedback = page.locator("#feedback")  # type: ignore[attr-defined]
    feedback.filter(has_text="cannot import csv files").wait_for()
    # a dry run of the catalog counts and writes nothing
    page.set_input_files("#file", str(data / "catalog-v1.json"))  # type: ignore[attr-defined]
    page.get_by_label("Dry run").check()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Import").click()  # type: ignore[attr-defined]
    feedback.filter(has_text="Checked, nothing written: catalog-v1.json — 6 / 0").wait_for()
    assert runs.count() == seeded
    # then for real: the page reloads with the run in the history
    page.get_by_label("Dry run").uncheck()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Import").click()  # type: ignore[attr-defined]
    feedback.filter(has_text="Imported: catalog-v1.json — 6 / 0 / 0 / 0 / 0").wait_for()
    page.wait_for_function(  # type: ignore[attr-defined]
        f"() => document.querySelectorAll('#history tbody tr').length == {seeded + 1}"
    )
    cells = runs.first.locator("td").all_inner_texts()
    assert cells[1:] == [
        "catalog-v1.json",
        "Supply chain practices (test catalog)",  # the source's name, linked to its page
        "oscal",
        "imported",
        "Loader",
        "6 / 0 / 0 / 0 / 0",
    ]
    page.screenshot(path=str(ARTIFACTS / "imports.png"), full_page=True)  # type: ignore[attr-defined]


CATALOG = publication_id(publishers.CATALOG_TITLE)  # the 90-character generated source id
WALKED = (
    "/", "/wg/wg6", "/wg/wg6/gaps", "/topics", "/imports", "/search?q=nomenclature+logicielle",
    "/review?a=charte-divulgation-coordonnee&b=coordinated-disclosure-charter&wg=wg6",
    "/initiatives/charte-divulgation-coordonnee", "/wg/wg1", "/wg/wg6/graph",
    "/wg/wg6/report.html?inline=1",
    "/wg/wg6/gaps/cell?source=oecd-0482&topic=vulnerability-disclosure",
    # what real publishers' files bring: long generated ids, URNs, unnamed nodes
    f"/wg/wg6/gaps/cell?source={publishers.SSDF}", f"/wg/wg6/gaps/cell?source={CATALOG}",
    f"/sources/{publishers.CCF}", f"/sources/{CATALOG}", "/topics?page=2",
    "/search?q=example+policies",
)  # fmt: skip
# What a reader must never be shown for a name: an id's tail, a URN.
ID_SHAPES = re.compile(r"\bnode\d+\b|urn:test:")


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_page_breaks_a_word_across_lines_or_shows_an_untranslated_key(
    site: Site, browser: object, screen: tuple[int, int]
) -> None:
    """Every page, with real publishers' files loaded, in both languages, on a laptop and
    a phone: no word on two lines, nothing wider than the screen, no raw key or value of
    another language, names and not ids."""
    width, height = screen
    page = new_page(browser, width=width, height=height)
    sign_in(page, site, "/")
    for lang in ("en", "fr"):
        for path in WALKED:
            url = f"{site.base}{path}{'&' if '?' in path else '?'}lang={lang}"
            page.goto(url)  # type: ignore[attr-defined]
            broken = broken_words(page)
            assert broken == [], (path, lang, width, broken)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")  # type: ignore[attr-defined]
            assert overflow <= 0, (path, lang, width)
            assert untranslated(page, lang) == [], (path, lang)
            shown = page.locator("body").inner_text()  # type: ignore[attr-defined]
            assert ID_SHAPES.findall(shown) == [], (path, lang)
            if lang == "fr":  # why a pair was suggested, said in French too
                assert "shared concepts" not in shown and "text similarity" not in shown, path
    page.goto(f"{site.base}/?lang=fr")  # type: ignore[attr-defined]
    card = page.locator("#group-wg6").inner_text()  # type: ignore[attr-defined]
    assert "Sécurité de la chaîne d'approvisionnement numérique" in card


def test_graphiql_works_without_the_internet(site: Site, browser: object) -> None:
    """Every request leaving this server is refused: GraphiQL still draws its editor."""
    page = new_page(browser, width=1280)
    left: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(site.base):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)  # type: ignore[attr-defined]
    page.goto(f"{site.base}/graphql")  # type: ignore[attr-defined]
    page.wait_for_selector(".graphiql-editors", timeout=20_000)  # type: ignore[attr-defined]
    assert left == []
    assert "Loading..." not in page.locator("#graphiql").inner_text()  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "graphiql-offline.png"))  # type: ignore[attr-defined]


def test_the_french_imports_page_says_refusals_and_problems_in_french_each_once(
    site: Site, browser: object, tmp_path: Path
) -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    page = new_page(browser)
    sign_in(page, site, "/imports?lang=fr", token=site.importer)
    page.wait_for_url(f"{site.base}/imports?lang=fr")  # type: ignore[attr-defined]
    page.set_input_files("#file", str(data / "initiatives.csv"))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Importer").click()  # type: ignore[attr-defined]
    feedback = page.locator("#feedback")  # type: ignore[attr-defined]
    feedback.filter(has_text="Le rôle").wait_for()
    assert feedback.inner_text() == (
        "Non effectué\u00a0: Le rôle importateur ne peut pas importer de fichiers csv."
    )
    # a co-chair's sheet with mistakes: the count once, then each problem once, in French
    sheet = tmp_path / "wg6.csv"
    sheet.write_text(
        "id,title,language,status,started_on,working_groups\nwg6-new,,en,finished,2024-13-45,wg6\n",
        encoding="utf-8",
    )
    page.goto(f"{site.base}/signin?next=/imports")  # type: ignore[attr-defined]
    page.get_by_label("Jeton d'API").fill(site.token)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Se connecter").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{site.base}/imports")  # type: ignore[attr-defined]
    page.set_input_files("#file", str(sheet))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Importer").click()  # type: ignore[attr-defined]
    feedback.filter(has_text="problème").wait_for()
    assert feedback.inner_text() == "Non effectué\u00a0: 3 problème(s) dans le fichier."
    problems = page.locator("#problems li").all_inner_texts()  # type: ignore[attr-defined]
    assert sorted(problems) == [
        "wg6.csv, ligne 2, champ started_on\u00a0: doit être une date AAAA-MM-JJ",
        "wg6.csv, ligne 2, champ status\u00a0: doit valoir 'proposed', 'active', 'completed'"
        " ou 'archived'",
        "wg6.csv, ligne 2, champ title\u00a0: est obligatoire",
    ]
