"""Relationships without properties of their own, linked and unlinked by id pairs.

The table below is the whole vocabulary: statements are built only from it.
"""

from __future__ import annotations

from collections.abc import Iterator

# name -> (from label, relationship type, to label)
LINKS: dict[str, tuple[str, str, str]] = {
    "tracks": ("WorkingGroup", "TRACKS", "Initiative"),
    "initiative_topic": ("Initiative", "ADDRESSES", "Topic"),
    "recommendation_topic": ("Recommendation", "ADDRESSES", "Topic"),
    "advances": ("Initiative", "ADVANCES", "Principle"),
    "implements": ("Initiative", "IMPLEMENTS", "Recommendation"),
    "recommendation_source": ("Recommendation", "PART_OF", "Source"),
    "recommendation_parent": ("Recommendation", "PART_OF", "Recommendation"),
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
    for name in LINKS:
        yield f"merge_links[{name}]", merge_links(name)
        yield f"delete_links[{name}]", delete_links(name)
