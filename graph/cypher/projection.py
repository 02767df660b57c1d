"""How nodes are returned to the application: every property but the derived ones.

Embeddings (1.4 KB per initiative or recommendation) are read only by the analysis; a
map projection cannot drop keys, so they are set to null instead of travelling with
every page and lookup.
"""

from collections.abc import Collection

from schema.graph_shape import DERIVED_LABELS, DERIVED_PROPERTIES
from schema.kinds import BY_LABEL, OUT

_BLANKED = ", ".join(f"{name}: null" for name in sorted(DERIVED_PROPERTIES))


def node(variable: str, label: str | None = None, properties: Collection[str] | None = None) -> str:
    """`n {.*, embedding: null, ...}` for the variable `n`; a plain `n {.*}` when its
    label is known never to carry derived properties (each blanked key costs the
    engine and the client on every row); `n {.id, .title}` when only `properties` are
    needed (names the caller took from the kind's model, never a client's text)."""
    if properties is not None:
        return f"{variable} {{{', '.join(f'.{name}' for name in sorted(properties))}}}"
    if label is not None and label not in DERIVED_LABELS:
        return f"{variable} {{.*}}"
    return f"{variable} {{.*, {_BLANKED}}}"


def through(label: str, this: str, rel: str, far: str, *relations: str) -> str:
    """`(this)-[rel:A|B]->(far) WHERE …`: the outgoing relations of `label` named (in
    schema/kinds.py), each type only towards its own far kind, so that a second relation
    of one type towards another kind never joins in unnoticed."""
    found = [BY_LABEL[label].relation(name) for name in relations]
    if any(r.direction is not OUT for r in found):
        raise ValueError(f"{label}: {relations} must all be outgoing")
    types = "|".join(dict.fromkeys(r.type for r in found))
    ends = " OR ".join(f"(type({rel}) = '{r.type}' AND {far}:{r.far})" for r in found)
    return f"({this})-[{rel}:{types}]->({far}) WHERE {ends} "
