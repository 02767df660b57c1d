"""Blocking recall at scale: what blocking finds against what comparing every pair finds.

Generates the bilingual registry of bench/duplicates_scale.py (default 10,000 initiatives,
3% French restatements of earlier ones), embeds and blocks it as the product does, then
scores every one of the n(n-1)/2 pairs with the same model and the same feature code, in
row chunks. Reports
the share of the pairs exhaustive comparison puts at or above the default threshold that
blocking also proposes, and the recall of both on the generated duplicates.
Usage: python -m bench.duplicates_blocking [--size 10000]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from analysis import duplicate_model, pair_features
from analysis.blocking import NEIGHBOURS, candidate_pairs, mutual_ranks
from analysis.duplicates import compose
from analysis.encoder import Encoder
from analysis.neighbours import nearest
from bench.common import machine
from bench.duplicates_scale import generate

ROWS = 200  # rows of the pair matrix scored at once (ROWS x n pairs)


def score_every_pair(
    records: pair_features.Records,
    vectors: Any,
    concepts: Any,
    found: Any,
    model: duplicate_model.Model,
) -> set[tuple[int, int]]:
    """Pairs (i < j) at or above the model's threshold, over all n(n-1)/2 pairs."""
    n = len(vectors)
    kept: set[tuple[int, int]] = set()
    for start in range(0, n, ROWS):
        stop = min(n, start + ROWS)
        cosines = vectors[start:stop] @ vectors.T
        concept_cosines = concepts[start:stop] @ concepts.T
        rows, cols = np.nonzero(np.arange(start, stop)[:, None] < np.arange(n)[None, :])
        low = (rows + start).astype(np.int64)
        high = cols.astype(np.int64)
        features = records.features(
            low,
            high,
            cosines=cosines[rows, cols],
            concept_cosines=concept_cosines[rows, cols],
            ranks=mutual_ranks(found, low, high),
        )
        above = model.probability(features) >= model.threshold
        kept.update(zip(low[above].tolist(), high[above].tolist(), strict=True))
    return kept


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
    records = pair_features.Records(profiles, blocked.hubs, blocked.concept_hubs)
    pairs = list(zip(blocked.low.tolist(), blocked.high.tolist(), strict=True))
    chances = model.probability(blocked.features(records, np.arange(len(pairs))))
    found_blocked = {
        p for p, c in zip(pairs, chances.tolist(), strict=True) if c >= model.threshold
    }
    began = time.perf_counter()
    _, found = nearest(vectors, k=NEIGHBOURS)
    concepts = pair_features.concept_vectors(profiles)
    found_all = score_every_pair(records, vectors, concepts, found, model)
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
