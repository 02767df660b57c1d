"""Webhooks and their deliveries (schema.webhooks): registration, the delivery queue that
every API worker's dispatcher claims from, and the delivery log."""

from __future__ import annotations

from graph.cypher.locking import lock

CREATE_WEBHOOK = "CREATE (h:Webhook) SET h = $props RETURN h {.*} AS hook"

DISABLE_WEBHOOK = (
    "MATCH (h:Webhook {id: $id}) " + lock("h") + "WITH h WHERE h.active = true "
    "SET h.active = false, h.disabled_at = $at RETURN h {.*} AS hook"
)

WEBHOOK = "MATCH (h:Webhook {id: $id}) RETURN h {.*} AS hook"

_HOOK_WHERE = (
    "WHERE ($all OR h.working_group_id IN $groups) "
    "AND ($group IS NULL OR h.working_group_id = $group) "
)

WEBHOOKS = (
    "MATCH (h:Webhook) " + _HOOK_WHERE + "RETURN h {.*} AS hook "
    "ORDER BY h.created_at DESC, h.id SKIP $skip LIMIT $limit"
)

WEBHOOK_COUNT = "MATCH (h:Webhook) " + _HOOK_WHERE + "RETURN count(h) AS n"

# The active hooks an event may be for: its group's (or every event, for a hook with no
# group) and of a kind they listen to; each with the token that registered it, whose
# authority decides (schema.webhooks.owner_hears).
HEARING = (
    "MATCH (h:Webhook) WHERE h.active = true "
    "AND (h.working_group_id IS NULL OR h.working_group_id IN $groups) "
    "AND (h.kinds IS NULL OR size(h.kinds) = 0 OR $kind IN h.kinds) "
    "OPTIONAL MATCH (t:ApiToken {id: h.owner_token}) "
    "RETURN h {.*} AS hook, t {.*} AS owner ORDER BY h.id"
)

# One delivery per hook chosen among those; its id in the ids' alphabet (an import run's
# event id has capitals).
ENQUEUE = (
    "UNWIND $hooks AS id MATCH (h:Webhook {id: id}) WHERE h.active = true "
    "CREATE (d:Delivery) SET d = $delivery, d.id = h.id + ':' + toLower($delivery.event_id), "
    "d.webhook_id = h.id "
    "RETURN count(d) AS n"
)

# The tokens that registered these hooks.
OWNERS = (
    "UNWIND $ids AS id MATCH (h:Webhook {id: id}) "
    "OPTIONAL MATCH (t:ApiToken {id: h.owner_token}) RETURN h.id AS hook, t {.*} AS owner"
)

# Claiming due deliveries, each by one dispatcher only: the statement differs by engine
# (graph.dialect.claim_deliveries), because making it safe on Neo4j needs a re-read that
# FalkorDB gets wrong.
_DUE = (
    "MATCH (d:Delivery) WHERE d.state = 'pending' AND d.next_at <= $now "
    "WITH d ORDER BY d.next_at, d.id LIMIT $limit "
)
_TAKE = (
    "SET d.state = 'sending', d.attempts = d.attempts + 1, d.claimed_at = $now "
    "WITH d MATCH (h:Webhook {id: d.webhook_id}) "
    "RETURN d {.*} AS delivery, h {.*} AS hook"
)
# FalkorDB runs one write at a time: what is pending when the statement starts is this
# dispatcher's alone.
CLAIM_DUE_SERIAL = _DUE + _TAKE
# Neo4j runs writes concurrently: the first SET takes each delivery's lock, and the state
# read after it is the committed one, so a delivery another dispatcher took in the
# meantime is left out.
CLAIM_DUE_LOCKING = _DUE + "SET d.claim = $claim WITH d WHERE d.state = 'pending' " + _TAKE

# A worker that stopped mid-send leaves its claims behind: they go back to the queue.
# The state is read again under the delivery's lock: one sent meanwhile stays sent.
_STALE = "d.state = 'sending' AND d.claimed_at <= $stale "
RELEASE_STALE = (
    "MATCH (d:Delivery) WHERE "
    + _STALE
    + lock("d")
    + "WITH d WHERE "
    + _STALE
    + "SET d.state = 'pending' RETURN count(d) AS n"
)

NEXT_DUE = "MATCH (d:Delivery) WHERE d.state = 'pending' RETURN min(d.next_at) AS at"

RECORD_ATTEMPT = "MATCH (d:Delivery {id: $id}) SET d += $changes RETURN d.id AS id"

DELIVERIES = (
    "MATCH (d:Delivery {webhook_id: $webhook}) RETURN d {.*} AS delivery "
    "ORDER BY d.created_at DESC, d.id SKIP $skip LIMIT $limit"
)

DELIVERY_COUNT = "MATCH (d:Delivery {webhook_id: $webhook}) RETURN count(d) AS n"

WRITES: tuple[str, ...] = (CREATE_WEBHOOK, DISABLE_WEBHOOK)
