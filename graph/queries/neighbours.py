"""Neighbours of many nodes at once, for the API's DataLoaders (one statement per level).

name -> (start label, pattern from (a) to (b) binding r). The table is the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries.projection import node

NEIGHBOURS: dict[str, tuple[str, str]] = {
    "working_group_members": ("WorkingGroup", "(a)<-[r:MEMBER_OF]-(b:Signatory)"),
    "signatory_memberships": ("Signatory", "(a)-[r:MEMBER_OF]->(b:WorkingGroup)"),
    "working_group_initiatives": ("WorkingGroup", "(a)-[r:TRACKS]->(b:Initiative)"),
    "initiative_working_groups": ("Initiative", "(a)<-[r:TRACKS]-(b:WorkingGroup)"),
    "initiative_topics": ("Initiative", "(a)-[r:ADDRESSES]->(b:Topic)"),
    "topic_initiatives": ("Topic", "(a)<-[r:ADDRESSES]-(b:Initiative)"),
    "topic_recommendations": ("Topic", "(a)<-[r:ADDRESSES]-(b:Recommendation)"),
    "recommendation_topics": ("Recommendation", "(a)-[r:ADDRESSES]->(b:Topic)"),
    "initiative_principles": ("Initiative", "(a)-[r:ADVANCES]->(b:Principle)"),
    "principle_initiatives": ("Principle", "(a)<-[r:ADVANCES]-(b:Initiative)"),
    "initiative_recommendations": ("Initiative", "(a)-[r:IMPLEMENTS]->(b:Recommendation)"),
    "recommendation_initiatives": ("Recommendation", "(a)<-[r:IMPLEMENTS]-(b:Initiative)"),
    "initiative_contributors": ("Initiative", "(a)<-[r:CONTRIBUTES_TO]-(b:Signatory)"),
    "signatory_contributions": ("Signatory", "(a)-[r:CONTRIBUTES_TO]->(b:Initiative)"),
    "recommendation_source": ("Recommendation", "(a)-[r:PART_OF]->(b:Source)"),
    "source_recommendations": ("Source", "(a)<-[r:PART_OF]-(b:Recommendation)"),
    "recommendation_parent": ("Recommendation", "(a)-[r:PART_OF]->(b:Recommendation)"),
    "recommendation_children": ("Recommendation", "(a)<-[r:PART_OF]-(b:Recommendation)"),
    "mappings_from": ("Recommendation", "(a)-[r:MAPS_TO]->(b:Recommendation)"),
    "mappings_to": ("Recommendation", "(a)<-[r:MAPS_TO]-(b:Recommendation)"),
    "duplicates_of": ("Initiative", "(a)-[r:DUPLICATE_OF]->(b:Initiative)"),
    "duplicated_by": ("Initiative", "(a)<-[r:DUPLICATE_OF]-(b:Initiative)"),
}


def neighbours(name: str) -> str:
    """Rows of (key, node, rel) for every id in $ids, in no order: the caller sorts each
    key's few neighbours, cheaper than sorting every row in the engine."""
    label, pattern = NEIGHBOURS[name]
    far = pattern.rsplit(":", 1)[1].rstrip(")")
    return (
        f"UNWIND $ids AS key MATCH (a:{label} {{id: key}}) MATCH {pattern} "
        f"RETURN key, {node('b', far)} AS node, r {{.*}} AS rel"
    )


def variants() -> Iterator[tuple[str, str]]:
    for name in NEIGHBOURS:
        yield f"neighbours[{name}]", neighbours(name)
