"""Any text the validators accept comes back from the graph byte for byte (property test)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from graph.browse import repository as browse
from graph.curation import repository as curation
from graph.store import GraphStore
from schema.records import InitiativeRecord
from tests.support.units import system

TRICKY = st.sampled_from(
    ["'", '"', "\\", "`", "$x", "{a}", "//", "/*", "\u202e", "\u200b", "\u200d", "é", "🛡️",
     "\n", "\t", "MATCH (n) DETACH DELETE n", "\\'", '\\"', "\\\\"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=20), TRICKY), min_size=1, max_size=8).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, summary=TEXT)
def test_accepted_text_is_stored_and_read_back_exactly(
    store: GraphStore, title: str, summary: str
) -> None:
    id = f"i-{uuid.uuid4().hex[:12]}"
    try:
        record = InitiativeRecord.model_validate(
            {"id": id, "title": title, "summary": summary, "language": "fr"}
        )
    except ValidationError:
        return  # refused with a message: the other half of the contract
    curation.create_initiative(system(store), record, now=datetime.now(UTC))
    stored = browse.by_ids(store, "Initiative", [id])[id]
    assert stored["title"] == title
    assert stored["summary"] == summary
