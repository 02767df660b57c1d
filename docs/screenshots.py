"""Take the screenshots of docs/ from a running demo (`pariscall serve --demo`), with the
files shaped like real publishers' ones that the tests write imported and topics
suggested, so that the pages show what real files bring:

    pariscall import $(python -m tests.support.publishers /tmp/publishers)
    pariscall analyze topics
    pariscall tokens create --role co_chair --wg wg6 --name Cigref   # prints TOKEN
    python docs/screenshots.py http://127.0.0.1:8000 TOKEN

Each page but the sign-in page is shot signed in as a co-chair, at desktop width in
English or French and, for two of them, at phone width; the window only (800 px high).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
PAGE = "charte-divulgation-coordonnee"
# What GraphiQL is shown running, signed in (the page session's token and CSRF token)
QUERY = """{
  workingGroup(id: "wg6") {
    name
    initiatives(first: 3) {
      totalCount
      edges { node { title contributors { role signatory { name } } } }
    }
  }
}"""
CELL = "/wg/wg6/gaps/cell?source=oecd-0482&topic=vulnerability-disclosure"
SHOTS = [  # (file, path, language, width, whole page[, what to scroll to])
    ("home", "/", "en", 1280, False),
    ("home-phone-fr", "/", "fr", 390, False),
    ("working-group", "/wg/wg6", "en", 1280, False),
    ("working-group-fr", "/wg/wg6", "fr", 1280, False),
    ("gaps", "/wg/wg6/gaps", "en", 1280, False),
    ("gaps-cell-fr", CELL, "fr", 1280, False),
    ("graph", "/wg/wg6/graph", "en", 1280, False),
    ("review-fr", f"/review?a={PAGE}&b=coordinated-disclosure-charter&wg=wg6", "fr", 1280, False),
    ("initiative", f"/initiatives/{PAGE}", "en", 1280, False),
    ("search", "/search?q=nomenclature+logicielle", "en", 1280, False),
    ("topics-fr", "/topics", "fr", 1280, False),
    ("imports", "/imports", "en", 1280, False, "#history"),
    ("report-fr", "/wg/wg6/report.html?inline=1", "fr", 1280, False),
    ("initiative-phone", f"/initiatives/{PAGE}", "en", 390, False),
    ("graphiql", "/graphql", "en", 1280, False),
    ("signin-fr", "/signin", "fr", 1280, False),
]  # fmt: skip


def main(base: str, token: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, lang, width, whole, *scroll in SHOTS:
            page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
            if path != "/signin":  # the sign-in page as a newcomer sees it
                page.goto(f"{base}/signin?lang={lang}")
                page.fill("input[name=token]", token)
                page.click("button[type=submit]")
            joiner = "&" if "?" in path else "?"
            page.goto(
                f"{base}{path}{joiner}lang={lang}" if path != "/graphql"
                else f"{base}/graphql?q={quote(QUERY)}"
            )  # fmt: skip
            if path == "/graphql":
                page.wait_for_selector(".graphiql-editors", timeout=20_000)
                page.locator(".graphiql-execute-button").click()
            page.wait_for_timeout(1500 if path.endswith("graph") or path == "/graphql" else 300)
            if path.endswith("/graph"):
                page.evaluate(
                    "(() => { const n = registryGraph.nodes('[kind = \"initiative\"]')"
                    ".max(n => n.data('links')).ele; n.select(); n.emit('tap'); })()"
                )
            if scroll:
                page.evaluate(f"document.querySelector('{scroll[0]}').scrollIntoView()")
            page.screenshot(path=str(HERE / f"{name}.png"), full_page=whole)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
