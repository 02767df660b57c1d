"""Statements of published crosswalks: finding their ends, and publishing them.

A published mapping is a MAPS_TO with status 'published', directed from the publisher's
source requirement to its target. It replaces a suggestion on the same pair (in either
direction); pairs a person decided are left to the person (the caller skips them, and
the statement checks again under both records' write locks, graph/cypher/locking.py,
for a decision made in between).
"""

from __future__ import annotations

from graph.cypher.locking import lock_pair

ENDS_BY_URN = (
    "UNWIND $urns AS urn MATCH (r:Recommendation {urn: urn}) RETURN r.urn AS key, r.id AS id"
)

ENDS_BY_REF = (
    "UNWIND $refs AS ref MATCH (r:Recommendation) WHERE r.ref = ref "
    "RETURN r.ref AS key, r.id AS id, r.source_id AS source_id"
)

# What is stored between each pair today, in either direction.
CURRENT = (
    "UNWIND $pairs AS pair "
    "MATCH (a:Recommendation {id: pair.a})-[r:MAPS_TO]-(b:Recommendation {id: pair.b}) "
    "RETURN a.id AS a, b.id AS b, startNode(r).id AS from_id, r {.*} AS props"
)

PUBLISH = (
    "UNWIND $rows AS row "
    "MATCH (a:Recommendation {id: row.from_id}) "
    "MATCH (b:Recommendation {id: row.to_id}) "
    + lock_pair("a", "b")
    + "WITH a, b, row OPTIONAL MATCH (b)-[back:MAPS_TO]->(a) WHERE back.status = 'candidate' "
    "DELETE back "
    "WITH DISTINCT a, b, row "
    "MERGE (a)-[r:MAPS_TO]->(b) ON CREATE SET r.status = 'published' "
    "WITH r, row WHERE r.status IN ['candidate', 'published'] "
    "SET r += row.props, r.status = 'published' "
    "RETURN count(r) AS n"
)
