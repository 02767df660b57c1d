"""What decisions imply for the pairs nobody decided (analysis/decided_groups.py)."""

from __future__ import annotations

import numpy as np

from analysis import decided_groups
from analysis.decided_groups import APART, TOGETHER

# Records 0..5. Confirmed: 0 = 1, 1 = 2 (one initiative: 0, 1, 2). Rejected: 0 ≠ 3.
LOW = np.array([0, 1, 0], dtype=np.int64)
HIGH = np.array([1, 2, 3], dtype=np.int64)
LABELS = [True, True, False]


def test_confirmed_pairs_join_groups_and_a_rejection_keeps_two_groups_apart() -> None:
    found = decided_groups.groups(6, LOW, HIGH, LABELS)
    assert found.together(0, 2) and found.together(2, 1)
    assert not found.together(0, 3) and not found.together(4, 5)
    assert found.separated(2, 3) == (0, 3)  # 2 is 0, and 0 is not 3
    assert found.separated(1, 3) == (0, 3)
    assert found.separated(2, 4) is None  # nobody said anything about 4
    assert found.members(1) == [0, 1, 2]
    low, high = decided_groups.pairs_within(found)
    assert sorted(zip(low.tolist(), high.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]


def test_settling_raises_joined_pairs_lowers_separated_ones_and_leaves_the_rest() -> None:
    found = decided_groups.groups(6, LOW, HIGH, LABELS)
    low = np.array([0, 2, 3, 4, 1], dtype=np.int64)
    high = np.array([2, 3, 4, 5, 3], dtype=np.int64)
    chances = np.array([0.30, 0.95, 0.70, 0.40, 0.05])
    settled, together, apart = decided_groups.settle(found, low, high, chances)
    assert settled.tolist() == [TOGETHER, APART, 0.70, 0.40, APART]
    assert together.tolist() == [0] and apart.tolist() == [1, 4]
    assert chances.tolist() == [0.30, 0.95, 0.70, 0.40, 0.05]  # the input is left alone


def test_a_group_whose_own_decisions_disagree_implies_nothing() -> None:
    # 0 = 1, 1 = 2 confirmed, but 0 ≠ 2 rejected; and 0 ≠ 3 rejected
    low = np.array([0, 1, 0, 0], dtype=np.int64)
    high = np.array([1, 2, 2, 3], dtype=np.int64)
    found = decided_groups.groups(5, low, high, [True, True, False, False])
    assert found.contested and not found.together(0, 2)
    assert found.separated(1, 3) is None
    assert decided_groups.pairs_within(found)[0].size == 0
    pairs_low = np.array([1, 2], dtype=np.int64)
    pairs_high = np.array([3, 4], dtype=np.int64)
    chances = np.array([0.8, 0.6])
    settled, together, apart = decided_groups.settle(found, pairs_low, pairs_high, chances)
    assert settled.tolist() == [0.8, 0.6] and not together.size and not apart.size
