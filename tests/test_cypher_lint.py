"""Every statement sent to Neo4j passes Neo4j's own Cypher analyser with zero errors,
and statements shared by both engines avoid what FalkorDB cannot run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graph import dialect
from graph.queries import all_statements
from schema.graph_shape import FULLTEXT_INDEXES, LABELS, RELATIONSHIP_TYPES

LINT_DIR = Path(__file__).parent / "cypherlint"


def neo4j_statements() -> list[tuple[str, str]]:
    statements = list(all_statements())
    statements += [
        (f"dialect.schema[{i}]", s) for i, s in enumerate(dialect.neo4j_schema_statements())
    ]
    statements += [
        (f"dialect.fulltext[{index.name}]", dialect.fulltext_query("neo4j", index))
        for index in FULLTEXT_INDEXES
    ]
    return statements


def test_statements_are_collected() -> None:
    names = [name for name, _ in neo4j_statements()]
    assert len(names) == len(set(names))
    assert "migrations.RECORD_SCHEMA_VERSION" in names
    assert any(name.startswith("nodes.upsert[") for name in names)
    assert len(names) > 60


@pytest.mark.lint
def test_neo4j_analyser_reports_no_errors() -> None:
    node = shutil.which("node")
    installed = (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()
    if not node or not installed:
        message = "Cypher lint needs Node and `npm ci` in tests/cypherlint"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    statements = neo4j_statements()
    payload = {
        "statements": [{"name": n, "statement": s} for n, s in statements],
        "labels": list(LABELS),
        "relationshipTypes": list(RELATIONSHIP_TYPES),
    }
    done = subprocess.run(
        [node, "lint.mjs"],
        cwd=LINT_DIR,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results = json.loads(done.stdout)
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


def test_analyser_catches_a_broken_statement() -> None:
    """The lint must be able to fail: a known-bad statement yields an error."""
    node = shutil.which("node")
    if not node or not (LINT_DIR / "node_modules").is_dir():
        pytest.skip("Cypher lint needs Node and `npm ci` in tests/cypherlint")
    payload = {
        "statements": [
            {"name": "bad", "statement": "MATCH (n WHERE RETURN n"},
            {"name": "falkor-only", "statement": "RETURN vecf32($v) AS v"},
        ],
        "labels": [],
        "relationshipTypes": [],
    }
    done = subprocess.run(
        [node, "lint.mjs"],
        cwd=LINT_DIR,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout)
    assert all(any(d["severity"] == 1 for d in r["diagnostics"]) for r in results)
