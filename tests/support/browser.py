"""Debian's Chromium driven by Playwright, and signing in to the pages."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum as enum_base
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class Site:
    def __init__(
        self, port: int, token: str, importer: str, env: dict[str, str] | None = None
    ) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.token = token
        self.importer = importer
        self.env = env or {}


def new_page(browser: object, width: int = 1280, height: int = 900) -> object:
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    return context.new_page()


# The screens the pages are checked on: a laptop and a phone.
SCREENS = ((1366, 768), (390, 844))


@contextlib.contextmanager
def demo(data_dir: Path) -> Iterator[Site]:
    """`pariscall serve --demo`, with a token for a co-chair of WG6 (no importer yet)."""
    from tests.processes import cli_env, free_port, run_cli, start_server

    env = cli_env(data_dir, PARISCALL_RATE_LIMIT_PER_ADDRESS="100000/minute")
    port = free_port()
    server = start_server(env, port, "--demo")
    try:
        made = run_cli(
            ["tokens", "create", "--role", "co_chair", "--wg", "wg6", "--name", "Cigref"], env
        )
        assert made.returncode == 0, made.stderr
        yield Site(port, made.stdout.strip(), "", env)
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def demo_with_publishers(data_dir: Path) -> Iterator[Site]:
    """The demo (`demo`) with files shaped like real publishers' ones imported through
    `pariscall import` (tests/support/publishers.py), topic suggestions stored for their
    requirements, and an importer's token besides the co-chair's."""
    from tests.processes import run_cli
    from tests.support import publishers

    with demo(data_dir) as site:
        importer = run_cli(["tokens", "create", "--role", "importer", "--name", "Loader"], site.env)
        assert importer.returncode == 0, importer.stderr
        files = [str(path) for path in publishers.write(data_dir / "publishers").in_order]
        loaded = run_cli(["import", "--actor", "Loader", *files], site.env)  # in this order
        assert loaded.returncode == 0, loaded.stderr
        _suggest_topics(data_dir)
        site.importer = importer.stdout.strip()
        yield site


# Scores spread like the suggestions of `pariscall analyze topics` on real files: a few
# confident ones, most between the floor and 0.5.
SUGGESTED_SCORES = (0.71, 0.58, 0.52, 0.47, 0.44, 0.41, 0.38, 0.36, 0.34, 0.31)


def _suggest_topics(data_dir: Path) -> None:
    """Topic suggestions for the imported requirements without a topic, stored through the
    repository on the server's own engine (computing them takes the encoder a minute)."""
    from graph.connect import GraphConfig, open_store
    from graph.topics import repository as topics

    with contextlib.closing(open_store(GraphConfig(url=None, data_dir=data_dir))) as store:
        untagged = [r["id"] for r in topics.untagged(store)]
        names = [t["id"] for t in topics.topics(store)]
        rows = [
            {"r": id, "t": names[n % len(names)],
             "score": SUGGESTED_SCORES[n % len(SUGGESTED_SCORES)]}
            for n, id in enumerate(untagged)
        ]  # fmt: skip
        topics.replace(store, rows, now=datetime.now(UTC))


def sign_in(page: object, site: Site, next: str, token: str | None = None) -> None:
    page.goto(f"{site.base}/signin?next={quote(next)}")  # type: ignore[attr-defined]
    page.get_by_label("API token").fill(token or site.token)  # type: ignore[attr-defined]
    # The page it leads to, loaded with its scripts: a form clicked before its script has
    # taken its submit event posts natively and sends no mutation (a proposal that never
    # appeared, once, on a loaded CI machine).
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]


# Words of four letters or more that the page shows over two lines. Tokens longer than
# 24 characters (addresses, ids) may break: on a phone they cannot fit otherwise.
BROKEN_WORDS = """
(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || node.parentElement.closest("[hidden], script, style")) continue;
    for (const match of node.textContent.matchAll(/[\\p{L}\\p{N}'\\u2019]{4,24}/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})()
"""


def broken_words(page: Any) -> list[str]:
    """The words the page breaks across lines (see BROKEN_WORDS)."""
    return list(page.evaluate(BROKEN_WORDS))


ENUMERATION_PREFIXES = ("kind_", "status_", "wg_status_", "decision_", "run_", "language_", "role_")


def untranslated(page: Any, lang: str) -> list[str]:
    """What the page shows that belongs to no language: a raw key of the page words
    (`no_topic_yet`), a raw enumeration value (`local_government`), or, in a badge or a
    label of the other language, a value in the wrong language ("proposed" on a French
    page). Titles and summaries are the registry's own text and are not judged."""
    from analysis.i18n import text
    from schema import enums

    shown = str(page.evaluate("document.body.innerText"))
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+", shown))
    raw = {key for key in text("en") if "_" in key}
    raw |= {
        value.value
        for enum in vars(enums).values()
        if isinstance(enum, type) and issubclass(enum, enum_base) and enum is not enum_base
        for value in enum
        if "_" in value.value
    }
    found = sorted(words & raw)
    # the words of the enumerations' values (label(lang, prefix, value)), in each language
    other = "fr" if lang == "en" else "en"
    labels = [k for k in text("en") if k.startswith(ENUMERATION_PREFIXES)]
    theirs = {text(other)[k] for k in labels}
    ours = {text(lang)[k] for k in labels}
    badges = page.locator(".badge").all_inner_texts()
    found += sorted({b for b in badges if b.strip() in theirs - ours})
    return found
