"""Word-alignment features (bench/word_alignment.py) beside the shipped features, held out
by batch (issue 28). An experiment: the features are not in the product.

Each development batch (the calibration set, held-out batches 1-6 and, with --contrasts,
the training batch of contrasts) is blocked alone, as a registry of its own, and its pairs
get the product's features (pair_features) plus two kinds of extra columns: the word
alignment (bench/word_alignment.py) and the ablation lifts (how much the text cosine rises
when one word of a side is taken out and the text embedded again). Variants: base (the
shipped features, refit), align, lift, both.

Leave-one-batch-out: each of batches 1-6, and the calibration set, is scored by a model
fitted on every other batch. Its thresholds are chosen on out-of-fold scores of its own
training batches only (one inner fold per batch, the calibration set cut in five): the
shipped rule (calibrate_duplicates.best_threshold, precision 0.92) and the highest
threshold keeping recall RECALL_FLOOR. No pair is scored by a model or a threshold that saw
it. AP and "P@R>=.85" are read on the scored batch itself (ranking measures). All variants
run on the same pairs in the same run. Batches 7 and 8 are never read.

Usage: python -m bench.align_experiment [--contrasts] [--phrases] [--errors]
       [--word-cache FILE]
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis import duplicate_model, pair_features
from analysis.blocking import Blocked as BlockedPairs
from analysis.blocking import candidate_pairs, graph_pairs
from analysis.duplicates import compose
from analysis.encoder import Encoder
from bench import word_alignment as alignment
from bench.calibrate_duplicates import _folds, _pairing_of, best_threshold, fit
from bench.common import machine
from tests import labelled

Floats = npt.NDArray[np.float64]
DEV = {
    "h1": labelled.HOLDOUT,
    "h2": labelled.HOLDOUT_2,
    "h3": labelled.HOLDOUT_3,
    "h4": labelled.HOLDOUT_4,
    "h5": labelled.HOLDOUT_5,
    "h6": labelled.HOLDOUT_6,
}
CAL_FOLDS = 5
EMPTY = {"tp": 0, "fp": 0, "fn": 0}
UNITS = {"phrase": False}  # --phrases: align two-word phrases instead of words


@dataclass
class Batch:
    name: str
    ids: list[str]
    languages: list[str]
    low: npt.NDArray[np.int64]
    high: npt.NDArray[np.int64]
    base: Floats
    align: Floats
    labels: npt.NDArray[np.bool_]
    truth: set[frozenset[int]]
    inner: npt.NDArray[np.int64]  # inner fold of each pair (the calibration set is cut)
    fold_of: list[int]

    def pairing(self, n: int) -> str:
        return _pairing_of(self.languages[self.low[n]], self.languages[self.high[n]])


@dataclass(frozen=True)
class Blocked:
    """One batch blocked alone as a registry of its own, with the shipped features of its
    pairs: what every experiment here starts from before adding its own columns."""

    ids: list[str]
    languages: list[str]
    texts: list[str]
    vectors: npt.NDArray[np.float32]
    pairs: BlockedPairs
    base: Floats
    index: dict[str, int]
    truth: set[frozenset[int]]

    def batch(self, name: str, extra: Floats) -> Batch:
        """The batch, with `extra` columns beside the shipped features."""
        low, high = self.pairs.low, self.pairs.high
        labels = np.array(
            [frozenset(p) in self.truth for p in zip(low.tolist(), high.tolist(), strict=True)],
            dtype=bool,
        )
        fold_of = _folds(self.ids, self.truth, CAL_FOLDS) if name == "cal" else [0] * len(self.ids)
        inner = np.array([fold_of[int(a)] for a in low], dtype=np.int64)
        return Batch(
            name, self.ids, self.languages, low, high, self.base, extra, labels, self.truth,
            inner, fold_of,
        )  # fmt: skip


def blocked(data: dict[str, Any], encoder: Encoder) -> Blocked:
    """Compose, encode, block and describe a labelled batch with the product's functions."""
    items = data["initiatives"]
    ids = [i["id"] for i in items]
    languages = [i["language"] for i in items]
    texts = [compose({"title": i["title"], "body": i["summary"]}) for i in items]
    vectors = encoder.encode(texts)
    profiles = [pair_features.profile(t, lang) for t, lang in zip(texts, languages, strict=True)]
    links = {
        i["id"]: {
            "topic": frozenset(i.get("topics") or []),
            "recommendation": frozenset(i.get("recommendations") or []),
        }
        for i in items
    }
    pairs = candidate_pairs(vectors, profiles, extra=graph_pairs(ids, links))
    records = pair_features.Records(profiles, pairs.hubs, pairs.concept_hubs)
    base = pairs.features(records, np.arange(len(pairs.low), dtype=np.int64))
    index = {k: n for n, k in enumerate(ids)}
    truth = {frozenset((index[a], index[b])) for a, b in data["duplicates"]}
    return Blocked(ids, languages, texts, vectors, pairs, base, index, truth)


def load(name: str, data: dict[str, Any], encoder: Encoder) -> Batch:
    found = blocked(data, encoder)
    texts, languages, pairs = found.texts, found.languages, found.pairs
    words = [alignment.tokens(t, lang) for t, lang in zip(texts, languages, strict=True)]
    units = alignment.phrases if UNITS["phrase"] else alignment.tokens
    spans = [units(t, lang) for t, lang in zip(texts, languages, strict=True)]
    align = alignment.Alignments(spans, languages, encoder).features(
        pairs.low, pairs.high, pairs.cosines
    )
    lift = lift_features(texts, words, found.vectors, pairs.low, pairs.high, encoder)
    lift[:, 3] = lift[:, 2] * (1.0 - found.base[:, pair_features.FEATURES.index("across")])
    return found.batch(name, np.hstack([align, lift]))


LIFT = ("lift_max", "lift_min", "lift_sum", "lift_sum_same")
VARIANTS = {
    "base": [],
    "align": list(range(len(alignment.FEATURES))),
    "lift": [len(alignment.FEATURES) + k for k in range(len(LIFT))],
    "both": list(range(len(alignment.FEATURES) + len(LIFT))),
}
NAMES = list(alignment.FEATURES) + list(LIFT)
ABLATED: dict[str, npt.NDArray[Any]] = {}  # per text: one embedding per word taken out


def lift_features(
    texts: list[str],
    words: list[tuple[tuple[str, str], ...]],
    vectors: npt.NDArray[Any],
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    encoder: Encoder,
) -> Floats:
    """How much the text cosine rises when one word of a side is taken out: a word that
    contradicts the other text raises it. max/min over the two sides of each side's best
    lift, and both sides' positive lifts summed."""
    out = np.zeros((len(low), len(LIFT)))
    cos = np.einsum("ij,ij->i", vectors[low], vectors[high])
    gated = np.flatnonzero(cos >= alignment.GATE)
    needed = np.unique(np.concatenate([low[gated], high[gated]]))
    todo = [int(r) for r in needed if texts[int(r)] not in ABLATED and words[int(r)]]
    if todo:
        flat = [(r, k) for r in todo for k in range(len(words[r]))]
        variants = [
            re.sub(rf"\b{re.escape(words[r][k][1])}\b", " ", texts[r], flags=re.IGNORECASE)
            for r, k in flat
        ]
        embedded = encoder.encode(variants)
        for r in todo:
            rows = [n for n, (q, _) in enumerate(flat) if q == r]
            ABLATED[texts[r]] = embedded[rows]
    for n in gated.tolist():
        i, j = int(low[n]), int(high[n])
        if not words[i] or not words[j]:
            continue
        gi = ABLATED[texts[i]] @ vectors[j] - cos[n]
        gj = ABLATED[texts[j]] @ vectors[i] - cos[n]
        a, b = float(gi.max()), float(gj.max())
        gap = max(1.0 - float(cos[n]), 0.01)  # lifts as shares of what keeps the texts apart
        total = float(np.clip(gi, 0, None).sum() + np.clip(gj, 0, None).sum())
        out[n, :3] = (max(a, b) / gap, min(a, b) / gap, total / gap)
    return out


def columns(batch: Batch, variant: str) -> Floats:
    return np.hstack([batch.base, batch.align[:, VARIANTS[variant]]])


def choose_threshold(train: list[Batch], variant: str) -> tuple[float, float]:
    """best_threshold on out-of-fold scores: one inner fold per batch, the calibration set
    cut in CAL_FOLDS (its pairs crossing two of its folds are left out of both)."""
    folds = [(b.name, f) for b in train for f in sorted(set(b.inner.tolist()))]
    scores, labels, total = [], [], 0
    for name, f in folds:
        xs, ys = [], []
        for b in train:
            if b.name != name:
                keep = np.ones(len(b.low), dtype=bool)
            else:
                second = np.array([b.fold_of[int(j)] for j in b.high], dtype=np.int64)
                keep = (b.inner != f) & (second != f)
            xs.append(columns(b, variant)[keep])
            ys.append(b.labels[keep])
        numbers = fit(np.vstack(xs), np.concatenate(ys))
        model = _model(numbers)
        test = next(b for b in train if b.name == name)
        mask = test.inner == f
        scores.append(model.probability(columns(test, variant)[mask]))
        labels.append(test.labels[mask])
        total += sum(1 for p in test.truth if test.fold_of[min(p)] == f)
    scores_, labels_ = np.concatenate(scores), np.concatenate(labels)
    return best_threshold(scores_, labels_, total), recall_threshold(scores_, labels_, total)


# The recall a co-chair's review queue must keep (issue 28): a second threshold, the
# highest whose out-of-fold recall on the training batches reaches it.
RECALL_FLOOR = 0.85


def recall_threshold(scores: Floats, labels: npt.NDArray[np.bool_], total: int) -> float:
    for threshold in np.round(np.arange(0.99, 0.0, -0.01), 2):
        if int(((scores >= threshold) & labels).sum()) / max(1, total) >= RECALL_FLOOR:
            return float(threshold)
    return 0.01


def _model(numbers: dict[str, Any]) -> Any:
    from analysis.logistic import Logistic

    return Logistic(
        features=tuple(numbers["features"]),
        means=np.asarray(numbers["means"]),
        scales=np.asarray(numbers["scales"]),
        coefficients=np.asarray(numbers["coefficients"]),
        intercept=numbers["intercept"],
        threshold=0.5,
        version="fold",
    )


def fit_on(train: list[Batch], variant: str) -> dict[str, Any]:
    x = np.vstack([columns(b, variant) for b in train])
    y = np.concatenate([b.labels for b in train])
    numbers = fit(x, y)
    names = list(pair_features.FEATURES) + [NAMES[k] for k in VARIANTS[variant]]
    return numbers | {"features": names}


def counts(batch: Batch, scores: Floats, threshold: float) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    found = set()
    for n in np.flatnonzero(scores >= threshold):
        key = "tp" if batch.labels[n] else "fp"
        for name in (batch.pairing(int(n)), "all"):
            rows[name][key] += 1
        if batch.labels[n]:
            found.add(frozenset((int(batch.low[n]), int(batch.high[n]))))
    for pair in batch.truth - found:
        a, b = sorted(pair)
        for name in (_pairing_of(batch.languages[a], batch.languages[b]), "all"):
            rows[name]["fn"] += 1
    return rows


def rates(c: dict[str, int]) -> tuple[float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def at_recall(batch: Batch, scores: Floats, floor: float = 0.85) -> tuple[float, float, float]:
    """The highest threshold whose recall on the batch reaches `floor` (read on the batch
    itself: a ranking measure, not a held-out threshold), with its precision and recall."""
    total = len(batch.truth)
    for threshold in np.round(np.arange(0.99, 0.0, -0.01), 2):
        picked = scores >= threshold
        hits = int((picked & batch.labels).sum())
        if hits / total >= floor:
            return float(threshold), hits / max(1, int(picked.sum())), hits / total
    return 0.0, 0.0, 0.0


def average_precision(batch: Batch, scores: Floats) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(batch.labels[order])
    precision = hits / np.arange(1, len(order) + 1)
    return float((precision * batch.labels[order]).sum() / max(1, len(batch.truth)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contrasts", action="store_true", help="train with the contrasts")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--phrases", action="store_true", help="align two-word phrases")
    parser.add_argument("--word-cache", help="a pickle of word vectors kept between runs")
    args = parser.parse_args()
    print(machine())
    UNITS["phrase"] = args.phrases
    encoder = Encoder()
    if args.word_cache and os.path.exists(args.word_cache):
        with open(args.word_cache, "rb") as handle:
            alignment.WORD_CACHE.update(pickle.load(handle))
    started = time.perf_counter()
    batches = {"cal": load("cal", labelled.load_calibration(), encoder)}
    if args.contrasts:
        batches["contrasts"] = load("contrasts", labelled.load_holdout(labelled.CONTRASTS), encoder)
    for name, path in DEV.items():
        batches[name] = load(name, labelled.load_holdout(path), encoder)
    pairs = sum(len(b.low) for b in batches.values())
    spent = time.perf_counter() - started
    print(f"features of {pairs} pairs in {spent:.1f} s; {len(alignment.WORD_CACHE)} units embedded")
    if args.word_cache:
        with open(args.word_cache, "wb") as handle:
            pickle.dump(alignment.WORD_CACHE, handle)
    shipped = duplicate_model.load()
    print(
        f"| batch | pairing | true | shipped @{shipped.threshold:.2f} | "
        + " | ".join(f"{v} @own thr" for v in VARIANTS)
        + " |"
    )
    print("|---|---|---|---|" + "---|" * len(VARIANTS))
    summary: dict[str, list[str]] = defaultdict(list)
    pooled: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    )
    pooled_floor: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    )
    for name in [*DEV, "cal"]:
        test = batches[name]
        train = [b for k, b in batches.items() if k != name]
        result: dict[str, Any] = {}
        ship_scores = shipped.probability(test.base)
        result["shipped"] = (ship_scores, shipped.threshold)
        at_floor: dict[str, tuple[Floats, float]] = {"shipped": (ship_scores, shipped.threshold)}
        for variant in VARIANTS:
            numbers = fit_on(train, variant)
            scores = _model(numbers).probability(columns(test, variant))
            rule, floor = choose_threshold(train, variant)
            result[variant] = (scores, rule)
            at_floor[variant] = (scores, floor)
            if name in ("h4", "h5", "h6"):
                coefs = dict(zip(numbers["features"], numbers["coefficients"], strict=True))
                if variant != "base":
                    summary["coef"].append(
                        f"{name} {variant} "
                        + " ".join(f"{NAMES[k]}={coefs[NAMES[k]]:+.2f}" for k in VARIANTS[variant])
                    )
        tables = {k: counts(test, s, t) for k, (s, t) in result.items()}
        floor_tables = {k: counts(test, s, t) for k, (s, t) in at_floor.items()}
        for k, table in floor_tables.items():
            if name in ("h4", "h5", "h6"):
                for pairing, c in table.items():
                    for key in ("tp", "fp", "fn"):
                        pooled_floor[k][pairing][key] += c[key]
        summary["floor"].append(
            f"{name}: "
            + "; ".join(
                f"{k} @{at_floor[k][1]:.2f} "
                + " ".join(
                    "{}={:.2f}/{:.2f}".format(p, *rates(floor_tables[k].get(p, EMPTY)))
                    for p in ("EN-EN", "FR-FR", "FR↔EN", "all")
                )
                for k in at_floor
            )
        )
        for pairing in ("EN-EN", "FR-FR", "FR↔EN", "all"):
            cells = []
            for k in ("shipped", *VARIANTS):
                c = tables[k].get(pairing, {"tp": 0, "fp": 0, "fn": 0})
                p, r = rates(c)
                cells.append(f"{p:.2f} / {r:.2f}")
                if name in ("h4", "h5", "h6"):
                    for key in ("tp", "fp", "fn"):
                        pooled[k][pairing][key] += c[key]
            true = sum(tables["base"].get(pairing, {"tp": 0, "fn": 0})[x] for x in ("tp", "fn"))
            print(f"| {name} | {pairing} | {true} | " + " | ".join(cells) + " |")
        thresholds = {k: t for k, (_, t) in result.items()}
        ranking = []
        for k in ("shipped", *VARIANTS):
            threshold, p, r = at_recall(test, result[k][0])
            ap = average_precision(test, result[k][0])
            ranking.append(
                f"{k}: thr {thresholds[k]:.2f}, AP {ap:.3f}, P@R≥.85 {p:.2f} "
                f"(R {r:.2f} at {threshold:.2f})"
            )
        summary["ranking"].append(f"{name}: " + "; ".join(ranking))
        if args.errors:
            scores, threshold = at_floor["both"]
            base_scores, base_t = at_floor["base"]
            for n in np.argsort(-scores):
                if (scores[n] >= threshold) != test.labels[n] or (
                    base_scores[n] >= base_t
                ) != test.labels[n]:
                    i, j = int(test.low[n]), int(test.high[n])
                    kind = "dup" if test.labels[n] else "neg"
                    print(
                        f"   {name} {kind} {test.pairing(int(n))} cos {test.base[n, 0]:.2f} "
                        f"base {base_scores[n]:.2f}/{base_t:.2f} "
                        f"both {scores[n]:.2f}/{threshold:.2f} {test.ids[i]} ~ {test.ids[j]} "
                        + " ".join(f"{v:.2f}" for v in test.align[n])
                    )
    print("\npooled dev batches 4, 5, 6 (each scored by a model that saw none of it):")
    for pairing in ("EN-EN", "FR-FR", "FR↔EN", "all"):
        cells = [
            "{:.2f} / {:.2f}".format(*rates(pooled[k][pairing])) for k in ("shipped", *VARIANTS)
        ]
        print(f"| 4-6 | {pairing} | " + " | ".join(cells) + " |")
    print(f"\nat the held-out threshold keeping out-of-fold recall {RECALL_FLOOR} (training):")
    print("\n".join(summary["floor"]))
    print("pooled 4-6 at that threshold:")
    for pairing in ("EN-EN", "FR-FR", "FR↔EN", "all"):
        cells = [
            "{:.2f} / {:.2f}".format(*rates(pooled_floor[k][pairing]))
            for k in ("shipped", *VARIANTS)
        ]
        print(f"| 4-6 | {pairing} | " + " | ".join(cells) + " |")
    print()
    print("\n".join(summary["ranking"]))
    print("\n".join(summary["coef"]))


if __name__ == "__main__":
    main()
