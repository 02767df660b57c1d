"""Blocking: which pairs reach scoring (analysis/blocking.py)."""

from __future__ import annotations

import numpy as np

from analysis.blocking import NEIGHBOURS, candidate_pairs


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_records_meet_their_nearest_in_other_sources_even_when_their_own_is_crowded() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=64), rng.normal(size=64)
    # Two frameworks, each a crowd of close requirements: every record's ten nearest
    # neighbours are in its own framework, so no pair across them reaches scoring...
    crowd_a = _unit(a + 0.1 * rng.normal(size=(NEIGHBOURS * 3, 64)))
    crowd_b = _unit(b + 0.1 * rng.normal(size=(NEIGHBOURS * 3, 64)))
    vectors = np.vstack([crowd_a, crowd_b])
    groups = ["a"] * len(crowd_a) + ["b"] * len(crowd_b)
    cut = len(crowd_a)

    def across(blocked: object) -> set[tuple[int, int]]:
        pairs = zip(blocked.low.tolist(), blocked.high.tolist(), strict=True)  # type: ignore[attr-defined]
        return {(i, j) for i, j in pairs if i < cut <= j}

    within = candidate_pairs(vectors, [], floor=-1.0)
    assert across(within) == set()
    # ...unless each record also meets its nearest in the other framework.
    both = candidate_pairs(vectors, [], floor=-1.0, groups=groups)
    found = across(both)
    cosines = vectors[:cut] @ vectors[cut:].T
    best = np.unravel_index(np.argmax(cosines), cosines.shape)
    assert (int(best[0]), int(best[1]) + cut) in found
    assert len({j for _, j in found}) == len(crowd_b)  # every B record has A partners
    assert set(zip(within.low.tolist(), within.high.tolist(), strict=True)) <= set(
        zip(both.low.tolist(), both.high.tolist(), strict=True)
    )
    assert np.allclose(
        both.cosines, np.einsum("ij,ij->i", vectors[both.low], vectors[both.high]), atol=1e-5
    )


def test_records_sharing_a_rare_link_meet_whatever_their_embeddings() -> None:
    from analysis.blocking import graph_pairs

    ids = ["a", "b", "c", "d", "e"]
    common = frozenset({"supply-chain"})
    links = {
        "a": {"recommendation": frozenset({"cisa:vdp"}), "topic": common},
        "c": {"recommendation": frozenset({"cisa:vdp", "oecd:1"}), "topic": common},
        "d": {"recommendation": frozenset({"oecd:1"}), "topic": common},
        "e": {"topic": common},
    }
    low, high = graph_pairs(ids, links, group=3)
    # the topic four records share is too common to say anything; the two rare links do
    assert list(zip(low.tolist(), high.tolist(), strict=True)) == [(0, 2), (2, 3)]
    vectors = _unit(np.random.default_rng(1).normal(size=(5, 16)))
    blocked = candidate_pairs(vectors, [], floor=1.1, extra=(low, high))
    assert list(zip(blocked.low.tolist(), blocked.high.tolist(), strict=True)) == [(0, 2), (2, 3)]
    assert abs(float(blocked.cosines[0]) - float(vectors[0] @ vectors[2])) < 1e-6
