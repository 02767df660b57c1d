"""Statements that create relationships between registry nodes, batched by UNWIND."""

from __future__ import annotations

# Relationship writes fail softly on a missing endpoint (MATCH finds nothing), so each
# statement returns how many rows it linked and the caller compares with what it sent.

MERGE_MEMBERSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (s:Signatory {id: row.signatory_id}) "
    "MATCH (w:WorkingGroup {id: row.working_group_id}) "
    "MERGE (s)-[r:MEMBER_OF]->(w) SET r.role = row.role, r.since = row.since "
    "RETURN count(r) AS n"
)

MERGE_CONTRIBUTIONS = (
    "UNWIND $rows AS row "
    "MATCH (s:Signatory {id: row.signatory_id}) "
    "MATCH (i:Initiative {id: row.initiative_id}) "
    "MERGE (s)-[r:CONTRIBUTES_TO]->(i) SET r.role = row.role "
    "RETURN count(r) AS n"
)

MERGE_MAPPINGS = (
    "UNWIND $rows AS row "
    "MATCH (a:Recommendation {id: row.from_id}) "
    "MATCH (b:Recommendation {id: row.to_id}) "
    "MERGE (a)-[r:MAPS_TO]->(b) "
    "SET r.relation = row.relation, r.rationale = row.rationale, r.status = row.status, "
    "r.confidence = row.confidence, r.decided_by = row.decided_by, "
    "r.decided_at = row.decided_at, r.note = row.note "
    "RETURN count(r) AS n"
)

MERGE_DUPLICATES = (
    "UNWIND $rows AS row "
    "MATCH (a:Initiative {id: row.a_id}) "
    "MATCH (b:Initiative {id: row.b_id}) "
    "MERGE (a)-[r:DUPLICATE_OF]->(b) "
    "SET r.status = row.status, r.score = row.score, r.decided_by = row.decided_by, "
    "r.decided_at = row.decided_at, r.note = row.note "
    "RETURN count(r) AS n"
)

READ_MEMBERSHIPS = (
    "MATCH (s:Signatory)-[r:MEMBER_OF]->(w:WorkingGroup {id: $working_group_id}) "
    "RETURN s.id AS signatory_id, w.id AS working_group_id, r.role AS role, r.since AS since "
    "ORDER BY signatory_id"
)

READ_MAPPINGS_FROM = (
    "MATCH (a:Recommendation {id: $id})-[r:MAPS_TO]->(b:Recommendation) "
    "RETURN a.id AS from_id, b.id AS to_id, r {.*} AS props ORDER BY to_id"
)

READ_DUPLICATES_FROM = (
    "MATCH (a:Initiative {id: $id})-[r:DUPLICATE_OF]->(b:Initiative) "
    "RETURN a.id AS a_id, b.id AS b_id, r {.*} AS props ORDER BY b_id"
)

READ_CONTRIBUTIONS = (
    "MATCH (s:Signatory)-[r:CONTRIBUTES_TO]->(i:Initiative {id: $initiative_id}) "
    "RETURN s.id AS signatory_id, i.id AS initiative_id, r.role AS role ORDER BY signatory_id"
)

DELETE_MEMBERSHIP = (
    "MATCH (s:Signatory {id: $signatory_id})"
    "-[r:MEMBER_OF]->(w:WorkingGroup {id: $working_group_id}) DELETE r RETURN count(*) AS n"
)

DELETE_CONTRIBUTION = (
    "MATCH (s:Signatory {id: $signatory_id})"
    "-[r:CONTRIBUTES_TO]->(i:Initiative {id: $initiative_id}) DELETE r RETURN count(*) AS n"
)
