"""Statements of topic suggestions for recommendations that carry no topic.

A suggestion is a MAY_ADDRESS relationship from a recommendation to a topic, with its
score; accepting it turns it into the ADDRESSES link every analysis reads (and only a
suggested pair can be accepted this way). Suggestions are recomputed whole.
"""

from __future__ import annotations

from graph.cypher.locking import lock
from graph.recommendations.queries import requirement

# Requirements only: headings and examples are not counted on the heatmap, so a topic
# on them would change nothing.
_UNTAGGED = f"{requirement('r')} AND NOT (r)-[:ADDRESSES]->(:Topic)"

UNTAGGED = (
    f"MATCH (r:Recommendation) WHERE {_UNTAGGED} "
    "RETURN r.id AS id, r.title AS title, r.text AS body, r.language AS language "
    "ORDER BY id"
)

UNTAGGED_BY_SOURCE = (
    f"MATCH (r:Recommendation) WHERE {_UNTAGGED} "
    "RETURN r.source_id AS source_id, count(r) AS n ORDER BY source_id"
)

TOPICS = (
    "MATCH (t:Topic) RETURN t.id AS id, t.name_en AS name_en, t.name_fr AS name_fr, "
    "t.description AS description ORDER BY id"
)

CLEAR = "MATCH (:Recommendation)-[s:MAY_ADDRESS]->(:Topic) DELETE s"

SAVE = (
    "UNWIND $rows AS row "
    "MATCH (r:Recommendation {id: row.r}) MATCH (t:Topic {id: row.t}) "
    "MERGE (r)-[s:MAY_ADDRESS]->(t) SET s.score = row.score, s.computed_at = $now "
    "RETURN count(s) AS n"
)

SUGGESTIONS = (
    f"MATCH (r:Recommendation)-[s:MAY_ADDRESS]->(t:Topic) WHERE {_UNTAGGED} "
    "RETURN r.id AS id, r.ref AS ref, r.title AS title, r.text AS text, "
    "r.source_id AS source_id, t.id AS topic, t.name_en AS name_en, t.name_fr AS name_fr, "
    "s.score AS score ORDER BY source_id, id, score DESC"
)

# The suggestion is read under the recommendation's write lock: accepted once.
ACCEPT = (
    "UNWIND $pairs AS pair MATCH (r:Recommendation {id: pair.r}) "
    + lock("r")
    + "WITH r, pair MATCH (r)-[s:MAY_ADDRESS]->(t:Topic {id: pair.t}) "
    "MERGE (r)-[:ADDRESSES]->(t) "
    "DELETE s "
    "RETURN count(s) AS n"
)
