"""Statements of the gap analysis. An initiative covers something when its status is one
of $covering; $wg, when set, keeps only the initiatives that working group tracks.

Only requirements count (graph/recommendations/queries.py): what a publisher marks as
assessable, else the lowest level of the hierarchy; never headings or examples.
"""

from graph.recommendations.queries import requirement, requirements

_COVERING = "i.status IN $covering AND ($wg IS NULL OR (:WorkingGroup {id: $wg})-[:TRACKS]->(i))"

_REQUIREMENT = requirement("r")
_REQUIREMENTS = requirements("r")
_GROUP_INITIATIVES = "(:WorkingGroup {id: $wg})-[:TRACKS]->(i:Initiative)"

# A crosswalk covers a record r when it is equal to, or a subset of, a record q an
# initiative implements. Published and confirmed pairs say so; a suggestion from
# $min_score says "probably".
_THROUGH = (
    "(m.status IN ['published', 'confirmed'] OR "
    "(m.status = 'candidate' AND m.score >= $min_score)) "
    "AND ((startNode(m).id = r.id AND m.relation IN ['equal', 'subset_of']) "
    "OR (startNode(m).id = q.id AND m.relation IN ['equal', 'superset_of']))"
)

# The requirements no covering initiative implements, one row per topic (a null topic
# when it has none).
_UNCOVERED = (
    f"{_REQUIREMENTS}"
    f"OPTIONAL MATCH (i:Initiative)-[:IMPLEMENTS]->(r) WHERE {_COVERING} "
    "WITH r, count(i) AS n WHERE n = 0 "
    "OPTIONAL MATCH (r)-[:ADDRESSES]->(t:Topic) "
)
UNCOVERED_RECOMMENDATIONS = (
    f"{_UNCOVERED}RETURN r.source_id AS source_id, t.id AS topic_id, r.id AS id "
    "ORDER BY source_id, topic_id, id"
)

# The same rows with what naming each record takes (as recommendations.NAMES): the report
# names every one it lists, and a second read of 5,000 ids took longer than this one.
UNCOVERED_RECOMMENDATIONS_NAMED = (
    f"{_UNCOVERED}OPTIONAL MATCH (r)-[:PART_OF]->(p:Recommendation) "
    "RETURN r.source_id AS source_id, t.id AS topic_id, r.id AS id, "
    "r.ref AS ref, r.title AS title, r.text AS text, p.id AS parent "
    "ORDER BY source_id, topic_id, id"
)


def _crosswalk_covered(start: str) -> str:
    return (
        f"MATCH {start}-[:IMPLEMENTS]->(q:Recommendation) WHERE i.status IN $covering "
        "WITH DISTINCT q "
        f"MATCH (q)-[m:MAPS_TO]-(r:Recommendation) WHERE {_THROUGH} "
        "RETURN r.id AS id, max(CASE WHEN m.status = 'candidate' THEN 0 ELSE 1 END) AS stated"
    )


# The records a crosswalk links to one a covering initiative implements (of the group
# $wg in the _OF_GROUP one), `stated` 1 when a published or confirmed pair says so, 0
# when only a suggestion does. Read from the implemented side, not for a list of
# uncovered ids: 5,000 ids at scale were a statement of their own, and testing each
# initiative against the group with a pattern predicate took FalkorDB ~350 ms on
# 10,000 initiatives.
CROSSWALK_COVERED = _crosswalk_covered("(i:Initiative)")
CROSSWALK_COVERED_OF_GROUP = _crosswalk_covered(_GROUP_INITIATIVES)

# Each working group's number of requirements covered, in one read for the home page:
# those a covering initiative it tracks implements, and those a crosswalk links to one
# (as _THROUGH: published, confirmed, or a suggestion from $min_score). A group's
# uncovered count is the number of requirements minus this.
COVERED_BY_GROUP = (
    "MATCH (w:WorkingGroup)-[:TRACKS]->(i:Initiative)-[:IMPLEMENTS]->(q:Recommendation) "
    "WHERE i.status IN $covering "
    "WITH DISTINCT w, q "
    f"OPTIONAL MATCH (q)-[m:MAPS_TO]-(r:Recommendation) WHERE {_THROUGH} "
    "WITH w, collect(DISTINCT q) + collect(DISTINCT r) AS covered "
    "UNWIND covered AS r "
    f"WITH w, r WHERE {_REQUIREMENT} "
    "RETURN w.id AS wg, count(DISTINCT r) AS covered"
)

# The number of requirements (the row with a null `wg`), then each group's covered
# count, in one read.
UNCOVERED_BY_GROUP = (
    f"{_REQUIREMENTS}RETURN null AS wg, count(r) AS covered UNION ALL {COVERED_BY_GROUP}"
)

# Topics and principles nobody covers: the covered ones are collected first, starting
# from the working group when there is one. Testing each topic's initiatives against
# the group with a pattern predicate took FalkorDB 340 ms on 10,000 initiatives; this
# takes 3 ms.


def _without_initiatives(label: str, rel: str, *, in_group: bool, kind: str = "") -> str:
    """`kind`: also return it as `kind`, and null `kinds` and `countries` (FIGURES)."""
    start = _GROUP_INITIATIVES if in_group else "(i:Initiative)"
    tagged = f"'{kind}' AS kind, " if kind else ""
    untagged = ", null AS kinds, null AS countries" if kind else ""
    return (
        f"OPTIONAL MATCH {start}-[:{rel}]->(c:{label}) WHERE i.status IN $covering "
        "WITH collect(DISTINCT c.id) AS covered "
        f"MATCH (x:{label}) WHERE NOT x.id IN covered "
        f"RETURN {tagged}x.id AS id{untagged} ORDER BY id"
    )


TOPICS_WITHOUT_INITIATIVES = _without_initiatives("Topic", "ADDRESSES", in_group=False)
TOPICS_WITHOUT_INITIATIVES_OF_GROUP = _without_initiatives("Topic", "ADDRESSES", in_group=True)
PRINCIPLES_WITHOUT_INITIATIVES = _without_initiatives("Principle", "ADVANCES", in_group=False)
PRINCIPLES_WITHOUT_INITIATIVES_OF_GROUP = _without_initiatives(
    "Principle", "ADVANCES", in_group=True
)

_MEMBERS = (
    "MATCH (w:WorkingGroup) WHERE $wg IS NULL OR w.id = $wg "
    "OPTIONAL MATCH (s:Signatory)-[:MEMBER_OF]->(w) RETURN "
)
_MEMBERS_RETURNED = (
    "w.id AS id, collect(s.kind) AS kinds, collect(s.country) AS countries ORDER BY id"
)
MEMBERS_BY_GROUP = _MEMBERS + _MEMBERS_RETURNED


def _figures(*, in_group: bool) -> str:
    """The topics and the principles nobody covers and the members of each group, in one
    read (a UNION ALL of the three, `kind` saying which): what a group's page and report
    show of its gaps beside the uncovered records."""
    return " UNION ALL ".join(
        [
            _without_initiatives("Topic", "ADDRESSES", in_group=in_group, kind="topic"),
            _without_initiatives("Principle", "ADVANCES", in_group=in_group, kind="principle"),
            f"{_MEMBERS}'members' AS kind, {_MEMBERS_RETURNED}",
        ]
    )


FIGURES = _figures(in_group=False)
FIGURES_OF_GROUP = _figures(in_group=True)

# What a crosswalk links, counted where it links: a link to a task covers the task, at
# whatever depth of its hierarchy. `linked` counts every linked record, `requirements`
# those that are requirements; the others (a heading a publisher mapped) join the
# pair's total.
_MAPPED = (
    "MATCH (r:Recommendation)-[m:MAPS_TO]-(b:Recommendation) "
    "WHERE m.status IN ['confirmed', 'published'] AND r.status = 'active' "
    "AND b.status = 'active' AND r.source_id <> b.source_id"
)
MAPPED_BETWEEN_SOURCES = (
    f"{_MAPPED} RETURN 'linked' AS kind, r.source_id AS source_a, b.source_id AS source_b, "
    "count(DISTINCT r) AS n "
    f"UNION ALL {_MAPPED} AND {_REQUIREMENT} "
    "RETURN 'requirements' AS kind, r.source_id AS source_a, b.source_id AS source_b, "
    "count(DISTINCT r) AS n"
)

REQUIREMENTS_BY_SOURCE = (
    f"{_REQUIREMENTS}RETURN r.source_id AS source_id, count(r) AS total ORDER BY source_id"
)

# Both in one read (the crosswalk shares): the requirements of each source as `total`
# rows (source_b null), then what MAPPED_BETWEEN_SOURCES counts.
CROSSWALK_SHARES = (
    f"{_REQUIREMENTS}RETURN 'total' AS kind, r.source_id AS source_a, null AS source_b, "
    f"count(r) AS n UNION ALL {MAPPED_BETWEEN_SOURCES}"
)

COVERAGE = (
    f"MATCH (r:Recommendation)-[:ADDRESSES]->(t:Topic) WHERE {_REQUIREMENT} "
    f"OPTIONAL MATCH (i:Initiative)-[:IMPLEMENTS]->(r) WHERE {_COVERING} "
    "RETURN t.id AS topic_id, r.source_id AS source_id, r.id AS id, "
    "collect(i.id) AS initiatives"
)

# One heatmap cell: the requirements of a source on a topic ($topic null: those
# with no topic yet), each with the covering initiatives implementing it.
CELL = (
    f"MATCH (r:Recommendation {{source_id: $source}}) WHERE {_REQUIREMENT} "
    "OPTIONAL MATCH (r)-[:ADDRESSES]->(t:Topic) "
    "WITH r, collect(t.id) AS topics "
    "WHERE ($topic IS NULL AND size(topics) = 0) OR $topic IN topics "
    f"OPTIONAL MATCH (i:Initiative)-[:IMPLEMENTS]->(r) WHERE {_COVERING} "
    "RETURN r.id AS id, r.title AS title, r.ref AS ref, "
    "collect(DISTINCT {id: i.id, title: i.title}) AS initiatives ORDER BY id"
)

TOPIC_AND_SOURCE_IDS = (
    "MATCH (t:Topic) RETURN 'topic' AS kind, t.id AS id "
    "UNION ALL MATCH (s:Source) RETURN 'source' AS kind, s.id AS id"
)
