"""Light Markdown of comments, rendered safely for pages and for GraphQL's `bodyHtml`.

Only emphasis, code, links, lists, paragraphs and line breaks are read; raw HTML is
escaped, never passed through; links other than http(s) and mailto are dropped (the
parser already refuses javascript:, vbscript:, file: and data:); bidirectional
controls are shown as markers before parsing, so text cannot display in another order
than it is stored.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markdown_it import MarkdownIt

from schema.text import visible

_SCHEMES = ("http://", "https://", "mailto:")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["emphasis", "backticks", "link", "list", "newline", "escape", "paragraph"])
    md.validateLink = lambda url: url.strip().lower().startswith(_SCHEMES)  # type: ignore[method-assign]

    def link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    return md


def render(text: str) -> str:
    """HTML for `text`, safe to place in a page as it is."""
    return str(_parser().render(visible(text)))
