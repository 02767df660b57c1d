"""NIST IR 8477 relations composed along a path of crosswalks."""

from __future__ import annotations

import pytest

from schema.crosswalk_relations import along, compose, converse
from schema.enums import MappingRelation as R


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (R.EQUAL, R.EQUAL, R.EQUAL),
        (R.EQUAL, R.SUBSET_OF, R.SUBSET_OF),
        (R.SUPERSET_OF, R.EQUAL, R.SUPERSET_OF),
        (R.SUBSET_OF, R.SUBSET_OF, R.SUBSET_OF),
        (R.SUPERSET_OF, R.SUPERSET_OF, R.SUPERSET_OF),
        (R.SUBSET_OF, R.SUPERSET_OF, R.INTERSECTS_WITH),
        (R.SUPERSET_OF, R.SUBSET_OF, R.INTERSECTS_WITH),
        (R.INTERSECTS_WITH, R.EQUAL, R.INTERSECTS_WITH),
        (R.SUBSET_OF, R.INTERSECTS_WITH, R.INTERSECTS_WITH),
        (R.INTERSECTS_WITH, R.INTERSECTS_WITH, R.INTERSECTS_WITH),
    ],
)
def test_two_steps_compose_as_sets_do(first: R, second: R, expected: R) -> None:
    assert compose(first, second) is expected


def test_a_path_composes_from_its_first_end_and_reverses_by_its_converse() -> None:
    assert along([R.SUBSET_OF, R.EQUAL, R.SUBSET_OF]) is R.SUBSET_OF
    assert along([R.EQUAL, R.SUBSET_OF, R.SUPERSET_OF]) is R.INTERSECTS_WITH
    assert along([]) is R.EQUAL
    # read the other way round, each step and the result swap subset and superset
    steps = [R.SUBSET_OF, R.EQUAL, R.SUBSET_OF]
    back = [converse(s) for s in reversed(steps)]
    assert along(back) is converse(along(steps)) is R.SUPERSET_OF
