"""Upgrades that carry the data: the schema version, and ordered data migrations.

Two kinds of change reach a graph written by an earlier version of the service:
- its shape (unique keys, range and full-text indexes): declared in schema.graph_shape,
  turned into each engine's DDL by graph.dialect, applied idempotently by the adapters'
  `apply_schema`, which records SCHEMA_VERSION in `(:SchemaInfo {id: 'schema'})`;
- its data (a property renamed, a default filled in, a relation re-typed): the steps of
  graph/migrations/steps.py, after the model of neo4j-migrations.

Every door applies them when it opens the graph, before it reads anything: `pariscall
serve` (each worker's start-up calls `upgrade`) and every `pariscall` command that opens
the graph (`migrate`); `pariscall db migrate` applies them and says what it did, `pariscall
db status` lists them without applying anything. When nothing is pending this costs one
read. Otherwise:
1. the recorded steps are checked against the code: a recorded step whose checksum
   differs (its statements were edited after it ran somewhere) or that the code does not
   know (a newer version upgraded this graph) stops start-up with MigrationRefused,
   whose message names the step and what to do;
2. the schema is applied (the lock and the steps rely on its unique keys and indexes);
3. the migration lock is taken (graph/migrations/ledger.py): one process applies the
   steps while the others wait, then find them applied. Its owner renews it as it works;
   the lock of a process that died expires within a minute;
4. each pending step runs, in version order, and is recorded with its checksum, when, by
   whom, how long it took and how much it changed.

Steps are idempotent (they match only what is still in the old shape), so a step that
was interrupted, or run twice because a lock expired under a very slow step, does no harm.

Adding a step is one entry at the end of `STEPS` in graph/migrations/steps.py (see its
docstring); tests/integration/test_upgrade.py then runs it on the registry an earlier
version stored (tests/data/upgrade) on both engines, checks it changes nothing the second
time, and that every record still reads as before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from schema.graph_shape import SCHEMA_VERSION

if TYPE_CHECKING:
    from graph.store import GraphStore

RECORD_SCHEMA_VERSION = (
    "MERGE (s:SchemaInfo {id: 'schema'}) "
    "SET s.version = $version, s.applied_at = $applied_at "
    "RETURN s.version AS version"
)

# Creates the graph itself on engines that create graphs lazily (FalkorDB), before DDL.
ENSURE_SCHEMA_NODE = "MERGE (s:SchemaInfo {id: 'schema'}) RETURN s.id AS id"

READ_SCHEMA_VERSION = "MATCH (s:SchemaInfo {id: 'schema'}) RETURN s.version AS version"


def record_schema_version(store: GraphStore) -> None:
    store.write(
        RECORD_SCHEMA_VERSION,
        {"version": SCHEMA_VERSION, "applied_at": datetime.now(UTC).isoformat()},
    )


def read_schema_version(store: GraphStore) -> int | None:
    rows = store.read(READ_SCHEMA_VERSION)
    return int(rows[0]["version"]) if rows and rows[0]["version"] is not None else None
