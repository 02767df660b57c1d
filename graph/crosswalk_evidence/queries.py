"""Statements of the crosswalk inference: the evidence it reads, and what it writes back.

Evidence is every MAPS_TO a publisher or a person stated (published, confirmed) and every
one a person rejected, between active recommendations, read in one statement, with the
features (and confirmed sibling pairs) a decided pair was suggested with (what the next
refresh learns from). Suggestions carry `pair`, the key of their two sources, so that a
refresh replaces the suggestions of the source pairs it recomputed and leaves the others
as they are.
"""

from __future__ import annotations

EVIDENCE = (
    "MATCH (a:Recommendation)-[r:MAPS_TO]->(b:Recommendation) "
    "WHERE r.status IN ['published', 'confirmed', 'rejected'] "
    "AND a.status = 'active' AND b.status = 'active' "
    "RETURN a.id AS a, b.id AS b, r.status AS status, r.relation AS relation, "
    "CASE WHEN r.status = 'published' THEN null ELSE r.features END AS features, "
    "CASE WHEN r.status = 'published' THEN null ELSE r.siblings END AS siblings"
)

# What a refresh names hubs by in its explanations.
NAMES = (
    "UNWIND $ids AS key MATCH (n:Recommendation {id: key}) "
    "RETURN n.id AS id, n.ref AS ref, n.title AS title, n.source_id AS source_id"
)

SOURCE_TITLES = "MATCH (s:Source) RETURN s.id AS id, s.title AS title"

# The fingerprint of each source pair's inputs at its last refresh (a JSON object).
PAIR_STATE = "MATCH (s:AnalysisState {id: $id}) RETURN s.pairs AS pairs"

SAVE_PAIR_STATE = (
    "MERGE (s:AnalysisState {id: $id}) SET s.pairs = $pairs, s.at = $at RETURN s.id AS id"
)

# Suggestions of earlier runs in the source pairs this run recomputed (and any stored
# before suggestions carried their pair).
DROP_STALE = (
    "MATCH (:Recommendation)-[r:MAPS_TO]->(:Recommendation) "
    "WHERE r.status = 'candidate' AND (r.run IS NULL OR r.run <> $run) "
    "AND (r.pair IS NULL OR r.pair IN $pairs) "
    "DELETE r RETURN count(*) AS n"
)

# The set-based alternative measured against one read (bench/crosswalks_scale.py): the
# two-step paths of every pair of recommendations of two sources, shared hubs weighted by
# their rarity (Adamic-Adar), computed by the engine.
TWO_STEP_PATHS = (
    "MATCH (h:Recommendation)-[e:MAPS_TO]-(:Recommendation) "
    "WHERE e.status IN ['published', 'confirmed'] "
    "WITH h, count(e) AS degree "
    "MATCH (x:Recommendation)-[r1:MAPS_TO]-(h)-[r2:MAPS_TO]-(y:Recommendation) "
    "WHERE r1.status IN ['published', 'confirmed'] AND r2.status IN ['published', 'confirmed'] "
    "AND x.source_id < y.source_id AND h.source_id <> x.source_id "
    "AND h.source_id <> y.source_id "
    "RETURN x.id AS a, y.id AS b, count(h) AS hubs, sum(1.0 / log(1.0 + degree)) AS weight"
)
