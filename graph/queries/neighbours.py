"""Neighbours of many nodes at once, for the API's DataLoaders (one statement per level).

name -> (start label, pattern from (a) to (b) binding r, label of b). The table is the
vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries.projection import node

NEIGHBOURS: dict[str, tuple[str, str, str]] = {
    "working_group_members": ("WorkingGroup", "(a)<-[r:MEMBER_OF]-(b:Signatory)", "Signatory"),
    "signatory_memberships": ("Signatory", "(a)-[r:MEMBER_OF]->(b:WorkingGroup)", "WorkingGroup"),
    "working_group_initiatives": ("WorkingGroup", "(a)-[r:TRACKS]->(b:Initiative)", "Initiative"),
    "initiative_working_groups": ("Initiative", "(a)<-[r:TRACKS]-(b:WorkingGroup)", "WorkingGroup"),
    "initiative_topics": ("Initiative", "(a)-[r:ADDRESSES]->(b:Topic)", "Topic"),
    "topic_initiatives": ("Topic", "(a)<-[r:ADDRESSES]-(b:Initiative)", "Initiative"),
    "topic_recommendations": ("Topic", "(a)<-[r:ADDRESSES]-(b:Recommendation)", "Recommendation"),
    "recommendation_topics": ("Recommendation", "(a)-[r:ADDRESSES]->(b:Topic)", "Topic"),
    "initiative_principles": ("Initiative", "(a)-[r:ADVANCES]->(b:Principle)", "Principle"),
    "principle_initiatives": ("Principle", "(a)<-[r:ADVANCES]-(b:Initiative)", "Initiative"),
    "initiative_recommendations": (
        "Initiative",
        "(a)-[r:IMPLEMENTS]->(b:Recommendation)",
        "Recommendation",
    ),
    "recommendation_initiatives": (
        "Recommendation",
        "(a)<-[r:IMPLEMENTS]-(b:Initiative)",
        "Initiative",
    ),
    "initiative_contributors": ("Initiative", "(a)<-[r:CONTRIBUTES_TO]-(b:Signatory)", "Signatory"),
    "signatory_contributions": (
        "Signatory",
        "(a)-[r:CONTRIBUTES_TO]->(b:Initiative)",
        "Initiative",
    ),
    "recommendation_source": ("Recommendation", "(a)-[r:PART_OF]->(b:Source)", "Source"),
    "source_recommendations": ("Source", "(a)<-[r:PART_OF]-(b:Recommendation)", "Recommendation"),
    "recommendation_parent": (
        "Recommendation",
        "(a)-[r:PART_OF]->(b:Recommendation)",
        "Recommendation",
    ),
    "recommendation_children": (
        "Recommendation",
        "(a)<-[r:PART_OF]-(b:Recommendation)",
        "Recommendation",
    ),
    "mappings_from": ("Recommendation", "(a)-[r:MAPS_TO]->(b:Recommendation)", "Recommendation"),
    "mappings_to": ("Recommendation", "(a)<-[r:MAPS_TO]-(b:Recommendation)", "Recommendation"),
    "duplicates_of": ("Initiative", "(a)-[r:DUPLICATE_OF]->(b:Initiative)", "Initiative"),
    "duplicated_by": ("Initiative", "(a)<-[r:DUPLICATE_OF]-(b:Initiative)", "Initiative"),
}


def neighbours(name: str) -> str:
    """Rows of (key, node, rel) for every id in $ids, in no order: the caller sorts each
    key's few neighbours, cheaper than sorting every row in the engine."""
    label, pattern, far = NEIGHBOURS[name]
    return (
        f"UNWIND $ids AS key MATCH (a:{label} {{id: key}}) MATCH {pattern} "
        f"RETURN key, {node('b', far)} AS node, r {{.*}} AS rel"
    )


def variants() -> Iterator[tuple[str, str]]:
    for name in NEIGHBOURS:
        yield f"neighbours[{name}]", neighbours(name)
