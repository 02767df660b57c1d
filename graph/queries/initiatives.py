"""Statements that curate initiatives: each use case is one atomic statement."""

from graph.queries.locking import lock
from graph.queries.projection import node

# Links of initiative `i` declared by `row` (lists of ids, and roles by signatory id);
# targets were checked to exist by the caller. Shared by create and spreadsheet upsert.
_LINKS_FROM_ROW = (
    "WITH i, row OPTIONAL MATCH (t:Topic) WHERE t.id IN row.topics "
    "WITH i, row, collect(t) AS topics FOREACH (t IN topics | MERGE (i)-[:ADDRESSES]->(t)) "
    "WITH i, row OPTIONAL MATCH (w:WorkingGroup) WHERE w.id IN row.working_groups "
    "WITH i, row, collect(w) AS groups FOREACH (w IN groups | MERGE (w)-[:TRACKS]->(i)) "
    "WITH i, row OPTIONAL MATCH (p:Principle) WHERE p.id IN row.principles "
    "WITH i, row, collect(p) AS principles "
    "FOREACH (p IN principles | MERGE (i)-[:ADVANCES]->(p)) "
    "WITH i, row OPTIONAL MATCH (r:Recommendation) WHERE r.id IN row.recommendations "
    "WITH i, row, collect(r) AS recs FOREACH (r IN recs | MERGE (i)-[:IMPLEMENTS]->(r)) "
    "WITH i, row OPTIONAL MATCH (s:Signatory) WHERE s.id IN keys(row.roles) "
    "WITH i, row, collect(s) AS people "
    "FOREACH (s IN people | MERGE (s)-[c:CONTRIBUTES_TO]->(i) SET c.role = row.roles[s.id]) "
)

# Create the node and all its links at once.
CREATE_WITH_LINKS = (
    "WITH $row AS row CREATE (i:Initiative) SET i = row.props "
    + _LINKS_FROM_ROW
    + f"RETURN {node('i')} AS node"
)

# Spreadsheet rows: create or update each initiative (its version goes up on update)
# and add the links it declares; one statement, so a file is applied whole or not at all.
UPSERT_ROWS_WITH_LINKS = (
    "UNWIND $rows AS row MERGE (i:Initiative {id: row.props.id}) "
    "ON CREATE SET i.created_at = $now, i.version = 0 "
    "SET i += row.props, i.version = i.version + 1, i.updated_at = $now "
    + _LINKS_FROM_ROW
    + "RETURN count(DISTINCT i) AS n"
)

# Stored import hashes, to tell unchanged rows from changed ones.
IMPORT_SHAS = (
    "UNWIND $ids AS key MATCH (i:Initiative {id: key}) RETURN i.id AS id, i.import_sha AS sha"
)

# Applied only if the client read the current version; nothing is written otherwise.
# The version is read under the initiative's write lock (graph/queries/locking.py).
UPDATE_IF_VERSION = (
    "MATCH (i:Initiative {id: $id}) " + lock("i") + "WITH i WHERE i.version = $version "
    "SET i += $props, i.version = i.version + 1, i.updated_at = $now "
    f"RETURN {node('i')} AS node"
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
