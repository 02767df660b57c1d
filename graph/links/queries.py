"""Relationships without properties of their own, linked and unlinked by id pairs.

The table below is the whole vocabulary: statements are built only from it. The links
users set (the settable relations of schema/kinds.py without roles) are in it under
their neighbour name, e.g. `initiative_topics`; the registry import's own are written
here.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.cypher import each
from schema.kinds import KINDS, OUT, Relation, neighbour_name


def link_name(label: str, relation: Relation) -> str:
    """The name a settable relation's link statements go by."""
    return neighbour_name(label, relation.name)


def oriented(relation: Relation, this: str, far: str) -> tuple[str, str]:
    """(from id, to id) of a link from a node `this` through `relation` to `far`."""
    return (this, far) if relation.direction is OUT else (far, this)


def _settable() -> dict[str, tuple[str, str, str]]:
    out = {}
    for kind in KINDS:
        for r in kind.relations:
            if r.settable and r.roles is None:
                ends = (kind.label, r.far) if r.direction is OUT else (r.far, kind.label)
                out[link_name(kind.label, r)] = (ends[0], r.type, ends[1])
    return out


# name -> (from label, relationship type, to label)
LINKS: dict[str, tuple[str, str, str]] = {
    "recommendation_topic": ("Recommendation", "ADDRESSES", "Topic"),
    "recommendation_source": ("Recommendation", "PART_OF", "Source"),
    "recommendation_parent": ("Recommendation", "PART_OF", "Recommendation"),
    **_settable(),
}


def merge_links(name: str) -> str:
    """Link rows of {from_id, to_id}; returns how many rows found both ends."""
    a, rel, b = LINKS[name]
    return (
        f"UNWIND $rows AS row MATCH (a:{a} {{id: row.from_id}}) MATCH (b:{b} {{id: row.to_id}}) "
        f"MERGE (a)-[r:{rel}]->(b) RETURN count(r) AS n"
    )


def delete_links(name: str) -> str:
    """Unlink rows of {from_id, to_id}; returns how many links were removed."""
    a, rel, b = LINKS[name]
    return (
        f"UNWIND $rows AS row MATCH (a:{a} {{id: row.from_id}})-[r:{rel}]->"
        f"(b:{b} {{id: row.to_id}}) DELETE r RETURN count(*) AS n"
    )


def variants() -> Iterator[tuple[str, str]]:
    return each(LINKS, merge_links, delete_links)
