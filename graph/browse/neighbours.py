"""Neighbours of many nodes at once, for the API's DataLoaders (one statement per level).

name -> (start label, direction "out" or "in" seen from it, relationship type, far
label), derived from the kinds' relations (schema/kinds.py): `initiative_topics` is
Initiative's relation `topics`. Statements are built only from this table.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.cypher import each
from graph.cypher.projection import node
from schema.kinds import neighbours as described

NEIGHBOURS: dict[str, tuple[str, str, str, str]] = {
    n.name: (n.label, n.relation.direction.value, n.relation.type, n.relation.far)
    for n in described()
}


def neighbours(name: str) -> str:
    """Rows of (key, node, rel) for every id in $ids, in no order: the caller sorts each
    key's few neighbours, cheaper than sorting every row in the engine."""
    label, direction, rel, far = NEIGHBOURS[name]
    left, right = ("<-", "-") if direction == "in" else ("-", "->")
    pattern = f"(a){left}[r:{rel}]{right}(b:{far})"
    # `WHERE a.id IN $ids`, not `UNWIND $ids AS key MATCH (a {id: key})`: on statistics
    # sampled before a bulk load Neo4j 5 planned the latter as a scan of the id index per
    # key (500,000 rows for 50 initiatives, 141 ms) and this one as one scan (28 ms); on
    # fresh statistics this one is a seek (10 ms). FalkorDB answers both in 1.2 ms.
    return (
        f"MATCH (a:{label}) WHERE a.id IN $ids MATCH {pattern} "
        f"RETURN a.id AS key, {node('b', far)} AS node, r {{.*}} AS rel"
    )


def variants() -> Iterator[tuple[str, str]]:
    return each(NEIGHBOURS, neighbours)
