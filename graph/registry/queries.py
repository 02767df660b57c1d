"""Statements for exporting the whole registry and restoring it.

The relationship vocabulary below is the whole set a registry file may contain; restore
statements are built only from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from graph.imports.queries import LIST_SEPARATOR, STAGE_LABEL, batch_rows, staged_value
from schema.kinds import KINDS, triples

# Labels exported and restored, in restoring order (schema/kinds.py): targets first.
REGISTRY_LABELS: tuple[str, ...] = tuple(kind.label for kind in KINDS)

# (from label, type, to label) of every relationship a registry file may hold.
RELATIONSHIPS: tuple[tuple[str, str, str], ...] = triples()


def nodes_of(label: str) -> str:
    if label not in REGISTRY_LABELS:
        raise ValueError(f"not a registry label: {label!r}")
    return f"MATCH (n:{label}) RETURN n {{.*}} AS node ORDER BY n.id"


def relationships_of(triple: tuple[str, str, str]) -> str:
    a, rel, b = _check(triple)
    return (
        f"MATCH (a:{a})-[r:{rel}]->(b:{b}) "
        "RETURN a.id AS source, b.id AS target, r {.*} AS props ORDER BY source, target"
    )


_NAME = re.compile(r"[a-z][a-z0-9_]*")


def part_of(triple: tuple[str, str, str]) -> str:
    """The staging part holding one relationship's rows."""
    return "-".join(_check(triple))


def _value(name: str, list_fields: frozenset[str]) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a property name: {name!r}")
    return staged_value(name, list_fields)


def _rows_of(part: str) -> str:
    """One row per staged record of `part` (col, i); one null row when there is none."""
    return f"OPTIONAL MATCH (b:{STAGE_LABEL} {{stage_run: $run, part: '{part}'}}) " + batch_rows(
        "run"
    )


def publish_restore(
    node_fields: Mapping[str, Sequence[str]],
    link_fields: Mapping[tuple[str, str, str], Sequence[str]],
    list_fields: frozenset[str] = frozenset({"topics"}),
) -> str:
    """ONE statement making a staged restore visible: every node (properties replaced),
    then every relationship, then the stage removed and the run marked published. Built
    from the registry vocabulary and the models' field names, never from file content."""
    parts = [
        "MATCH (run:ImportRun {id: $run}) SET run.status = 'published', run += $counts "
        "CREATE (audit_event:AuditEvent) SET audit_event = $audit "
    ]
    parts.append("WITH run ")
    for label in REGISTRY_LABELS:
        if label not in node_fields:
            continue
        record = "{" + ", ".join(_value(f, list_fields) for f in node_fields[label]) + "}"
        parts.append(
            _rows_of(label) + f"WITH run, col, {record} AS record "
            "FOREACH (_ IN CASE WHEN col IS NULL THEN [] ELSE [1] END | "
            f"MERGE (n:{label} {{id: record.id}}) SET n = record) "
            "WITH DISTINCT run "
        )
    for triple in RELATIONSHIPS:
        if triple not in link_fields:
            continue
        a, rel, z = triple
        props = "{" + ", ".join(_value(f, list_fields) for f in link_fields[triple]) + "}"
        parts.append(
            _rows_of(part_of(triple))
            + f"WITH run, col, col.c_source[i] AS source, col.c_target[i] AS target, "
            f"{props} AS props "
            "FOREACH (_ IN CASE WHEN col IS NULL THEN [] ELSE [1] END | "
            f"MERGE (x:{a} {{id: source}}) MERGE (y:{z} {{id: target}}) "
            f"MERGE (x)-[r:{rel}]->(y) SET r = props) "
            "WITH DISTINCT run "
        )
    parts.append(
        f"OPTIONAL MATCH (b:{STAGE_LABEL} {{stage_run: $run}}) DELETE b RETURN count(*) AS n"
    )
    return "".join(parts)


SEPARATOR = LIST_SEPARATOR


def _check(triple: tuple[str, str, str]) -> tuple[str, str, str]:
    if triple not in RELATIONSHIPS:
        raise ValueError(f"not a registry relationship: {triple!r}")
    return triple


def variants() -> Iterator[tuple[str, str]]:
    for label in REGISTRY_LABELS:
        yield f"nodes_of[{label}]", nodes_of(label)
    for triple in RELATIONSHIPS:
        name = "-".join(triple)
        yield f"relationships_of[{name}]", relationships_of(triple)
    every = dict.fromkeys(REGISTRY_LABELS, ("id", "title", "topics", "version"))
    links = dict.fromkeys(RELATIONSHIPS, ("role", "score"))
    yield "publish_restore", publish_restore(every, links)
