"""Every statement sent to Neo4j passes Neo4j's own Cypher analyser with zero errors,
and statements shared by both engines avoid what FalkorDB cannot run."""

from __future__ import annotations

import json
import re

import pytest

from graph import dialect
from graph.backends import Backend
from graph.cypher import all_statements
from schema.graph_shape import FULLTEXT_INDEXES, LABELS, RELATIONSHIP_TYPES
from tests.processes import run_node


def neo4j_statements() -> list[tuple[str, str]]:
    statements = list(all_statements())
    statements += [
        (f"dialect.schema[{i}]", s) for i, s in enumerate(dialect.neo4j_schema_statements())
    ]
    statements += [
        (f"dialect.fulltext[{index.name}]", dialect.fulltext_query(Backend.NEO4J, index))
        for index in FULLTEXT_INDEXES
    ]
    return statements


def test_statements_are_collected() -> None:
    names = [name for name, _ in neo4j_statements()]
    assert len(names) == len(set(names))
    assert "migrations.RECORD_SCHEMA_VERSION" in names
    assert any(name.startswith("nodes.queries.upsert[") for name in names)
    assert len(names) > 60


@pytest.mark.lint
def test_neo4j_analyser_reports_no_errors() -> None:
    statements = neo4j_statements()
    payload = {
        "statements": [{"name": n, "statement": s} for n, s in statements],
        "labels": list(LABELS),
        "relationshipTypes": list(RELATIONSHIP_TYPES),
    }
    results = run_node("cypher-lint.mjs", stdin=json.dumps(payload))
    assert len(results) == len(statements)
    errors = [
        f"{r['name']}: {d['message']}"
        for r in results
        for d in r["diagnostics"]
        if d["severity"] == 1
    ]
    assert errors == []


_NOT_IN_FALKORDB = [
    (re.compile(r"EXISTS\s*\{", re.I), "EXISTS {} subquery"),
    (re.compile(r"COUNT\s*\{", re.I), "COUNT {} subquery"),
    (re.compile(r"=~"), "regular expression match"),
    (re.compile(r"elementId\s*\(", re.I), "elementId()"),
    (
        re.compile(r"\b(datetime|date|duration)\s*\(", re.I),
        "temporal functions (pass timestamps as parameters)",
    ),
]


def test_shared_statements_stay_in_the_common_subset() -> None:
    found = [
        f"{name}: {why}"
        for name, statement in all_statements()
        for pattern, why in _NOT_IN_FALKORDB
        if pattern.search(statement)
    ]
    assert found == []


@pytest.mark.lint
def test_analyser_catches_a_broken_statement() -> None:
    """The lint must be able to fail: known-bad statements yield errors."""
    payload = {
        "statements": [
            {"name": "bad", "statement": "MATCH (n WHERE RETURN n"},
            {"name": "falkor-only", "statement": "RETURN vecf32($v) AS v"},
        ],
        "labels": [],
        "relationshipTypes": [],
    }
    results = run_node("cypher-lint.mjs", stdin=json.dumps(payload))
    assert all(any(d["severity"] == 1 for d in r["diagnostics"]) for r in results)
