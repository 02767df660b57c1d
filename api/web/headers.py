"""Security headers on every answer: what a browser may load and run for a page, and
that no other site may frame it or have its files read as another type.

The pages load their scripts, styles and images from this site only, and run no inline
script; a page's own WebSocket and fetches go to this site only. Two answers carry a
policy of their own, chosen where they are made: GraphiQL (strawberry's page, whose one
inline script and one inline style are allowed by their hashes) and the Forum report
shown in the browser (a self-contained file: its inline styles, no script at all).
Inline `style` attributes stay allowed on pages (the gaps heatmap colours its cells
with them): they cannot run code, and the images they could name are this site's.
The graph view's Cytoscape writes one fixed rule in a <style> element, allowed by hash.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# The one <style> element Cytoscape (the graph view) writes into the page, allowed by hash.
CYTOSCAPE_STYLE = ".__________cytoscape_container { position: relative; }"
PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' {_digest(CYTOSCAPE_STYLE)}",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
REPORT_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
_INLINE = {
    "script": re.compile(r"<script>(.*?)</script>", re.DOTALL),
    "style": re.compile(r"<style>(.*?)</style>", re.DOTALL),
}


def _hashes(html: str, element: str) -> str:
    return " ".join(_digest(body) for body in _INLINE[element].findall(html))


def graphiql_policy(html: str) -> str:
    """The page policy, with GraphiQL's own inline script and style allowed by hash (the
    page is strawberry's, a fixed text: nothing a request sends can reach it)."""
    return PAGE_POLICY.replace(
        "script-src 'self'", f"script-src 'self' {_hashes(html, 'script')}"
    ).replace("style-src 'self'", f"style-src 'self' {_hashes(html, 'style')}", 1)


class SecurityHeadersMiddleware:
    """Adds the headers to every HTTP answer; a Content-Security-Policy set where the
    answer was made (GraphiQL, the report) is kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", PAGE_POLICY)
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("x-content-type-options", "nosniff")
            await send(message)

        await self.app(scope, receive, with_headers)
