"""Statements that curate initiatives: each use case is one atomic statement."""

# Create the node and all its links at once; the caller checked that the targets exist.
CREATE_WITH_LINKS = (
    "CREATE (i:Initiative) SET i = $props "
    "WITH i OPTIONAL MATCH (t:Topic) WHERE t.id IN $topics "
    "WITH i, collect(t) AS topics FOREACH (t IN topics | MERGE (i)-[:ADDRESSES]->(t)) "
    "WITH i OPTIONAL MATCH (w:WorkingGroup) WHERE w.id IN $working_groups "
    "WITH i, collect(w) AS groups FOREACH (w IN groups | MERGE (w)-[:TRACKS]->(i)) "
    "WITH i OPTIONAL MATCH (p:Principle) WHERE p.id IN $principles "
    "WITH i, collect(p) AS principles FOREACH (p IN principles | MERGE (i)-[:ADVANCES]->(p)) "
    "WITH i OPTIONAL MATCH (r:Recommendation) WHERE r.id IN $recommendations "
    "WITH i, collect(r) AS recs FOREACH (r IN recs | MERGE (i)-[:IMPLEMENTS]->(r)) "
    "WITH i OPTIONAL MATCH (s:Signatory) WHERE s.id IN keys($roles) "
    "WITH i, collect(s) AS people "
    "FOREACH (s IN people | MERGE (s)-[c:CONTRIBUTES_TO]->(i) SET c.role = $roles[s.id]) "
    "RETURN i {.*} AS node"
)

# Applied only if the client read the current version; nothing is written otherwise.
UPDATE_IF_VERSION = (
    "MATCH (i:Initiative {id: $id}) WHERE i.version = $version "
    "SET i += $props, i.version = i.version + 1, i.updated_at = $now "
    "RETURN i {.*} AS node"
)

VERSION_OF = "MATCH (i:Initiative {id: $id}) RETURN i.version AS version"

# Labels an initiative links to, and the parameter each one's ids travel in.
LINK_TARGETS: dict[str, str] = {
    "Topic": "topics",
    "WorkingGroup": "working_groups",
    "Principle": "principles",
    "Recommendation": "recommendations",
    "Signatory": "signatories",
}

# Which of the given ids exist, per label, in one round trip and through the id indexes.
EXISTING_TARGETS = " UNION ALL ".join(
    f"UNWIND ${param} AS key MATCH (n:{label} {{id: key}}) RETURN '{label}' AS label, n.id AS id"
    for label, param in LINK_TARGETS.items()
)
