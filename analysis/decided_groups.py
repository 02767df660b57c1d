"""What people's decisions imply for the pairs nobody decided: the graph of verdicts.

A confirmed pair says two initiatives are one; a duplicate of a duplicate is a duplicate,
so confirmed pairs join initiatives into groups (connected components). A rejected pair
says two initiatives are not one; whatever is confirmed the same as one end is then not
the other end either, so a rejection keeps the two groups apart. After a co-chair
confirms A = B and rejects A ≠ D, the pair B-D is settled without being read: it drops to
APART, however alike its wording (the near-identical "hospital" variant of a "community
pharmacy" text that its English restatement also resembles). After A = B and B = C, the
pair A-C rises to TOGETHER, even when blocking would not have compared it.

A group whose own decisions disagree (A = B, B = C and A ≠ C) implies nothing: its pairs
keep the model's scores until people settle it. Pure: numbers in, numbers out; refresh
(duplicates.py) and the learning-curve benchmark call the same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

# The probability given to a pair the decisions join (below a person's own verdict, which
# is certain, above any threshold) and to a pair they keep apart (below the store floor:
# out of both bands, still listed with --min-score 0).
TOGETHER = 0.99
APART = 0.01
# Blocking compares every pair of a group up to this size; a larger group (a hundred
# initiatives confirmed as one) adds its pairs that blocking found anyway, not all of them.
GROUP_PAIRS_UP_TO = 100


@dataclass(frozen=True)
class Groups:
    """Records joined by confirmed pairs, and the groups rejected pairs keep apart."""

    root: Ints  # per record: its group (a record of its own is its own group)
    apart: frozenset[tuple[int, int]]  # pairs of groups (low, high) a rejection separates
    contested: frozenset[int]  # groups whose own decisions disagree: they imply nothing
    bridges: dict[tuple[int, int], tuple[int, int]]  # for `apart`: the rejected pair

    def together(self, i: int, j: int) -> bool:
        group = int(self.root[i])
        return group == int(self.root[j]) and group not in self.contested

    def separated(self, i: int, j: int) -> tuple[int, int] | None:
        """The rejected pair that keeps i and j apart, if any."""
        a, b = int(self.root[i]), int(self.root[j])
        if a == b or a in self.contested or b in self.contested:
            return None
        return self.bridges.get((min(a, b), max(a, b)))

    def members(self, i: int) -> list[int]:
        """The records of i's group, i included, in position order."""
        return [int(n) for n in np.flatnonzero(self.root == self.root[i])]


def groups(
    records: int, low: Sequence[int] | Ints, high: Sequence[int] | Ints, labels: Sequence[bool]
) -> Groups:
    """The groups of `records` records under decided pairs (positions; True: confirmed)."""
    parent = list(range(records))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, confirmed in zip(low, high, labels, strict=True):
        if confirmed:
            ra, rb = find(int(a)), find(int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    root = np.asarray([find(x) for x in range(records)], dtype=np.int64)
    apart: set[tuple[int, int]] = set()
    bridges: dict[tuple[int, int], tuple[int, int]] = {}
    contested: set[int] = set()
    for a, b, confirmed in zip(low, high, labels, strict=True):
        if confirmed:
            continue
        ra, rb = int(root[int(a)]), int(root[int(b)])
        if ra == rb:
            contested.add(ra)
            continue
        key = (min(ra, rb), max(ra, rb))
        apart.add(key)
        bridges.setdefault(key, (int(a), int(b)))
    return Groups(root, frozenset(apart), frozenset(contested), bridges)


def pairs_within(found: Groups) -> tuple[Ints, Ints]:
    """Every pair (i < j) inside an uncontested group of two or more: blocking compares
    them, so a duplicate the decisions imply is scored even when its texts are far apart."""
    lows: list[int] = []
    highs: list[int] = []
    order = np.argsort(found.root, kind="stable")
    roots = found.root[order]
    starts = np.flatnonzero(np.r_[True, roots[1:] != roots[:-1]])
    ends = np.r_[starts[1:], len(roots)]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if not 2 <= end - start <= GROUP_PAIRS_UP_TO or int(roots[start]) in found.contested:
            continue
        members = sorted(order[start:end].tolist())
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                lows.append(i)
                highs.append(j)
    return np.asarray(lows, dtype=np.int64), np.asarray(highs, dtype=np.int64)


def settle(found: Groups, low: Ints, high: Ints, chances: Floats) -> tuple[Floats, Ints, Ints]:
    """`chances` of the pairs (low[k], high[k]) with what the decisions imply: pairs of one
    group raised to TOGETHER, pairs of groups kept apart lowered to APART. Also returns
    the positions of both kinds of pair."""
    ra, rb = found.root[low], found.root[high]
    contested = np.isin(ra, list(found.contested)) | np.isin(rb, list(found.contested))
    same = (ra == rb) & ~contested  # two records of one group (a pair is never i, i)
    together = np.flatnonzero(same)
    apart = np.zeros(0, dtype=np.int64)
    if found.apart:
        n = len(found.root)
        keys = np.minimum(ra, rb) * n + np.maximum(ra, rb)
        kept = np.asarray([a * n + b for a, b in found.apart], dtype=np.int64)
        apart = np.flatnonzero(~same & ~contested & np.isin(keys, kept))
    out = np.array(chances, dtype=np.float64, copy=True)
    out[together] = np.maximum(out[together], TOGETHER)
    if len(apart):
        out[apart] = np.minimum(out[apart], APART)
    return out, together, apart
