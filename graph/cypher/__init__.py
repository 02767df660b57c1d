"""Cypher fragments shared by the aggregates (locking, projections), and the list of
every statement in graph/ for the lint.

Each aggregate of graph/ keeps its statements in its own `queries` module, always with
$parameters. Statements are module-level constants, or built by small functions from fixed
vocabularies (labels, sortable fields) and never from user input; each builder module
exposes `variants()` so the linter can see every statement a builder can produce.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator


def all_statements() -> Iterator[tuple[str, str]]:
    """(name, statement) for every statement in graph/, for the Cypher lint."""
    import graph

    # The aggregates' packages, the shared fragments and the migrations; the modules at
    # the top of graph/ are the engines' plumbing and hold no statement.
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(graph.__path__, "graph.")
        if info.name.count(".") >= 2 or info.name == "graph.migrations"
    ]
    for module in modules:
        short = module.__name__.removeprefix("graph.")
        for name, value in vars(module).items():
            # Private names (leading underscore) are fragments, linted inside the statements
            # built from them.
            if (
                name.isupper()
                and not name.startswith("_")
                and isinstance(value, str)
                and _looks_like_cypher(value)
            ):
                yield f"{short}.{name}", value
        variants = getattr(module, "variants", None)
        if callable(variants):
            for name, value in variants():
                yield f"{short}.{name}", value


def each(keys: Iterable[str], *builders: Callable[[str], str]) -> Iterator[tuple[str, str]]:
    """`builder[key]` and its statement for every key of a builder's table and every
    builder given: what most modules' `variants()` yield."""
    for key in keys:
        for build in builders:
            yield f"{build.__name__}[{key}]", build(key)


def _looks_like_cypher(text: str) -> bool:
    head = text.lstrip().split(" ", 1)[0].upper()
    return head in {"MATCH", "MERGE", "CREATE", "UNWIND", "CALL", "RETURN", "WITH", "OPTIONAL"}
