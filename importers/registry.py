"""Registry files: the whole registry (or one kind) as one JSON document.

    {"format": "pariscall/registry@1", "exported_at": "...",
     "nodes": {"Initiative": [{...properties...}], ...},
     "relationships": [{"type": "MEMBER_OF", "from": "Signatory", "to": "WorkingGroup",
                        "rows": [{"source": "cigref", "target": "wg6", "props": {...}}]}]}

`pariscall export` writes it, curation decisions and provenance included; importing it
restores the same nodes and relationships (backup, restore, moving to Neo4j). Every node
is validated by its domain model (plus a few bookkeeping properties), every relationship
by its type's model, and every relationship must point at nodes of the same file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from graph.registry import repository as repo
from graph.store import GraphStore
from importers.validation import problems_from
from schema.errors import Problem, ValidationFailed
from schema.kinds import KINDS, carried

FORMAT = "pariscall/registry@1"

MODELS: dict[str, type[BaseModel]] = {kind.label: kind.model for kind in KINDS}
# Properties some nodes carry besides their model's fields: import bookkeeping.
BOOKKEEPING = {"import_sha", "import_run", "file_sha256", "imported_at", "content_sha"}


def is_registry(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return FORMAT.encode() in handle.read(4096)
    except OSError:
        return False


def export(store: GraphStore, *, labels: tuple[str, ...] = repo.REGISTRY_LABELS) -> dict[str, Any]:
    """The registry (or the given labels, and the relationships among them) as data."""
    wanted = set(labels)
    return {
        "format": FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "nodes": {label: repo.export_nodes(store, label) for label in labels},
        "relationships": [
            {"type": rel, "from": a, "to": b, "rows": repo.export_relationships(store, (a, rel, b))}
            for a, rel, b in repo.RELATIONSHIPS
            if a in wanted and b in wanted
        ],
    }


def _node(
    label: str, props: Any, where: str, file: str, problems: list[Problem]
) -> dict[str, Any] | None:
    if not isinstance(props, dict):
        problems.append(Problem("must be an object", field=where, file=file))
        return None
    model = MODELS[label]
    fields = {k: v for k, v in props.items() if k in model.model_fields}
    extra = {k: v for k, v in props.items() if k not in model.model_fields}
    unknown = sorted(k for k in extra if k not in BOOKKEEPING)
    bad = sorted(k for k in extra if k in BOOKKEEPING and not isinstance(extra[k], str | None))
    problems += [
        Problem("is not a known property", field=f"{where}.{k}", file=file) for k in unknown
    ]
    problems += [Problem("must be text", field=f"{where}.{k}", file=file) for k in bad]
    try:
        model.model_validate(fields)
    except ValidationError as exc:
        problems += problems_from(exc, file=file, prefix=where)
        return None
    # Valid: restore the values exactly as exported (re-serialising would, e.g., turn
    # "+00:00" timestamps into "Z" ones).
    return {k: v for k, v in props.items() if v is not None}


def _link(
    triple: tuple[str, str, str], row: Any, where: str, file: str, problems: list[Problem]
) -> dict[str, Any] | None:
    if not isinstance(row, dict) or not {"source", "target"} <= set(row):
        problems.append(Problem("needs source and target", field=where, file=file))
        return None
    props = row.get("props") or {}
    link = carried().get(triple)
    if link is None:
        if props:
            problems.append(
                Problem(f"{triple[1]} carries no properties", field=f"{where}.props", file=file)
            )
        return {"source": row["source"], "target": row["target"], "props": {}}
    try:
        ends = {link.start: row["source"], link.end: row["target"]}
        valid = link.model.model_validate(dict(props) | ends)
    except ValidationError as exc:
        problems += problems_from(exc, file=file, prefix=where)
        return None
    del valid  # checked; the exported values are restored as they are
    return {
        "source": row["source"],
        "target": row["target"],
        "props": {k: v for k, v in dict(props).items() if v is not None},
    }


def read(
    path: Path,
) -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[str, str, str], list[dict[str, Any]]]]:
    """Validated nodes by label and relationships by (from, type, to); all problems at once."""
    file = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed([Problem(f"not a valid JSON file: {exc}", file=file)]) from exc
    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationFailed([Problem(f"must be '{FORMAT}'", field="format", file=file)])
    nodes: dict[str, list[dict[str, Any]]] = {}
    raw_nodes = data.get("nodes") or {}
    if not isinstance(raw_nodes, Mapping):
        problems.append(Problem("must be an object of lists by label", field="nodes", file=file))
    raw_links = data.get("relationships") or []
    if not isinstance(raw_links, list):
        problems.append(Problem("must be a list", field="relationships", file=file))
        raw_links = []
    for label, items in raw_nodes.items() if isinstance(raw_nodes, Mapping) else []:
        if label not in MODELS or not isinstance(items, list):
            problems.append(
                Problem("is not a registry label with a list", field=f"nodes.{label}", file=file)
            )
            continue
        rows = [_node(label, p, f"nodes.{label}[{i}]", file, problems) for i, p in enumerate(items)]
        nodes[label] = [r for r in rows if r is not None]
    ids = {(label, row["id"]) for label, rows in nodes.items() for row in rows}
    links: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for index, group in enumerate(raw_links):
        where = f"relationships[{index}]"
        triple = (
            (group.get("from"), group.get("type"), group.get("to"))
            if isinstance(group, dict)
            else None
        )
        if triple not in repo.RELATIONSHIPS:
            problems.append(Problem("is not a registry relationship", field=where, file=file))
            continue
        a, _, b = triple
        kept = []
        for i, row in enumerate(group.get("rows") or []):
            link = _link(triple, row, f"{where}.rows[{i}]", file, problems)
            if link is None:
                continue
            for end, label in (("source", a), ("target", b)):
                if (label, link[end]) not in ids:
                    problems.append(
                        Problem(
                            f"{label} '{link[end]}' is not in this file",
                            field=f"{where}.rows[{i}].{end}",
                            file=file,
                        )
                    )
            kept.append(link)
        links[triple] = kept
    if problems:
        raise ValidationFailed(problems)
    return nodes, links


def node_fields(label: str) -> tuple[str, ...]:
    """Every property a restored node of `label` may carry."""
    return (*MODELS[label].model_fields, *sorted(BOOKKEEPING))


def link_fields(triple: tuple[str, str, str]) -> tuple[str, ...]:
    """The properties a restored relationship (from label, type, to label) may carry (its
    ends apart)."""
    link = carried().get(triple)
    if link is None:
        return ()
    return tuple(f for f in link.model.model_fields if f not in (link.start, link.end))


def write(
    store: GraphStore,
    run: str,
    nodes: Mapping[str, list[dict[str, Any]]],
    links: Mapping[tuple[str, str, str], list[dict[str, Any]]],
    *,
    counts: Mapping[str, int],
    event: Mapping[str, Any],
) -> dict[str, int]:
    """Write validated registry data (from `read`) all or nothing, under import run `run`,
    with its audit event."""
    return repo.restore(
        store,
        run,
        nodes,
        links,
        node_fields={label: node_fields(label) for label in repo.REGISTRY_LABELS},
        link_fields={t: link_fields(t) for t in repo.RELATIONSHIPS},
        counts=counts,
        event=event,
    )
