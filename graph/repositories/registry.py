"""Export the whole registry as plain data, and restore such data into a graph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.queries import registry as q
from graph.repositories.links import write_all_linked
from graph.store import GraphStore
from schema.graph_shape import DERIVED_PROPERTIES

REGISTRY_LABELS = q.REGISTRY_LABELS
RELATIONSHIPS = q.RELATIONSHIPS


def export_nodes(store: GraphStore, label: str) -> list[dict[str, Any]]:
    """Nodes with their stored properties, less those recomputed from the others."""
    return [
        {k: v for k, v in row["node"].items() if k not in DERIVED_PROPERTIES}
        for row in store.read(q.nodes_of(label))
    ]


def export_relationships(store: GraphStore, triple: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [
        {"source": r["source"], "target": r["target"], "props": r["props"] or {}}
        for r in store.read(q.relationships_of(triple))
    ]


def restore(
    store: GraphStore,
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    relationships: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
) -> dict[str, int]:
    """Write validated registry data: nodes first (properties replaced), then links."""
    counts: dict[str, int] = {}
    for label in REGISTRY_LABELS:
        rows = list(nodes.get(label, ()))
        counts[label] = store.write_batched(q.restore_nodes(label), rows) if rows else 0
    for triple in RELATIONSHIPS:
        rows = list(relationships.get(triple, ()))
        counts["-".join(triple)] = write_all_linked(
            store, q.restore_relationships(triple), rows, what=triple[1]
        )
    return counts
