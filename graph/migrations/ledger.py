"""What the graph records about its own upgrades: the steps applied, and the lock.

Both live under the `SchemaInfo` label, beside the schema version node, so every reader of
the registry's own data already leaves them out:
- one `(:SchemaInfo {kind: 'migration'})` node per applied step (id `migration-V`):
  version, name, description, checksum, when, by whom, how long, how much it changed;
- `(:SchemaInfo {id: 'migration-lock'})` while a process applies steps: its owner (host,
  process, a random part) and when the lock expires (milliseconds since the epoch). The
  owner renews it while it works; a process that died leaves it to expire, and the next
  one takes it over. Clocks of the hosts sharing a graph are assumed within seconds.

Taking the lock is one statement that writes to the lock node before it reads its owner
(graph/cypher/locking.py): on Neo4j a second taker waits for the first to commit and
then sees its owner; FalkorDB runs one write at a time. The unique key on
`SchemaInfo.id` (applied before any step) keeps MERGE from making two lock nodes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from graph.cypher.locking import lock
from graph.store import GraphStore

LOCK_ID = "migration-lock"

# Statements that read what may not exist yet read whole nodes as maps: naming a property
# no node has ever had makes Neo4j log a warning at every start until one has it.
SCHEMA_INFO = "MATCH (s:SchemaInfo) RETURN s {.*} AS info"

# Recorded only by the lock's owner: a process that lost the lock records nothing.
RECORD = (
    "MATCH (l:SchemaInfo {id: $lock}) WHERE l.owner = $owner "
    "MERGE (m:SchemaInfo {id: $id}) "
    "SET m.kind = 'migration', m.version = $version, m.name = $name, "
    "m.description = $description, m.checksum = $checksum, m.applied_at = $applied_at, "
    "m.applied_by = $owner, m.duration_ms = $duration_ms, m.changed = $changed "
    "RETURN m.version AS version"
)

TAKE_LOCK = (
    "MERGE (l:SchemaInfo {id: $lock}) " + lock("l") + "WITH l, l {.*} AS held "
    "WHERE held.owner IS NULL OR held.owner = $owner OR held.expires_ms < $now_ms "
    "SET l.kind = 'lock', l.owner = $owner, l.expires_ms = $expires_ms, l.taken_at = $at "
    "RETURN l.owner AS owner"
)

RENEW_LOCK = (
    "MATCH (l:SchemaInfo {id: $lock}) WHERE l.owner = $owner "
    "SET l.expires_ms = $expires_ms RETURN l.owner AS owner"
)

RELEASE_LOCK = (
    "MATCH (l:SchemaInfo {id: $lock}) WHERE l.owner = $owner DELETE l RETURN count(*) AS n"
)

LOCK_HOLDER = "MATCH (l:SchemaInfo {id: $lock}) RETURN l {.*} AS lock"


@dataclass(frozen=True)
class Record:
    """One applied step as the graph remembers it."""

    version: int
    name: str
    checksum: str
    applied_at: str
    applied_by: str
    changed: int


def applied(store: GraphStore) -> dict[int, Record]:
    """The steps this graph records as applied, by version (one read)."""
    infos = [row["info"] for row in store.read(SCHEMA_INFO)]
    return {
        int(info["version"]): Record(
            version=int(info["version"]),
            name=str(info["name"]),
            checksum=str(info["checksum"]),
            applied_at=str(info["applied_at"]),
            applied_by=str(info["applied_by"]),
            changed=int(info.get("changed") or 0),
        )
        for info in infos
        if info.get("kind") == "migration"
    }


def record(store: GraphStore, *, owner: str, **step: Any) -> bool:
    """Record an applied step (version, name, description, checksum, applied_at,
    duration_ms, changed); False when `owner` no longer holds the lock."""
    params = {"lock": LOCK_ID, "owner": owner, "id": f"migration-{step['version']}", **step}
    return bool(store.write(RECORD, params))


def _now_ms() -> int:
    return int(time.time() * 1000)


def take_lock(store: GraphStore, owner: str, *, ttl: float, at: str) -> bool:
    """Take (or renew) the lock for `ttl` seconds; False while another owner holds it."""
    now = _now_ms()
    rows = store.write(
        TAKE_LOCK,
        {"lock": LOCK_ID, "owner": owner, "now_ms": now, "expires_ms": now + int(ttl * 1000),
         "at": at},
    )  # fmt: skip
    return bool(rows)


def renew_lock(store: GraphStore, owner: str, *, ttl: float) -> bool:
    params = {"lock": LOCK_ID, "owner": owner, "expires_ms": _now_ms() + int(ttl * 1000)}
    return bool(store.write(RENEW_LOCK, params))


def release_lock(store: GraphStore, owner: str) -> None:
    store.write(RELEASE_LOCK, {"lock": LOCK_ID, "owner": owner})


def lock_holder(store: GraphStore) -> dict[str, Any] | None:
    rows = store.read(LOCK_HOLDER, {"lock": LOCK_ID})
    return dict(rows[0]["lock"]) if rows else None
