"""Debian's Chromium driven by Playwright, and signing in to the pages."""

from __future__ import annotations

import shutil
from pathlib import Path
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
    def __init__(self, port: int, token: str, importer: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.token = token
        self.importer = importer


def new_page(browser: object, width: int = 1280) -> object:
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    return context.new_page()


def sign_in(page: object, site: Site, next: str, token: str | None = None) -> None:
    page.goto(f"{site.base}/signin?next={quote(next)}")  # type: ignore[attr-defined]
    page.get_by_label("API token").fill(token or site.token)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
