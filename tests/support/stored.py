"""Writes and reads only tests need: crosswalks and duplicate links stored as they are
(the application stores them through the analyses' decisions), what one recommendation
or initiative holds of them, and how many import rows are staged."""

from __future__ import annotations

from collections.abc import Mapping as Mapping_
from collections.abc import Sequence
from typing import Any

from graph.imports import queries as iq
from graph.links.repository import write_all_linked
from graph.nodes.repository import to_row
from graph.relationships import queries as q
from graph.store import GraphStore
from schema.relationships import DuplicateLink, Mapping


def save_mappings(store: GraphStore, items: Sequence[Mapping]) -> int:
    return write_all_linked(store, q.MERGE_MAPPINGS, [to_row(m) for m in items], what="MAPS_TO")


def save_duplicates(store: GraphStore, items: Sequence[DuplicateLink]) -> int:
    return write_all_linked(
        store, q.MERGE_DUPLICATES, [to_row(d) for d in items], what="DUPLICATE_OF"
    )


def mappings_from(store: GraphStore, recommendation_id: str) -> list[Mapping]:
    rows = store.read(q.READ_MAPPINGS_FROM, {"id": recommendation_id})
    return [Mapping.model_validate(_ends(r, "from_id", "to_id")) for r in rows]


def duplicates_from(store: GraphStore, initiative_id: str) -> list[DuplicateLink]:
    rows = store.read(q.READ_DUPLICATES_FROM, {"id": initiative_id})
    return [DuplicateLink.model_validate(_ends(r, "a_id", "b_id")) for r in rows]


def _ends(row: Mapping_[str, Any], *ends: str) -> dict[str, Any]:
    """A relationship's ends and its properties that are set."""
    props = {k: v for k, v in row["props"].items() if v is not None}
    return {end: row[end] for end in ends} | props


def staged_count(store: GraphStore) -> int:
    return int(store.read(iq.STAGED_COUNT)[0]["n"])
