"""Link and unlink registry nodes through the fixed vocabulary of graph.links.queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.links import queries as q
from graph.store import GraphStore
from schema.errors import Problem, ValidationFailed
from schema.kinds import Relation


def write_all_linked(
    store: GraphStore, statement: str, rows: Sequence[Mapping[str, Any]], *, what: str
) -> int:
    """Run a link statement returning `n`; every row must have found both of its ends."""
    if not rows:
        return 0
    result = store.write(statement, {"rows": list(rows)})
    linked = int(result[0]["n"]) if result else 0
    if linked != len(rows):
        raise ValidationFailed(
            [Problem(f"{len(rows) - linked} {what} link(s) name a record that does not exist")]
        )
    return linked


def link(store: GraphStore, name: str, pairs: Sequence[tuple[str, str]]) -> int:
    """Create links; every pair must name two existing records."""
    a, _, b = q.LINKS[name]
    rows = [{"from_id": x, "to_id": y} for x, y in pairs]
    return write_all_linked(store, q.merge_links(name), rows, what=f"{a}→{b}")


def link_through(
    store: GraphStore, label: str, relation: Relation, pairs: Sequence[tuple[str, str]]
) -> int:
    """Create links of a settable relation from (this id, far id) pairs."""
    name = q.link_name(label, relation)
    return link(store, name, [q.oriented(relation, this, far) for this, far in pairs])


def unlink(store: GraphStore, name: str, pairs: Sequence[tuple[str, str]]) -> int:
    if not pairs:
        return 0
    rows = [{"from_id": a, "to_id": b} for a, b in pairs]
    return int(store.write(q.delete_links(name), {"rows": rows})[0]["n"])
