"""Light Markdown of comments, rendered safely for pages and for GraphQL's `bodyHtml`.

Only emphasis, code, links, lists, paragraphs and line breaks are read; raw HTML is
escaped, never passed through; links other than http(s) and mailto are dropped (the
parser already refuses javascript:, vbscript:, file: and data:); bare http(s) addresses
in the text become links too (with the same checks); bidirectional controls are shown
as markers before parsing, so text cannot display in another order than it is stored.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from schema.text import visible

_SCHEMES = ("http://", "https://", "mailto:")
# A bare web address in running text; what ends a sentence after it is not part of it.
_BARE_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\""


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["emphasis", "backticks", "link", "list", "newline", "escape", "paragraph"])
    md.validateLink = lambda url: url.strip().lower().startswith(_SCHEMES)  # type: ignore[method-assign]

    def link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    md.core.ruler.after("inline", "bare_urls", _bare_urls)
    return md


def _url_end(url: str) -> str:
    """`url` without the punctuation that ends the sentence around it; a closing
    parenthesis stays only when the address opened one (Wikipedia-style addresses)."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def _bare_urls(state: StateCore) -> None:
    """Turn bare http(s) addresses in text (not in code, not already in a link) into
    links, through the parser's own link checks."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        inside_link = 0
        for token in block.children:
            if token.type == "link_open":
                inside_link += 1
            elif token.type == "link_close":
                inside_link -= 1
            if token.type != "text" or inside_link or "://" not in token.content:
                out.append(token)
                continue
            out += _split(state, token)
        block.children = out


def _split(state: StateCore, token: Token) -> list[Token]:
    text, pieces, at = token.content, [], 0
    for found in _BARE_URL.finditer(text):
        url = _url_end(found.group())
        href = state.md.normalizeLink(url)
        if not url or not state.md.validateLink(href):
            continue
        if found.start() > at:
            pieces.append(_text(text[at : found.start()], token.level))
        opening = Token("link_open", "a", 1, level=token.level, markup="linkify", info="auto")
        opening.attrSet("href", href)
        pieces += [opening, _text(url, token.level + 1)]
        pieces.append(Token("link_close", "a", -1, level=token.level, markup="linkify"))
        at = found.start() + len(url)
    if not pieces:
        return [token]
    if at < len(text):
        pieces.append(_text(text[at:], token.level))
    return pieces


def _text(content: str, level: int) -> Token:
    return Token("text", "", 0, level=level, content=content)


def render(text: str) -> str:
    """HTML for `text`, safe to place in a page as it is."""
    return str(_parser().render(visible(text)))
