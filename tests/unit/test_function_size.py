"""No production function over 80 lines: a function that long does several jobs, and
the five that did (the pages' router, the cost rule, create_app, the duplicate refresh,
the Markdown report) each became named steps."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "graph", "schema", "importers", "analysis")
LONGEST = 80


def _long_functions(source: str, where: str) -> list[str]:
    return [
        f"{where}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST
    ]


def test_no_production_function_is_over_80_lines() -> None:
    found = [
        hit
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for hit in _long_functions(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_the_count_sees_a_long_function() -> None:
    body = "def f():\n" + "    x = 1\n" * 85
    assert _long_functions(body, "m.py") == ["m.py:1 f (86 lines)"]
