"""Export the whole registry as plain data, and restore such data into a graph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.imports import repository as imports
from graph.registry import queries as q
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
    run: str,
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    relationships: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
    *,
    node_fields: Mapping[str, Sequence[str]],
    link_fields: Mapping[tuple[str, str, str], Sequence[str]],
    counts: Mapping[str, int],
    event: Mapping[str, Any],
) -> dict[str, int]:
    """Write validated registry data all or nothing: every node and relationship is
    staged under the run (a label nothing reads), then ONE statement publishes them
    (nodes first, properties replaced, then links) and marks the run published. A crash
    before that statement leaves only the stage, which the next import removes."""
    written: dict[str, int] = {}
    for label in REGISTRY_LABELS:
        rows = list(nodes.get(label, ()))
        written[label] = imports.stage(store, run, rows, part=label, fields=node_fields[label])
    for triple in RELATIONSHIPS:
        rows = [
            {"id": f"{r['source']}>{r['target']}", "source": r["source"], "target": r["target"]}
            | dict(r.get("props") or {})
            for r in relationships.get(triple, ())
        ]
        fields = ("id", "source", "target", *link_fields.get(triple, ()))
        written["-".join(triple)] = imports.stage(
            store, run, rows, part=q.part_of(triple), fields=fields
        )
    statement = q.publish_restore(
        {label: node_fields[label] for label in REGISTRY_LABELS if written[label]},
        {t: link_fields.get(t, ()) for t in RELATIONSHIPS if written["-".join(t)]},
    )
    params = {"run": run, "counts": dict(counts), "separator": q.SEPARATOR, "audit": dict(event)}
    store.write(statement, params)
    return written
