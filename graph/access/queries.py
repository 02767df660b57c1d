"""API tokens, and the facts the permission rules need about the records a change touches."""

from graph.cypher.locking import lock

CREATE_TOKEN = "CREATE (t:ApiToken) SET t = $props RETURN t.id AS id"

TOKEN_BY_HASH = "MATCH (t:ApiToken {hash: $hash}) RETURN t {.*} AS token"

TOKENS_BY_HASHES = "UNWIND $hashes AS key MATCH (t:ApiToken {hash: key}) RETURN t {.*} AS token"

TOKENS = "MATCH (t:ApiToken) RETURN t {.*} AS token ORDER BY t.created_at, t.id"

REVOKE_TOKEN = (
    "MATCH (t:ApiToken {id: $id}) " + lock("t") + "WITH t WHERE t.revoked_at IS NULL "
    "SET t.revoked_at = $at "
    "RETURN t.id AS id"
)

INITIATIVE_FACTS = (
    "UNWIND $ids AS key MATCH (i:Initiative {id: key}) "
    "OPTIONAL MATCH (w:WorkingGroup)-[:TRACKS]->(i) "
    "WITH i, collect(DISTINCT w.id) AS groups "
    "OPTIONAL MATCH (s:Signatory)-[:CONTRIBUTES_TO {role: 'lead'}]->(i) "
    "RETURN i.id AS id, groups, collect(DISTINCT s.id) AS leads"
)

RECOMMENDATION_GROUPS = (
    "UNWIND $ids AS key MATCH (r:Recommendation {id: key}) "
    "OPTIONAL MATCH (w:WorkingGroup)-[:TRACKS]->(:Initiative)-[:IMPLEMENTS]->(r) "
    "RETURN r.id AS id, collect(DISTINCT w.id) AS groups"
)
