"""What names a recommendation; the rule itself is schema/naming.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.recommendations import queries as q
from graph.store import GraphStore


def naming_rows(store: GraphStore, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> reference, title, text and parent id of each recommendation found."""
    if not ids:
        return {}
    return {row["id"]: row for row in store.read(q.NAMES, {"ids": sorted(set(ids))})}


def children(store: GraphStore, parents: Sequence[str]) -> dict[str, list[str]]:
    """parent id -> its children's ids (in no particular order)."""
    if not parents:
        return {}
    rows = store.read(q.CHILDREN, {"ids": sorted(set(parents))})
    return {row["parent"]: list(row["children"]) for row in rows}
