"""Gaps, crosswalk coverage and names with files shaped like real publishers' loaded
(tests/support/publishers.py): unnamed "Example" nodes, tasks in the middle of a
hierarchy, a 764-node framework and a crosswalk that links tasks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import gaps, report
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import WorkingGroup
from tests import factories as f
from tests.support import publishers

SSDF, CCF = publishers.SSDF, publishers.CCF
ID_TAIL = re.compile(r"\bnode\d+\b")


@pytest.fixture
def loaded(store: GraphStore, tmp_path: Path) -> GraphStore:
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    publishers.load(store, tmp_path / "files")
    return store


def test_real_shapes_count_requirements_name_them_and_cover_what_crosswalks_link(
    loaded: GraphStore,
) -> None:
    # Examples and headings (assessable: false) are nobody's gap: the tasks are.
    found = gaps.find_gaps(loaded, working_group="wg6")
    uncovered: dict[str, set[str]] = {}
    for group in found.uncovered_recommendations:
        uncovered.setdefault(group.source_id, set()).update(group.recommendation_ids)
    tasks = {f"{SSDF}:{task.lower()}" for _, _, task in publishers.tasks()}
    assert uncovered[SSDF] == tasks
    assert len(uncovered[CCF]) == 735  # 764 nodes less 16 domains and 13 areas
    catalog = next(s for s in uncovered if s not in (SSDF, CCF))
    assert len(catalog) >= 80 and len(uncovered[catalog]) == 42  # the tasks, the leaves there
    assert found.uncovered_total == 42 + 735 + 42

    # A crosswalk's link to a task covers the task: every task is linked, and 61 controls.
    pairs, _ = gaps.crosswalk_pairs(gaps.crosswalks(loaded))
    coverage = {(p.source_a, p.source_b): (p.mapped_a, p.total_a, p.mapped_b, p.total_b)
                for p in pairs}  # fmt: skip
    assert coverage == {(CCF, SSDF): (61, 735, 42, 42)}

    from analysis import names

    # One naming rule: reference and words; the words of the description where the
    # publisher gave no name (or a name that repeats the reference); never an id tail.
    named = names.recommendations(loaded, [f"{SSDF}:po.1.1", f"{SSDF}:node5", f"{CCF}:ccf-1",
                                           f"{catalog}:po.1.1", f"{SSDF}:po"])  # fmt: skip
    assert str(named[f"{SSDF}:po.1.1"]).startswith("PO.1.1 — Identify, document and keep")
    assert named[f"{SSDF}:node5"].ref is None
    assert str(named[f"{SSDF}:node5"]).startswith("Example 1: ")
    assert named[f"{CCF}:ccf-1"].ref == "CCF 1"
    assert named[f"{CCF}:ccf-1"].label.startswith("Control 1: ")
    assert str(named[f"{catalog}:po.1.1"]).startswith("PO.1.1 — Identify, document and keep")
    assert str(named[f"{SSDF}:po"]) == "PO — Prepare the Organisation"

    # The report names them by that rule, with nothing an id's tail.
    markdown = report.to_markdown(report.build(loaded, "wg6"))
    assert ID_TAIL.findall(markdown) == []
    assert "PO.1.1 — Identify, document and keep" in markdown
    assert "(42)" in markdown and "(735)" in markdown
    assert "| 61/735 |" in markdown and "| 42/42 |" in markdown


def test_a_record_with_neither_name_nor_description_is_named_after_its_parent(
    store: GraphStore,
) -> None:
    from analysis import names
    from graph.links import repository as links
    from schema.models import Recommendation, Source

    nodes.save(store, [f.source("s1")], model=Source)
    records = [
        f.recommendation("s1:a", source_id="s1", ref="A", title="Know your suppliers"),
        f.recommendation("s1:node2", source_id="s1", ref=None, title=None, text=None,
                         parent_id="s1:a"),
        f.recommendation("s1:node11", source_id="s1", ref=None, title=None, text=None,
                         parent_id="s1:a"),
    ]  # fmt: skip
    nodes.save(store, records, model=Recommendation)
    links.link(store, "recommendation_parent", [("s1:node2", "s1:a"), ("s1:node11", "s1:a")])
    named = names.as_text(names.recommendations(store, ["s1:node11", "s1:node2"]))
    assert named == {
        "s1:node11": "A — Know your suppliers #2",
        "s1:node2": "A — Know your suppliers #1",
    }
