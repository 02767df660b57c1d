"""Comments' light Markdown: bare web addresses become links, with the same checks as
written links, and nothing else does."""

from __future__ import annotations

from api.markdown import render

REL = 'rel="nofollow noopener noreferrer"'


def test_bare_addresses_are_linked_without_the_punctuation_around_them() -> None:
    html = render("See https://example.org/report, and (http://example.org/a_(b)).")
    assert f'<a href="https://example.org/report" {REL}>https://example.org/report</a>,' in html
    assert f'(<a href="http://example.org/a_(b)" {REL}>http://example.org/a_(b)</a>).' in html


def test_only_web_addresses_outside_code_and_links_become_links() -> None:
    html = render(
        "`https://in.code` [named](https://named.example) javascript:alert(1) "
        'https://e.org"onmouseover=alert(1) <b>https://tag.example</b>'
    )
    assert "<code>https://in.code</code>" in html
    assert html.count("<a ") == 3  # the named link, e.org, tag.example
    assert f'<a href="https://named.example" {REL}>named</a>' in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert f'<a href="https://e.org" {REL}>https://e.org</a>&quot;onmouseover' in html
    assert "&lt;b&gt;" in html
