"""Link and unlink registry nodes through the fixed vocabulary of graph.queries.links."""

from __future__ import annotations

from collections.abc import Sequence

from graph.queries import links as q
from graph.store import GraphStore
from schema.errors import Problem, ValidationFailed

LINK_NAMES = tuple(q.LINKS)


def link(store: GraphStore, name: str, pairs: Sequence[tuple[str, str]]) -> int:
    """Create links; every pair must name two existing records."""
    if not pairs:
        return 0
    rows = [{"from_id": a, "to_id": b} for a, b in pairs]
    linked = int(store.write(q.merge_links(name), {"rows": rows})[0]["n"])
    if linked != len(rows):
        a, _, b = q.LINKS[name]
        raise ValidationFailed(
            [Problem(f"{len(rows) - linked} {a}→{b} link(s) name a record that does not exist")]
        )
    return linked


def unlink(store: GraphStore, name: str, pairs: Sequence[tuple[str, str]]) -> int:
    if not pairs:
        return 0
    rows = [{"from_id": a, "to_id": b} for a, b in pairs]
    return int(store.write(q.delete_links(name), {"rows": rows})[0]["n"])
