"""A list read a page at a time (graph/paging.py), through one that uses it: the calls
for contributions, newest first, filtered, with their count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph.collaboration import repository as proposals
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import WorkingGroup
from tests import factories as f
from tests.support.units import system

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_calls_come_a_page_at_a_time_newest_first_with_the_count_of_the_filters(
    store: GraphStore,
) -> None:
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    for day, (title, group) in enumerate(
        [("SBOM call", "wg6"), ("CVD call", "wg6"), ("Label call", "wg7"), ("Audit call", "wg6")]
    ):
        proposals.open_call(
            system(store), working_group_id=group, title=title, description=None, topics=[],
            deadline=None, opened_by="co-chair", now=NOW + timedelta(days=day),
        )  # fmt: skip
    wg6 = {"group": "wg6", "state": None}
    first = proposals.calls(store, skip=0, limit=2, **wg6)
    rest = proposals.calls(store, skip=2, limit=2, **wg6)
    assert [c.title for c in first] == ["Audit call", "CVD call"]
    assert [c.title for c in rest] == ["SBOM call"]
    assert proposals.call_count(store, **wg6) == 3
    assert proposals.call_count(store, group=None, state=None) == 4
    assert proposals.call_count(store, group="wg8", state=None) == 0
