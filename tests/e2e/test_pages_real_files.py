"""Pages in Chromium with files shaped like real publishers' ones loaded (the `site`
fixture): what a co-chair, an importer and a signatory tripped on once such files were
in the registry — decisions that left the page behind, merged initiatives that said
nothing, an import history and a heatmap wider than the page, every suggestion ticked,
links and Markdown shown raw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from importers.oscal import publication_id
from tests.processes import graphql, run_cli
from tests.support import publishers
from tests.support.browser import ARTIFACTS, CHROMIUM, Site, new_page, sign_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

CATALOG = publication_id(publishers.CATALOG_TITLE)
ERRORS = (
    "errors { __typename ... on ValidationError { message } ... on ForbiddenError { message } }"
)


def _ask(site: Site, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token or site.token}"}
    body: dict[str, Any] = graphql(site.port, query, variables, **headers).json()
    assert "errors" not in body, body
    return body["data"]


def _shown(page: Any, selector: str) -> list[str]:
    """The ids of the buttons of `selector` a reader sees, enabled."""
    return list(
        page.evaluate(
            f"Array.from(document.querySelectorAll('{selector} button'))"
            ".filter(b => !b.hidden && !b.disabled).map(b => b.id)"
        )
    )


def _after(page: Any, button: str, message: str) -> None:
    page.click(f"#{button}")
    page.locator("#feedback", has_text=message).wait_for()


def test_the_review_card_follows_each_decision_without_a_reload(site: Site, browser: Any) -> None:
    a, b = "formation-developpement-securise", "secure-development-training"
    page = new_page(browser, width=1366, height=768)
    sign_in(page, site, f"/review?a={a}&b={b}&wg=wg6")
    page.wait_for_url(f"**/review?a={a}*")
    assert page.locator("#decision").inner_text() == "to review"
    assert _shown(page, ".decide") == ["confirm", "reject", "merge"]
    loaded = page.evaluate("performance.timeOrigin")
    _after(page, "confirm", "Confirmed.")
    # the state and the actions it allows, at once: merge is offered, confirm is not
    assert [x.inner_text() for x in page.locator(".decision").all()] == ["confirmed"] * 2
    assert _shown(page, ".decide") == ["reject", "merge"]
    _after(page, "reject", "Rejected")
    assert page.locator("#decision").inner_text() == "rejected"
    assert _shown(page, ".decide") == ["confirm"]
    _after(page, "confirm", "Confirmed.")
    _after(page, "merge", "Merged.")
    assert page.locator("#decision").inner_text() == "merged"
    assert page.locator("#card-2 .status").inner_text() == "archived"
    assert _shown(page, ".decide") == ["unmerge"]
    page.screenshot(path=str(ARTIFACTS / "review-merged.png"), full_page=True)
    _after(page, "unmerge", "Merge undone.")
    assert page.locator("#decision").inner_text() == "confirmed"
    assert page.locator("#card-2 .status").inner_text() == "active"
    assert _shown(page, ".decide") == ["reject", "merge"]
    assert page.evaluate("performance.timeOrigin") == loaded  # never reloaded
    state = _ask(site, f'{{ initiative(id: "{b}") {{ status mergedInto {{ id }} }} }}')
    assert state["initiative"] == {"status": "ACTIVE", "mergedInto": None}


def test_a_merged_initiative_says_where_it_went_and_is_unmerged_from_its_page(
    site: Site, browser: Any
) -> None:
    survivor, merged = "incident-notification-template", "modele-notification-incidents"
    confirm = f'mutation {{ confirmDuplicate(a: "{survivor}", b: "{merged}") {{ {ERRORS} }} }}'
    assert _ask(site, confirm)["confirmDuplicate"]["errors"] == []
    version = _ask(site, f'{{ initiative(id: "{merged}") {{ version }} }}')["initiative"]["version"]
    merge = (
        f'mutation {{ mergeInitiatives(survivor: "{survivor}", merged: "{merged}", '
        f'mergedVersion: {version}, note: "Same template") {{ {ERRORS} }} }}'
    )
    assert _ask(site, merge)["mergeInitiatives"]["errors"] == []
    into = _ask(site, f'{{ initiative(id: "{merged}") {{ mergedInto {{ id title }} }} }}')
    title = into["initiative"]["mergedInto"]["title"]
    assert into["initiative"]["mergedInto"]["id"] == survivor

    reader = new_page(browser, width=390, height=844)  # anyone reads where it went
    reader.goto(f"{site.base}/initiatives/{merged}")
    link = reader.locator("#merged-into-link")
    assert link.inner_text() == title and link.get_attribute("href") == f"/initiatives/{survivor}"
    assert "Same template" in reader.locator("#merged-into").inner_text()
    assert reader.locator("#unmerge").count() == 0 and reader.locator("#history-h").count() == 0
    reader.goto(f"{site.base}/initiatives/{survivor}")
    assert reader.locator("#merged-from a").get_attribute("href") == f"/initiatives/{merged}"

    page = new_page(browser, width=1366, height=768)
    sign_in(page, site, f"/initiatives/{merged}?lang=fr")
    page.wait_for_selector("#merged-into")
    assert "Fusionnée dans" in page.locator("#merged-into").inner_text()
    history = page.locator("#initiative-history li").all_inner_texts()
    assert any("Cigref" in line and "fusionné" in line for line in history), history
    page.screenshot(path=str(ARTIFACTS / "initiative-merged-fr.png"), full_page=True)
    page.click("#unmerge")
    page.wait_for_function("() => !document.getElementById('merged-into')")
    assert page.locator("#initiative .status").inner_text() == "proposée"
    back = _ask(site, f'{{ initiative(id: "{merged}") {{ status mergedInto {{ id }} }} }}')
    assert back["initiative"] == {"status": "PROPOSED", "mergedInto": None}


def test_the_import_history_names_sources_and_fits_the_page(site: Site, browser: Any) -> None:
    for width, height in ((1366, 768), (390, 844)):
        page = new_page(browser, width=width, height=height)
        sign_in(page, site, "/imports", token=site.importer)
        page.wait_for_selector("#history")
        sources = page.locator("#history tbody td:nth-child(3)").all_inner_texts()
        crosswalk = "Cloud Service Controls Framework v3.0 ↔ Secure Development Practices Framework"
        assert any(s.startswith(crosswalk) for s in sources), sources
        assert publishers.CATALOG_TITLE in sources
        assert not any(CATALOG in s or "urn:" in s for s in sources)  # names, not ids
        # the columns after the source stay on the screen, with the page no wider
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        right = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('#history td'))"
            ".map(td => td.getBoundingClientRect().right))"
        )
        assert right <= width
        if width == 1366:
            page.screenshot(path=str(ARTIFACTS / "imports-real-files.png"), full_page=True)
    page.locator("#history a", has_text=publishers.CATALOG_TITLE).first.click()
    page.wait_for_selector("#source")
    assert page.locator("h1").inner_text() == publishers.CATALOG_TITLE
    assert "42 of them requirements" in page.locator("#source-counts").inner_text()


def test_the_heatmap_fits_a_laptop_screen_with_real_frameworks_loaded(
    site: Site, browser: Any
) -> None:
    page = new_page(browser, width=1366, height=768)
    page.goto(f"{site.base}/wg/wg6/gaps")
    headers = page.locator("#heatmap thead th").all_inner_texts()
    assert len(headers) >= 12  # the bundled sets and the three imported frameworks
    table, column = page.evaluate(
        "[document.getElementById('heatmap').getBoundingClientRect().width,"
        " document.querySelector('main').clientWidth]"
    )
    assert table <= column, (table, column)  # no sideways scrolling on a laptop
    page.screenshot(path=str(ARTIFACTS / "gaps-real-files.png"), full_page=True)


def test_topics_ticks_only_confident_suggestions_best_first_a_page_at_a_time(
    site: Site, browser: Any
) -> None:
    page = new_page(browser, width=390, height=844)
    sign_in(page, site, "/topics")
    page.wait_for_selector("#suggestions")
    items = page.locator("#suggestions li")
    assert items.count() == 50
    scores = [float(x) for x in page.evaluate(
        "Array.from(document.querySelectorAll('#suggestions li')).map(li => li.dataset.score)"
    )]  # fmt: skip
    assert scores == sorted(scores, reverse=True)
    ticked = """Array.from(document.querySelectorAll('#suggestions li')).map(li =>
        [Number(li.dataset.score), li.querySelector('input').checked])"""
    # ticked in advance exactly when confident
    assert all(checked == (score >= 0.5) for score, checked in page.evaluate(ticked))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#next-page")
    page.wait_for_selector("#previous-page")
    assert float(page.locator("#suggestions li").first.get_attribute("data-score")) <= scores[-1]
    page.goto(f"{site.base}/topics?page=1000")  # the last page: the least confident
    last = page.evaluate(ticked)
    assert last and all(score < 0.5 and not checked for score, checked in last)
    assert page.locator("#next-page").count() == 0


def test_comments_link_bare_addresses_and_proposals_read_as_markdown(
    site: Site, browser: Any
) -> None:
    made = run_cli(
        ["tokens", "create", "--role", "signatory", "--signatory", "cesin", "--name", "CESIN"],
        site.env,
    )
    assert made.returncode == 0, made.stderr
    cesin = made.stdout.strip()
    create = (
        f"mutation($i: CreateInitiativeInput!) {{ createInitiative(input: $i) {{ {ERRORS} }} }}"
    )
    mine = {"id": "sbom-observatoire", "title": "Observatoire des SBOM", "language": "fr",
            "contributors": [{"signatory": "cesin", "role": "LEAD"}]}  # fmt: skip
    assert _ask(site, create, token=cesin, i=mine)["createInitiative"]["errors"] == []
    message = "**Pilote** en 2025 : résultats sur https://example.org/sbom-pilote."
    propose = f"mutation($i: ProposeInput!) {{ propose(input: $i) {{ {ERRORS} }} }}"
    offer = {"initiative": "sbom-observatoire", "workingGroup": "wg6", "message": message}
    assert _ask(site, propose, token=cesin, i=offer)["propose"]["errors"] == []

    page = new_page(browser, width=1366, height=768)
    sign_in(page, site, "/wg/wg6")
    proposal = page.locator(".proposal", has_text="Observatoire des SBOM")
    quote = proposal.locator("blockquote.message")
    assert quote.locator("strong").inner_text() == "Pilote"
    assert quote.locator("a").get_attribute("href") == "https://example.org/sbom-pilote"
    assert "**" not in quote.inner_text()
    box = proposal.locator("textarea[name=body]")
    box.fill("Voir https://example.org/retour-experience, puis on en parle.")
    with page.expect_navigation():  # the thread's form reloads the page
        proposal.locator("form[data-mutation=addComment] button[type=submit]").click()
    proposal = page.locator(".proposal", has_text="Observatoire des SBOM")
    link = proposal.locator(".comment a", has_text="https://example.org/retour-experience")
    assert link.get_attribute("href") == "https://example.org/retour-experience"
