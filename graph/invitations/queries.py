"""Invitations to contribute to an initiative (schema.collaboration.Invitation): nodes
keeping the initiative's and the invited organisation's ids, so no contributor link
exists until the organisation accepts, and the accepting statement makes the link. Each
write re-checks the state it expects under the write lock of what that state belongs to
(graph/cypher/locking.py)."""

from __future__ import annotations

from graph.cypher.locking import lock

# At most one pending invitation per initiative and organisation: every invitation to
# the initiative is made under its lock.
INVITE = (
    "MATCH (i:Initiative {id: $props.initiative_id}) "
    "MATCH (s:Signatory {id: $props.signatory_id}) "
    + lock("i")
    + "WITH i, s OPTIONAL MATCH (other:Invitation {initiative_id: i.id, signatory_id: s.id, "
    "state: 'pending'}) "
    "WITH count(other) AS taken WHERE taken = 0 "
    "CREATE (v:Invitation) SET v = $props RETURN v {.*} AS invitation"
)

# Accepting makes the organisation a contributor, in the role it was invited to.
ACCEPT = (
    "MATCH (v:Invitation {id: $id}) " + lock("v") + "WITH v WHERE v.state = 'pending' "
    "MATCH (s:Signatory {id: v.signatory_id}) MATCH (i:Initiative {id: v.initiative_id}) "
    "MERGE (s)-[c:CONTRIBUTES_TO]->(i) "
    "SET c.role = v.role, v.state = 'accepted', v.decided_at = $at "
    "RETURN v {.*} AS invitation"
)

# Declined by the organisation, or cancelled by the initiative's side.
CLOSE = (
    "MATCH (v:Invitation {id: $id}) " + lock("v") + "WITH v WHERE v.state = 'pending' "
    "SET v.state = $state, v.decided_at = $at RETURN v {.*} AS invitation"
)

INVITATION = "MATCH (v:Invitation {id: $id}) RETURN v {.*} AS invitation"

PENDING = (
    "MATCH (v:Invitation {initiative_id: $initiative, signatory_id: $signatory, "
    "state: 'pending'}) RETURN v {.*} AS invitation"
)

INVITATIONS = (
    "MATCH (v:Invitation) "
    "WHERE ($initiative IS NULL OR v.initiative_id = $initiative) "
    "AND ($signatory IS NULL OR v.signatory_id = $signatory) "
    "AND ($state IS NULL OR v.state = $state) "
    "RETURN v {.*} AS invitation ORDER BY v.created_at DESC, v.id LIMIT $limit"
)

CONTRIBUTOR_ROLE = (
    "MATCH (:Signatory {id: $signatory})-[c:CONTRIBUTES_TO]->(:Initiative {id: $initiative}) "
    "RETURN c.role AS role"
)

WRITES: tuple[str, ...] = (INVITE, ACCEPT, CLOSE)
