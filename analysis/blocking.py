"""Blocking: which pairs of records are worth scoring, and what the search already knows.

Comparing every pair grows with the square of the registry. Each record is compared with
its NEIGHBOURS nearest by embedding and, for initiatives, its NEIGHBOURS nearest by
glossary concepts: two texts naming the same rare concepts meet even when the encoder
puts them apart (a one-line restatement of a long text); and with the records that share
a rare recommendation or topic in the graph (graph_pairs). The neighbour search also gives
what the pair features need about the neighbourhood: how close each record is to its
neighbours in general (hubness) and where each end ranks among the other's neighbours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis import pair_features
from analysis.neighbours import nearest, pairs_of, search

NEIGHBOURS = 10
# Blocking keeps a neighbour from this cosine on (unrelated texts of the field reach 0.35;
# a one-line restatement of a long initiative can fall to 0.25).
BLOCK_FLOOR = 0.2
# ...and a concept neighbour from this similarity of the concept vectors on.
CONCEPT_FLOOR = 0.3
# Recommendations: each record's nearest in every other source, up to this many records
# (the search is exact, n² in all; a registry of recommendation sets is a few thousand).
ACROSS = 10
ACROSS_LIMIT = 20_000
# Pairs are gathered in chunks of this size: memory stays flat at 100k records.
CHUNK = 20_000

Floats = np.ndarray[Any, np.dtype[np.float32]]
Ints = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class Blocked:
    """The pairs worth scoring (low < high) and what the features need about them."""

    low: Ints
    high: Ints
    cosines: Floats  # embedding cosine of each pair
    concept_cosines: Floats  # cosine of the concept vectors (zeros without profiles)
    ranks: Floats  # the worse of the two ends' ranks among the other's neighbours
    hubs: Floats  # each record's mean cosine to its embedding neighbours
    concept_hubs: Floats  # ...and to its concept neighbours

    def features(
        self, records: pair_features.Records, positions: Ints
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The pair features of the blocked pairs at these positions."""
        return records.features(
            self.low[positions],
            self.high[positions],
            cosines=self.cosines[positions],
            concept_cosines=self.concept_cosines[positions],
            ranks=self.ranks[positions],
        )


def candidate_pairs(
    vectors: Floats,
    profiles: Sequence[pair_features.Profile],
    *,
    floor: float = BLOCK_FLOOR,
    groups: Sequence[str] | None = None,
    extra: tuple[Ints, Ints] | None = None,
) -> Blocked:
    """Each record's NEIGHBOURS nearest by embedding, and (given profiles) by concepts;
    given groups (the recommendations' sources), also its ACROSS nearest in each other
    group: a requirement's closest texts are mostly in its own framework, and those pairs
    are never compared, so without this a crosswalk's pairs rarely reach scoring.

    `extra` pairs (positions, any order) are compared too: the pairs people decided, whose
    scores the calibration is refit on (analysis/base_rate.py), and graph neighbours."""
    n = len(vectors)
    scores, found = nearest(vectors, k=NEIGHBOURS)
    hubs = _mean_neighbour(scores, found)
    low, high, _ = pairs_of(scores, found, floor=floor)
    if groups is not None and n <= ACROSS_LIMIT:
        a_low, a_high = _across(vectors, groups, floor=floor)
        keys = np.unique(np.concatenate([low * n + high, a_low * n + a_high]))
        low, high = keys // n, keys % n
    concepts = pair_features.concept_vectors(profiles) if profiles else None
    concept_hubs = np.zeros(n, dtype=np.float32)
    if concepts is not None:
        c_scores, c_found = nearest(concepts, k=NEIGHBOURS)
        concept_hubs = _mean_neighbour(c_scores, c_found)
        c_low, c_high, _ = pairs_of(c_scores, c_found, floor=CONCEPT_FLOOR)
        keys = np.unique(np.concatenate([low * n + high, c_low * n + c_high]))
        low, high = keys // n, keys % n
    if extra is not None and len(extra[0]):
        e_low = np.minimum(extra[0], extra[1]).astype(np.int64)
        e_high = np.maximum(extra[0], extra[1]).astype(np.int64)
        distinct = e_low != e_high
        keys = np.unique(np.concatenate([low * n + high, e_low[distinct] * n + e_high[distinct]]))
        low, high = keys // n, keys % n
    cosines = _rowwise_dot(vectors, low, high)
    concept_cosines = (
        _rowwise_dot(concepts, low, high)
        if concepts is not None
        else np.zeros(len(low), dtype=np.float32)
    )
    ranks = mutual_ranks(found, low, high)
    return Blocked(low, high, cosines, concept_cosines, ranks, hubs, concept_hubs)


# Graph neighbours: records linked to one rare recommendation or topic are compared, all
# pairs of them, when at most this many records share it (a link most records share says
# nothing of a duplicate, and its pairs would grow with the square of the registry).
GRAPH_GROUP = 12
GRAPH_KINDS = ("recommendation", "topic")


def graph_pairs(
    ids: Sequence[str],
    links: Mapping[str, Mapping[str, frozenset[str]]],
    *,
    kinds: Sequence[str] = GRAPH_KINDS,
    group: int = GRAPH_GROUP,
) -> tuple[Ints, Ints]:
    """Pairs (i < j, positions in `ids`) of records sharing a rare link of these kinds:
    paraphrases the encoder and the glossary both put apart (a one-line French restatement
    of a long English text) still meet when a person linked both to one recommendation."""
    members: dict[tuple[str, str], list[int]] = {}
    for n, key in enumerate(ids):
        for kind in kinds:
            for other in links.get(key, {}).get(kind, ()):
                members.setdefault((kind, other), []).append(n)
    keys: set[tuple[int, int]] = set()
    for found in members.values():
        if 2 <= len(found) <= group:
            keys.update((a, b) for x, a in enumerate(found) for b in found[x + 1 :])
    ordered = sorted(keys)
    return (
        np.asarray([a for a, _ in ordered], dtype=np.int64),
        np.asarray([b for _, b in ordered], dtype=np.int64),
    )


def _across(vectors: Floats, groups: Sequence[str], *, floor: float) -> tuple[Ints, Ints]:
    """Pairs (i < j) of each record with its ACROSS nearest in every other group."""
    labels = np.asarray(groups)
    lows, highs = [], []
    for group in np.unique(labels):
        members = np.flatnonzero(labels == group)
        others = np.flatnonzero(labels != group)
        if not len(members) or not len(others):
            continue
        scores, found = search(vectors[members], vectors[others], k=ACROSS)
        keep = (found >= 0) & (scores >= floor)
        queries = np.repeat(others, found.shape[1]).reshape(found.shape)[keep]
        hits = members[found[keep]]
        lows.append(np.minimum(queries, hits))
        highs.append(np.maximum(queries, hits))
    if not lows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(lows).astype(np.int64), np.concatenate(highs).astype(np.int64)


def _mean_neighbour(scores: Floats, found: Ints) -> Floats:
    valid = found >= 0
    counts = np.maximum(valid.sum(axis=1), 1)
    return np.asarray(np.where(valid, scores, 0.0).sum(axis=1) / counts, dtype=np.float32)


def _rowwise_dot(vectors: Floats, low: Ints, high: Ints) -> Floats:
    out = np.zeros(len(low), dtype=np.float32)
    for start in range(0, len(low), CHUNK):  # two gathered copies of every pair would not fit
        part = slice(start, start + CHUNK)
        out[part] = np.einsum("ij,ij->i", vectors[low[part]], vectors[high[part]])
    return out


def mutual_ranks(found: Ints, low: Ints, high: Ints) -> Floats:
    """The worse of each end's rank among the other's neighbours (NEIGHBOURS + 1 if absent)."""
    return np.maximum(_rank(found, low, high), _rank(found, high, low))


def _rank(found: Ints, rows: Ints, targets: Ints) -> Floats:
    """1 + the position of each target among its row's neighbours; NEIGHBOURS + 1 if absent."""
    out = np.full(len(rows), NEIGHBOURS + 1, dtype=np.float32)
    for start in range(0, len(rows), CHUNK):
        part = slice(start, start + CHUNK)
        hit = found[rows[part]] == targets[part, None]
        present = hit.any(axis=1)
        out[part] = np.where(present, hit.argmax(axis=1) + 1, NEIGHBOURS + 1)
    return out
