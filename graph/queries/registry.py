"""Statements for exporting the whole registry and restoring it.

The relationship vocabulary below is the whole set a registry file may contain; restore
statements are built only from it.
"""

from __future__ import annotations

from collections.abc import Iterator

# Labels exported and restored, in the order they are restored.
REGISTRY_LABELS: tuple[str, ...] = (
    "Principle",
    "Topic",
    "WorkingGroup",
    "Signatory",
    "Source",
    "Recommendation",
    "Initiative",
)

# (from label, type, to label) of every relationship a registry file may hold.
RELATIONSHIPS: tuple[tuple[str, str, str], ...] = (
    ("Signatory", "MEMBER_OF", "WorkingGroup"),
    ("Signatory", "CONTRIBUTES_TO", "Initiative"),
    ("WorkingGroup", "TRACKS", "Initiative"),
    ("Initiative", "IMPLEMENTS", "Recommendation"),
    ("Initiative", "ADDRESSES", "Topic"),
    ("Recommendation", "ADDRESSES", "Topic"),
    ("Initiative", "ADVANCES", "Principle"),
    ("Recommendation", "PART_OF", "Source"),
    ("Recommendation", "PART_OF", "Recommendation"),
    ("Recommendation", "MAPS_TO", "Recommendation"),
    ("Initiative", "DUPLICATE_OF", "Initiative"),
    ("Initiative", "MERGED_INTO", "Initiative"),
)


def nodes_of(label: str) -> str:
    if label not in REGISTRY_LABELS:
        raise ValueError(f"not a registry label: {label!r}")
    return f"MATCH (n:{label}) RETURN n {{.*}} AS node ORDER BY n.id"


def relationships_of(triple: tuple[str, str, str]) -> str:
    a, rel, b = _check(triple)
    return (
        f"MATCH (a:{a})-[r:{rel}]->(b:{b}) "
        "RETURN a.id AS source, b.id AS target, r {.*} AS props ORDER BY source, target"
    )


def restore_nodes(label: str) -> str:
    if label not in REGISTRY_LABELS:
        raise ValueError(f"not a registry label: {label!r}")
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row RETURN count(n) AS n"


def restore_relationships(triple: tuple[str, str, str]) -> str:
    a, rel, b = _check(triple)
    return (
        f"UNWIND $rows AS row MATCH (a:{a} {{id: row.source}}) MATCH (b:{b} {{id: row.target}}) "
        f"MERGE (a)-[r:{rel}]->(b) SET r = row.props RETURN count(r) AS n"
    )


def _check(triple: tuple[str, str, str]) -> tuple[str, str, str]:
    if triple not in RELATIONSHIPS:
        raise ValueError(f"not a registry relationship: {triple!r}")
    return triple


def variants() -> Iterator[tuple[str, str]]:
    for label in REGISTRY_LABELS:
        yield f"nodes_of[{label}]", nodes_of(label)
        yield f"restore_nodes[{label}]", restore_nodes(label)
    for triple in RELATIONSHIPS:
        name = "-".join(triple)
        yield f"relationships_of[{name}]", relationships_of(triple)
        yield f"restore_relationships[{name}]", restore_relationships(triple)
