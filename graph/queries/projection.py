"""How nodes are returned to the application: every property but the derived ones.

Embeddings (1.4 KB per initiative or recommendation) are read only by the analysis; a
map projection cannot drop keys, so they are set to null instead of travelling with
every page and lookup.
"""

from schema.graph_shape import DERIVED_LABELS, DERIVED_PROPERTIES

_BLANKED = ", ".join(f"{name}: null" for name in sorted(DERIVED_PROPERTIES))


def node(variable: str, label: str | None = None) -> str:
    """`n {.*, embedding: null, ...}` for the variable `n`; a plain `n {.*}` when its
    label is known never to carry derived properties (each blanked key costs the
    engine and the client on every row)."""
    if label is not None and label not in DERIVED_LABELS:
        return f"{variable} {{.*}}"
    return f"{variable} {{.*, {_BLANKED}}}"
