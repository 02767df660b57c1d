"""Cypher statements, one module per aggregate, always with $parameters.

Statements are module-level constants, or built by small functions from fixed
vocabularies (labels, sortable fields) and never from user input; each builder module
exposes `variants()` so the linter can see every statement a builder can produce.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator


def all_statements() -> Iterator[tuple[str, str]]:
    """(name, statement) for every statement in graph/, for the Cypher lint."""
    import graph.migrations as migrations
    from graph.migrations import ledger, steps

    modules = [migrations, ledger, steps]
    for info in pkgutil.iter_modules(__path__):
        modules.append(importlib.import_module(f"{__name__}.{info.name}"))
    for module in modules:
        short = module.__name__.rsplit(".", 1)[-1]
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


def _looks_like_cypher(text: str) -> bool:
    head = text.lstrip().split(" ", 1)[0].upper()
    return head in {"MATCH", "MERGE", "CREATE", "UNWIND", "CALL", "RETURN", "WITH", "OPTIONAL"}
