"""Blocking recall at scale: what blocking finds against what comparing every pair finds.

Generates the bilingual registry of bench/duplicates_scale.py (default 10,000 initiatives,
3% French restatements of earlier ones), embeds and blocks it as the product does, then
scores every one of the n(n-1)/2 pairs with the same model, in row chunks with vectorised
features (checked equal to the product's per-pair features on the blocked pairs). Reports
the share of the pairs exhaustive comparison puts at or above the default threshold that
blocking also proposes, and the recall of both on the generated duplicates.
Usage: python -m bench.duplicates_blocking [--size 10000]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from analysis import duplicate_model, pair_features
from analysis.blocking import NEIGHBOURS, Blocked, candidate_pairs
from analysis.duplicates import compose
from analysis.encoder import Encoder
from analysis.glossary import CONCEPTS, Facet
from bench.common import machine
from bench.duplicates_scale import generate

ROWS = 200  # rows of the pair matrix scored at once (ROWS x n pairs)


class Exhaustive:
    """Every feature of pair_features.features, for a block of rows against all records."""

    def __init__(self, profiles: list[pair_features.Profile], vectors: Any, blocked: Blocked):
        n = len(profiles)
        self.vectors = vectors
        self.concepts = pair_features.concept_vectors(profiles)
        self.hubs, self.concept_hubs = blocked.hubs, blocked.concept_hubs
        keys = {key: k for k, key in enumerate(CONCEPTS)}
        self.binary = _binary([[keys[c] for c in p.concepts] for p in profiles], len(keys))
        self.facets = {
            facet: _binary([[keys[c] for c in p.facets[facet]] for p in profiles], len(keys))
            for facet in (Facet.DELIVERABLE, Facet.AUDIENCE, Facet.SCOPE)
        }
        vocabulary: dict[str, int] = {}
        word_ids = [[vocabulary.setdefault(w, len(vocabulary)) for w in p.words] for p in profiles]
        self.words = _binary(word_ids, len(vocabulary))
        self.french = np.array([p.language == "fr" for p in profiles])
        self.lengths = np.array([p.length for p in profiles], dtype=np.float64)
        scores, found = _neighbour_table(vectors)
        del scores
        ranks = sparse.lil_matrix((n, n), dtype=np.float32)
        for i in range(n):
            for position, j in enumerate(found[i]):
                if j >= 0:
                    ranks[i, j] = position + 1
        self.ranks = ranks.tocsr()
        self.ranks_t = self.ranks.T.tocsr()

    def block(self, start: int, stop: int) -> npt.NDArray[np.float64]:
        """Features of pairs (i, j) for i in [start, stop) and every j: (rows, n, features)."""
        rows = slice(start, stop)
        cosine = self.vectors[rows] @ self.vectors.T
        across = self.french[rows, None] != self.french[None, :]
        hub = (self.hubs[rows, None] + self.hubs[None, :]) / 2
        concept_cosine = self.concepts[rows] @ self.concepts.T
        concept_hub = (self.concept_hubs[rows, None] + self.concept_hubs[None, :]) / 2
        forward = self.ranks[rows].toarray()
        backward = self.ranks_t[rows].toarray()
        absent = NEIGHBOURS + 1
        rank = np.maximum(
            np.where(forward > 0, forward, absent), np.where(backward > 0, backward, absent)
        )
        shared, sizes_a, sizes_b = _overlap(self.binary, rows)
        union = sizes_a + sizes_b - shared
        smaller = np.minimum(sizes_a, sizes_b)
        conflicts = []
        for facet in (Facet.DELIVERABLE, Facet.AUDIENCE, Facet.SCOPE):
            f_shared, f_a, f_b = _overlap(self.facets[facet], rows)
            conflicts.append(((f_a > 0) & (f_b > 0) & (f_shared == 0)).astype(np.float64))
        w_shared, w_a, w_b = _overlap(self.words, rows)
        w_union = w_a + w_b - w_shared
        words = np.where(
            across,
            0.0,
            np.divide(w_shared, w_union, out=np.zeros_like(w_shared), where=w_union > 0),
        )
        lengths = np.minimum(self.lengths[rows, None], self.lengths[None, :]) / np.maximum(
            self.lengths[rows, None], self.lengths[None, :]
        )
        columns = [
            cosine,
            np.where(across, cosine, 0.0),
            cosine - hub,
            np.log(rank),
            concept_cosine,
            concept_cosine - concept_hub,
            np.divide(shared, union, out=np.zeros_like(shared), where=union > 0),
            np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0),
            *conflicts,
            words,
            across.astype(np.float64),
            lengths,
        ]
        return np.stack([np.asarray(c, dtype=np.float64) for c in columns], axis=-1)


def _binary(rows: list[list[int]], width: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.array([i for r in rows for i in r], dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), max(1, width)))


def _overlap(
    matrix: sparse.csr_matrix, rows: slice
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    shared = (matrix[rows] @ matrix.T).toarray()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    return shared, sizes[rows, None] * np.ones((1, matrix.shape[0])), sizes[None, :]


def _neighbour_table(vectors: Any) -> tuple[Any, Any]:
    from analysis.neighbours import nearest

    return nearest(vectors, k=NEIGHBOURS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    print(machine())
    items = generate(args.size)
    texts = [compose({"title": i["title"], "body": i["summary"]}) for i in items]
    began = time.perf_counter()
    vectors = Encoder().encode(texts)
    profiles = [pair_features.profile(t, i["language"]) for t, i in zip(texts, items, strict=True)]
    blocked = candidate_pairs(vectors, profiles)
    print(f"{args.size} initiatives embedded and blocked in {time.perf_counter() - began:.1f} s")
    model = duplicate_model.load()
    contexts = [blocked.context(n) for n in range(len(blocked.low))]
    pairs = list(zip(blocked.low.tolist(), blocked.high.tolist(), strict=True))
    features = pair_features.matrix(profiles, pairs, contexts)
    chances = model.probability(features)
    found_blocked = {
        p for p, c in zip(pairs, chances.tolist(), strict=True) if c >= model.threshold
    }

    exhaustive = Exhaustive(profiles, vectors, blocked)
    sample = np.random.default_rng(0).choice(len(pairs), min(2000, len(pairs)), replace=False)
    worst = 0.0
    for n in sample.tolist():  # the vectorised features are the product's features
        i, j = pairs[n]
        row = exhaustive.block(i, i + 1)[0, j]
        worst = max(worst, float(np.abs(row - features[n]).max()))
    print(
        f"vectorised features against the product's on {len(sample)} pairs: max |diff| {worst:.2e}"
    )
    found_all: set[tuple[int, int]] = set()
    began = time.perf_counter()
    for start in range(0, args.size, ROWS):
        stop = min(args.size, start + ROWS)
        block = exhaustive.block(start, stop)
        scores = model.probability(block.reshape(-1, block.shape[-1])).reshape(block.shape[:2])
        rows_at, cols_at = np.nonzero(scores >= model.threshold)
        for r, c in zip((rows_at + start).tolist(), cols_at.tolist(), strict=True):
            if r < c:
                found_all.add((r, c))
    print(f"every pair scored in {time.perf_counter() - began:.1f} s")
    kept = len(found_all & found_blocked)
    print(
        f"pairs >= {model.threshold} by exhaustive comparison: {len(found_all)}; "
        f"also proposed by blocking: {kept} ({kept / max(1, len(found_all)):.2%}); "
        f"blocking scored {len(pairs)} of {args.size * (args.size - 1) // 2} pairs"
    )
    slots: dict[tuple[int, ...], list[int]] = {}
    for n, item in enumerate(items):
        slots.setdefault(tuple(item["slots"]), []).append(n)
    truth = {(a, b) for group in slots.values() for a in group for b in group if a < b}
    reached = truth & set(pairs)
    print(
        f"generated duplicates: {len(truth)}; reached by blocking {len(reached)}; "
        f"at or above the threshold: blocked {len(truth & found_blocked)}, "
        f"exhaustive {len(truth & found_all)}"
    )


if __name__ == "__main__":
    main()
