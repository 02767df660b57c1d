"""Schema version bookkeeping, shared by both adapters.

The DDL itself is engine-specific (graph.dialect); which version of the graph's shape
was last applied is stored in one (:SchemaInfo {id: 'schema'}) node.
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
