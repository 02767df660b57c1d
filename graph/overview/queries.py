"""Statements behind the web pages and reports: counts, a group's members, initiatives
and network."""

from graph.cypher.projection import through

COUNTS = (
    "MATCH (s:Signatory) RETURN 'signatories' AS what, s.kind AS key, count(s) AS n "
    "UNION ALL MATCH (i:Initiative) RETURN 'initiatives' AS what, i.status AS key, count(i) AS n "
    "UNION ALL MATCH (r:Recommendation) WHERE r.status = 'active' "
    "RETURN 'recommendations' AS what, r.source_id AS key, count(r) AS n"
)

# The live initiatives counted by a CASE rather than a WHERE on the OPTIONAL MATCH: Neo4j
# planned that one ~4 times slower (140-250 ms against 35-60 ms at 10,000 initiatives,
# most of the home page there); FalkorDB takes the same time either way.
GROUPS = (
    "MATCH (w:WorkingGroup) OPTIONAL MATCH (w)-[:TRACKS]->(i:Initiative) "
    "RETURN w.id AS id, w.code AS code, w.name AS name, w.name_fr AS name_fr, "
    "w.status AS status, w.verified AS verified, "
    "count(CASE WHEN i.status <> 'archived' THEN 1 END) AS initiatives ORDER BY code"
)

GROUP_MEMBERS = (
    "MATCH (s:Signatory)-[m:MEMBER_OF]->(:WorkingGroup {id: $wg}) "
    "RETURN s.id AS id, s.name AS name, s.kind AS kind, s.country AS country, m.role AS role "
    "ORDER BY role, name"
)

# Every initiative of the group with what the report shows of it: no contributors (read
# for each of 1,667 initiatives at scale, and shown by none of the report's renderings).
GROUP_INITIATIVES = (
    "MATCH (:WorkingGroup {id: $wg})-[:TRACKS]->(i:Initiative) "
    "OPTIONAL MATCH (i)-[:ADDRESSES]->(t:Topic) "
    "WITH i, collect(DISTINCT t.id) AS topics "
    "OPTIONAL MATCH (i)-[:ADVANCES]->(p:Principle) "
    "WITH i, topics, collect(DISTINCT p.id) AS principles "
    "RETURN i.id AS id, i.title AS title, i.summary AS summary, i.language AS language, "
    "i.status AS status, i.version AS version, topics, principles ORDER BY title"
)

# One page of the group's initiatives (by title, then id), the page chosen before the
# topics and principles of its rows are read.
GROUP_INITIATIVES_PAGE = (
    "MATCH (:WorkingGroup {id: $wg})-[:TRACKS]->(i:Initiative) "
    "WITH i ORDER BY i.title, i.id SKIP $skip LIMIT $limit "
    "OPTIONAL MATCH (i)-[:ADDRESSES]->(t:Topic) "
    "WITH i, collect(DISTINCT t.id) AS topics "
    "OPTIONAL MATCH (i)-[:ADVANCES]->(p:Principle) "
    "WITH i, topics, collect(DISTINCT p.id) AS principles "
    "RETURN i.id AS id, i.title AS title, i.summary AS summary, i.language AS language, "
    "i.status AS status, i.version AS version, topics, principles "
    "ORDER BY title, id"
)

GROUP_INITIATIVE_COUNT = (
    "MATCH (:WorkingGroup {id: $wg})-[:TRACKS]->(i:Initiative) RETURN count(i) AS n"
)

GROUP_NETWORK = (
    "MATCH (:WorkingGroup {id: $wg})-[:TRACKS]->(i:Initiative) WHERE i.status <> 'archived' "
    "OPTIONAL MATCH (s:Signatory)-[:CONTRIBUTES_TO]->(i) "
    "WITH i, collect(DISTINCT s.name) AS contributors "
    "OPTIONAL MATCH "
    + through("Initiative", "i", "r", "x", "recommendations", "topics")
    + "RETURN i.id AS source, i.title AS source_label, i.status AS status, "
    "i.language AS language, contributors, type(r) AS type, x.id AS target, "
    "x.title AS target_title, x.ref AS target_ref, x.name_en AS name_en, "
    "x.name_fr AS name_fr, x.source_id AS target_source"
)

INITIATIVE_CARD = (
    "MATCH (i:Initiative {id: $id}) "
    "OPTIONAL MATCH (s:Signatory)-[c:CONTRIBUTES_TO]->(i) "
    "WITH i, collect(DISTINCT {id: s.id, name: s.name, role: c.role}) AS contributors "
    "OPTIONAL MATCH "
    + through("Initiative", "i", "l", "x", "recommendations", "topics", "principles")
    + "WITH i, contributors, collect(DISTINCT {id: x.id, rel: type(l), title: x.title, "
    "source: x.source_id, en: x.name_en, fr: x.name_fr}) AS links "
    "OPTIONAL MATCH (w:WorkingGroup)-[:TRACKS]->(i) "
    "RETURN i {.id, .title, .summary, .language, .status, .version, .url} AS initiative, "
    "contributors, links, "
    "collect(DISTINCT {id: w.id, code: w.code, name: w.name, name_fr: w.name_fr}) AS groups"
)

SOURCES = (
    "MATCH (s:Source) OPTIONAL MATCH (r:Recommendation {source_id: s.id}) "
    "WHERE r.status = 'active' "
    "RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.version AS version, "
    "s.year AS year, s.url AS url, s.imported_at AS imported_at, s.file_sha256 AS sha256, "
    "count(r) AS recommendations ORDER BY id"
)

TOPIC_NAMES = "MATCH (t:Topic) RETURN t.id AS id, t.name_en AS en, t.name_fr AS fr ORDER BY t.id"

NAMES = (
    "MATCH (t:Topic) RETURN 'topic' AS kind, t.id AS id, t.name_en AS en, t.name_fr AS fr "
    "UNION ALL MATCH (p:Principle) "
    "RETURN 'principle' AS kind, p.id AS id, p.name_en AS en, p.name_fr AS fr"
)
