"""NIST IR 8477 relationships composed along a path of crosswalks.

A published pair says how a source element's set relates to a target element's: `equal`,
`subset_of` (source ⊂ target), `superset_of` or `intersects_with` (pairs marked not
related are never stored, so they never carry an inference). Along a path A → H → B:
`equal ∘ r = r`, `subset ∘ subset = subset`, `superset ∘ superset = superset`, and
`subset ∘ superset`, `superset ∘ subset` or any step that only intersects give at most
`intersects_with` (the two sets may not even meet: a path is evidence, not proof).
"""

from __future__ import annotations

from collections.abc import Iterable

from schema.enums import MappingRelation

_CONVERSE = {
    MappingRelation.EQUAL: MappingRelation.EQUAL,
    MappingRelation.SUBSET_OF: MappingRelation.SUPERSET_OF,
    MappingRelation.SUPERSET_OF: MappingRelation.SUBSET_OF,
    MappingRelation.INTERSECTS_WITH: MappingRelation.INTERSECTS_WITH,
}

# How specific each relation is: a suggestion keeps the most specific one its best
# supported path allows.
SPECIFICITY = {
    MappingRelation.EQUAL: 3,
    MappingRelation.SUBSET_OF: 2,
    MappingRelation.SUPERSET_OF: 2,
    MappingRelation.INTERSECTS_WITH: 1,
}


def converse(relation: MappingRelation) -> MappingRelation:
    """The relation of b to a, given a's to b: subset and superset swap."""
    return _CONVERSE[relation]


def compose(first: MappingRelation, second: MappingRelation) -> MappingRelation:
    """The relation of a to c implied by a `first` b and b `second` c."""
    if first is MappingRelation.EQUAL:
        return second
    if second is MappingRelation.EQUAL:
        return first
    if first is second and first is not MappingRelation.INTERSECTS_WITH:
        return first
    return MappingRelation.INTERSECTS_WITH


def along(steps: Iterable[MappingRelation]) -> MappingRelation:
    """The relation a path's steps compose to, read from its first end to its last."""
    result = MappingRelation.EQUAL
    for step in steps:
        result = compose(result, step)
    return result


def is_tight(relation: MappingRelation) -> bool:
    """True when the relation says more than "the two overlap somewhere"."""
    return relation is not MappingRelation.INTERSECTS_WITH
