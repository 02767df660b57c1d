"""Path evidence between two sources: shared hubs weighted by rarity, three-step paths,
and the relation each path composes to."""

from __future__ import annotations

import math

import numpy as np

from analysis import crosswalk_features as features
from analysis import crosswalk_paths as paths
from schema.enums import MappingRelation as R
from tests.support.path_evidence import edges, records

# h:1 is a narrow hub (two pairs), h:2 a broad one (four pairs); k:1 is reached from h:1
# only: three-step paths.
ROWS = records("a:1", "a:2", "b:1", "b:2", "h:1", "h:2", "k:1")
EDGES = edges(
    "a:1 h:1 published subset_of",
    "b:1 h:1 published subset_of",
    "a:1 h:2",
    "a:2 h:2 published equal",
    "b:1 h:2 confirmed intersects_with",
    "b:2 h:2",
    "a:2 k:1 published equal",
    "k:1 h:1 published superset_of",
    "b:2 a:1 rejected equal",
)


def test_shared_hubs_count_by_their_rarity_and_three_steps_are_found() -> None:
    evidence = paths.build(ROWS, EDGES)
    a, b = evidence.members(0), evidence.members(1)  # sources sorted: a, b, h, k
    found = paths.between(evidence, a, b)
    narrow, broad = 1 / math.log(1 + 3), 1 / math.log(1 + 4)  # h:1 has 3 pairs, h:2 four
    assert np.isclose(found.two[0, 0], narrow + broad)  # a:1-b:1 share both hubs
    assert np.isclose(found.two[0, 1], broad)  # a:1-b:2 share the broad hub only
    # a:2 reaches b:1 and b:2 in two steps (through h:2): three steps are not looked for
    assert found.three.nnz == 0
    # without h:2, a:2 → k:1 → h:1 → b:1 is its only path: its two hubs' weights multiplied
    alone = paths.build(ROWS, [e for e in EDGES if e["b"] != "h:2"])
    three = paths.between(alone, alone.members(0), alone.members(1)).three
    assert np.isclose(three[1, 0], (1 / math.log(3)) * (1 / math.log(1 + 3)))
    assert three[0, 0] == 0  # a:1 has its two-step path to b:1 through h:1
    # of a:1-b:1's two-step weight, the narrow hub's path is subset ∘ superset: not tight
    assert found.tight[0, 0] == 0
    assert evidence.published_between == {frozenset((0, 2)), frozenset((1, 2)),
                                          frozenset((0, 3)), frozenset((2, 3))}  # fmt: skip
    assert frozenset(("a:1", "b:2")) in evidence.decided  # rejected: never suggested


def test_listed_paths_name_their_hubs_and_compose_their_relations() -> None:
    evidence = paths.build(ROWS, EDGES)
    listed = paths.listed(evidence, 0, 2)  # a:1 → b:1
    assert [p.hubs for p in listed] == [("h:1",), ("h:2",)]  # the rarer hub first
    assert [p.relation for p in listed] == [R.INTERSECTS_WITH, R.INTERSECTS_WITH]
    chain = paths.listed(evidence, 1, 2)  # a:2 → b:1: through k:1 then h:1, or h:2
    assert chain[0].hubs == ("h:2",)
    only_three = paths.build(ROWS, [e for e in EDGES if e["b"] != "h:2"])
    three = paths.listed(only_three, 1, 2)
    assert [p.hubs for p in three] == [("k:1", "h:1")]
    # a:2 = k:1 ⊃ h:1 ⊃ b:1 (b:1 ⊂ h:1 read backwards): superset
    assert three[0].relation is R.SUPERSET_OF


def test_candidates_are_described_with_symmetric_features() -> None:
    evidence = paths.build(ROWS, EDGES)
    vectors = np.eye(len(ROWS), 8, dtype=np.float32)
    vectors[2] = vectors[0]  # b:1 says what a:1 says
    seen = features.views(evidence, vectors, [None] * len(ROWS))
    found = features.candidates(evidence, seen, evidence.members(0), evidence.members(1))
    pairs = {
        (int(i), int(j)): row for i, j, row in zip(found.a, found.b, found.features, strict=True)
    }
    assert set(pairs) == {(0, 2), (0, 3), (1, 2), (1, 3)}
    column = {name: n for n, name in enumerate(features.FEATURES)}
    best = pairs[(0, 2)]
    assert np.isclose(best[column["context"]], 1.0)
    assert best[column["path_rank_best"]] == 0.0  # log of rank 1
    assert best[column["connected"]] == 1.0
    swapped = features.candidates(evidence, seen, evidence.members(1), evidence.members(0))
    again = {
        (int(j), int(i)): row
        for i, j, row in zip(swapped.a, swapped.b, swapped.features, strict=True)
    }
    assert all(np.allclose(pairs[k], again[k]) for k in pairs)
