"""Every answer says what a browser may load and run for it, that no other site may frame
it, and that its files are not to be read as another type; the pages, their scripts,
the graph view, the live notice and GraphiQL keep working in Chromium under the policy,
which reports no violation.

On the embedded engine only: the headers are the web layer's, the same on both engines
(test_neo4j_product.py fetches every page from a server on Neo4j)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.web.headers import PAGE_POLICY
from graph.store import GraphStore
from tests.processes import graphql
from tests.support.browser import ARGS, ARTIFACTS, CHROMIUM, Site, demo, new_page, sign_in

PAIR = ("charte-divulgation-coordonnee", "coordinated-disclosure-charter")


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_every_answer_carries_the_security_headers(falkor_store: GraphStore) -> None:
    app = create_app(Settings(webhook_dispatch=False), store=falkor_store)
    with TestClient(app) as client:
        answers = {
            "page": client.get("/"),
            "search": client.get("/search", params={"q": "sbom"}),
            "static": client.get("/static/collab.js"),
            "api": client.post("/graphql", json={"query": "{ topics { totalCount } }"}),
            "graphiql": client.get("/graphql", headers={"accept": "text/html"}),
            "health": client.get("/health"),
            "missing": client.get("/wg/nowhere"),
        }
    for name, reply in answers.items():
        assert reply.headers["x-content-type-options"] == "nosniff", name
        assert reply.headers["x-frame-options"] == "DENY", name
        policy = _directives(reply.headers["content-security-policy"])
        assert policy["frame-ancestors"] == "'none'", name
        assert "'unsafe-inline'" not in policy["script-src"], name
        assert "'unsafe-eval'" not in policy["script-src"], name
    assert answers["page"].headers["content-security-policy"] == PAGE_POLICY
    graphiql = _directives(answers["graphiql"].headers["content-security-policy"])
    # strawberry's page: its one inline script and one inline style, by hash
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]{44}'", graphiql["script-src"])) == 1
    # (and Cytoscape's one style rule, as on every page)
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]{44}'", graphiql["style-src"])) == 2


# Records every violation the page's policy reports, from the first script on.
WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with demo(tmp_path_factory.mktemp("headers")) as served:
        yield served


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_pages_and_graphiql_work_under_the_policy_with_no_violation(site: Site) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            _walk(site, browser)
        finally:
            browser.close()


def _walk(site: Site, browser: Any) -> None:
    page: Any = new_page(browser)
    page.add_init_script(WATCH)
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def clean(where: str) -> None:
        assert page.evaluate("window.cspViolations") == [], where
        assert refused == [], where

    sign_in(page, site, "/wg/wg6")
    # the group page's own script (the filter) and its live notice (a WebSocket)
    page.wait_for_function("() => document.querySelector('#live') !== null")
    page.get_by_label("Search").fill("sbom")
    assert page.locator("#initiatives tbody tr:visible").count() > 0
    page.wait_for_timeout(300)  # the page's socket has subscribed
    opened = graphql(
        site.port,
        'mutation { openCall(input: {workingGroup: "wg6", title: "Under the policy"}) '
        "{ errors { __typename } } }",
        Authorization=f"Bearer {site.token}",
    ).json()
    assert opened["data"]["openCall"]["errors"] == []
    page.wait_for_selector("#live:not([hidden])", timeout=10_000)
    clean("/wg/wg6")
    # the graph view: Cytoscape draws the group
    page.goto(f"{site.base}/wg/wg6/graph")
    # (predicates as functions: a string one is compiled in the page, which the policy refuses)
    page.wait_for_function("() => Number(document.getElementById('network').dataset.nodes) > 10")
    clean("/wg/wg6/graph")
    # a co-chair's decision from the review page (its script calls the API)
    page.goto(f"{site.base}/review?a={PAIR[0]}&b={PAIR[1]}")
    page.get_by_role("button", name="Confirm duplicate").click()
    page.wait_for_function("() => document.getElementById('feedback').textContent.length > 0")
    assert page.locator("#feedback").inner_text() == "Confirmed."
    clean("/review")
    for path in (
        "/", "/search?q=nomenclature+logicielle", "/wg/wg6/gaps", "/imports", "/topics",
        f"/initiatives/{PAIR[0]}", "/wg/wg6/report.html?inline=1",
    ):  # fmt: skip
        page.goto(site.base + path)
        page.wait_for_load_state("load")
        clean(path)
    # GraphiQL signed in: the page session's cookie carries the token, so GraphiQL must
    # send the page's CSRF token with it (it once sent strawberry's Django header name
    # and every query answered "missing or wrong CSRF token")
    page.goto(f"{site.base}/graphql?q=%7B%20webhooks%20%7B%20totalCount%20%7D%20%7D")
    page.wait_for_selector(".graphiql-editors", timeout=20_000)
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(
        "() => (document.querySelector('.graphiql-response')?.innerText || '')"
        ".includes('\"data\"')",
        timeout=20_000,
    )
    answer = page.locator(".graphiql-response").inner_text()
    assert "CSRF" not in answer and '"totalCount"' in answer, answer
    page.screenshot(path=str(ARTIFACTS / "graphiql-signed-in.png"))
    clean("/graphql signed in")
    # GraphiQL signed out: the editor draws, and a query runs
    page = new_page(browser)
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{site.base}/graphql?q=%7B%20topics%20%7B%20totalCount%20%7D%20%7D")
    page.wait_for_selector(".graphiql-editors", timeout=20_000)
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(
        "() => document.querySelector('.graphiql-response')?.innerText.includes('totalCount')",
        timeout=20_000,
    )
    page.screenshot(path=str(ARTIFACTS / "graphiql-under-policy.png"))
    clean("/graphql")
    # and the watch sees what the policy refuses: a script written into the page
    page.goto(f"{site.base}/")
    ran = page.evaluate(
        "(() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); return window.ran === 1; })()"
    )
    assert ran is False
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert page.evaluate("window.cspViolations") == ["script-src-elem inline"]
