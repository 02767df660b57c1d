"""Generic statements over any registry label (the label comes from schema.graph_shape)."""

from __future__ import annotations

from collections.abc import Iterator

from graph.cypher import each
from graph.cypher.projection import node
from schema.graph_shape import LABELS


def upsert(label: str) -> str:
    """Create or update nodes by id; null properties are removed."""
    _check(label)
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row RETURN count(n) AS n"


def create(label: str) -> str:
    """Create nodes; a clash on id is a constraint violation."""
    _check(label)
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row RETURN count(n) AS n"


def get_many(label: str) -> str:
    _check(label)
    # `IN $ids` rather than UNWIND: Neo4j plans it as an index seek (see neighbours.py).
    return f"MATCH (n:{label}) WHERE n.id IN $ids RETURN {node('n', label)} AS node"


def count(label: str) -> str:
    _check(label)
    return f"MATCH (n:{label}) RETURN count(n) AS n"


def _check(label: str) -> None:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")


def variants() -> Iterator[tuple[str, str]]:
    return each(LABELS, upsert, create, get_many, count)
