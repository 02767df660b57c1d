"""Proposals and calls for contributions.

A proposal is a node linked to the initiative it offers and the group it is addressed to
(`(:Proposal)-[:PROPOSES]->(:Initiative)`, `(:Proposal)-[:ADDRESSED_TO]->(:WorkingGroup)`,
and `-[:ANSWERS]->(:Call)` when it answers one); it also keeps those ids as properties,
which never change, so lists filter on indexed properties. Every change re-checks, in
its own statement, the state it expects, under the write lock of the node that state
belongs to (graph/cypher/locking.py): of two decisions at once, the second sees the
first and writes nothing.
"""

from __future__ import annotations

from graph.cypher.locking import lock

# One open proposal per initiative and group, and none for a group already tracking it:
# every proposal of the initiative is made under its write lock, so the proposals and
# links read after it are the committed ones.
CREATE_PROPOSAL = (
    "MATCH (i:Initiative {id: $props.initiative_id}) "
    "MATCH (w:WorkingGroup {id: $props.working_group_id}) "
    + lock("i")
    + "WITH i, w OPTIONAL MATCH (w)-[tracked:TRACKS]->(i) "
    "OPTIONAL MATCH (other:Proposal {initiative_id: i.id, working_group_id: w.id, state: 'open'}) "
    "WITH i, w, count(tracked) + count(other) AS taken WHERE taken = 0 "
    "CREATE (p:Proposal) SET p = $props "
    "CREATE (p)-[:PROPOSES]->(i) CREATE (p)-[:ADDRESSED_TO]->(w) "
    "RETURN p {.*} AS proposal"
)

# The same, answering an open call of that group (open as long as the answer is written).
CREATE_ANSWER = CREATE_PROPOSAL.replace(
    "WITH i, w, count(tracked) + count(other) AS taken WHERE taken = 0 ",
    "WITH i, w, count(tracked) + count(other) AS taken WHERE taken = 0 "
    "MATCH (c:Call {id: $props.call_id, working_group_id: w.id}) "
    + lock("c")
    + "WITH i, w, c WHERE c.state = 'open' ",
).replace(
    "CREATE (p)-[:ADDRESSED_TO]->(w) ",
    "CREATE (p)-[:ADDRESSED_TO]->(w) CREATE (p)-[:ANSWERS]->(c) ",
)

# A change of an open proposal: revising its message, withdrawing or declining it.
CHANGE_OPEN = (
    "MATCH (p:Proposal {id: $id}) " + lock("p") + "WITH p WHERE p.state = 'open' "
    "SET p += $changes, p.version = p.version + 1 "
    "RETURN p {.*} AS proposal"
)

# Accepting: the group tracks the initiative from the same statement on.
ACCEPT = (
    "MATCH (p:Proposal {id: $id}) " + lock("p") + "WITH p WHERE p.state = 'open' "
    "MATCH (i:Initiative {id: p.initiative_id}) MATCH (w:WorkingGroup {id: p.working_group_id}) "
    "MERGE (w)-[:TRACKS]->(i) "
    "SET p += $changes, p.version = p.version + 1 "
    "RETURN p {.*} AS proposal"
)

CONTRIBUTORS = "MATCH (s:Signatory)-[:CONTRIBUTES_TO]->(:Initiative {id: $id}) RETURN s.id AS id"

# What a signatory could propose: the live initiatives it leads, with the groups tracking them.
LED_BY = (
    "MATCH (:Signatory {id: $id})-[:CONTRIBUTES_TO {role: 'lead'}]->(i:Initiative) "
    "WHERE i.status <> 'archived' "
    "OPTIONAL MATCH (w:WorkingGroup)-[:TRACKS]->(i) "
    "RETURN i.id AS id, i.title AS title, collect(w.id) AS groups ORDER BY i.title, i.id"
)

PROPOSAL = "MATCH (p:Proposal {id: $id}) RETURN p {.*} AS proposal"

PROPOSAL_FACTS = (
    "MATCH (p:Proposal {id: $id}) "
    "RETURN p.initiative_id AS initiative, p.working_group_id AS group, "
    "p.proposer AS proposer, p.state AS state"
)

# Who sees which proposals: everything ($all), those addressed to the reader's groups,
# and those made for the reader's own organisation.
_PROPOSAL_WHERE = (
    "WHERE ($id IS NULL OR p.id = $id) "
    "AND ($group IS NULL OR p.working_group_id = $group) "
    "AND ($initiative IS NULL OR p.initiative_id = $initiative) "
    "AND ($state IS NULL OR p.state = $state) "
    "AND ($call IS NULL OR p.call_id = $call) "
    "AND ($proposer IS NULL OR p.proposer = $proposer) "
    "AND ($all OR p.working_group_id IN $groups OR p.proposer = $signatory) "
)

PROPOSALS = (
    "MATCH (p:Proposal) " + _PROPOSAL_WHERE + "RETURN p {.*} AS proposal "
    "ORDER BY p.created_at DESC, p.id SKIP $skip LIMIT $limit"
)

PROPOSAL_COUNT = "MATCH (p:Proposal) " + _PROPOSAL_WHERE + "RETURN count(p) AS n"

CREATE_CALL = (
    "MATCH (w:WorkingGroup {id: $props.working_group_id}) "
    "CREATE (c:Call) SET c = $props CREATE (c)-[:ISSUED_BY]->(w) "
    "RETURN c {.*} AS call"
)

# The bundled demo's calls, written again on every seed.
SAVE_CALL = (
    "MERGE (c:Call {id: $props.id}) SET c = $props "
    "WITH c MATCH (w:WorkingGroup {id: c.working_group_id}) MERGE (c)-[:ISSUED_BY]->(w) "
    "RETURN c {.*} AS call"
)

CLOSE_CALL = (
    "MATCH (c:Call {id: $id}) " + lock("c") + "WITH c WHERE c.state = 'open' "
    "SET c.state = 'closed', c.closed_at = $at RETURN c {.*} AS call"
)

CALL = "MATCH (c:Call {id: $id}) RETURN c {.*} AS call"

_CALL_WHERE = (
    "WHERE ($group IS NULL OR c.working_group_id = $group) "
    "AND ($state IS NULL OR c.state = $state) "
)

CALLS = (
    "MATCH (c:Call) " + _CALL_WHERE + "RETURN c {.*} AS call "
    "ORDER BY c.created_at DESC, c.id SKIP $skip LIMIT $limit"
)

CALL_COUNT = "MATCH (c:Call) " + _CALL_WHERE + "RETURN count(c) AS n"

# Per topic a call seeks: how many live answers (open or accepted) propose an initiative
# addressing it. A topic with none is what the call still misses.
CALL_COVERAGE = (
    "MATCH (c:Call {id: $id}) UNWIND c.topics AS topic "
    "OPTIONAL MATCH (t:Topic {id: topic})<-[:ADDRESSES]-(:Initiative)<-[:PROPOSES]-"
    "(p:Proposal {call_id: c.id}) WHERE p.state IN ['open', 'accepted'] "
    "RETURN topic, count(p) AS answers ORDER BY topic"
)

WRITES: tuple[str, ...] = (
    CREATE_PROPOSAL,
    CREATE_ANSWER,
    CHANGE_OPEN,
    ACCEPT,
    CREATE_CALL,
    CLOSE_CALL,
)
