"""The lexical relation of swapped words (bench/lexical_relations.py) beside the shipped
features, held out by batch (issue 28). An experiment: nothing of it is in the product.

Batches: the calibration set, held-out batches 1-6 and the training batch of contrasts, each
blocked alone as a registry of its own (bench/align_experiment.py's harness). Each is scored
by a model fitted on all the others; its thresholds come from out-of-fold scores of the
training batches only (one inner fold per batch, the calibration set cut in five): the
shipped rule (precision 0.92) and the highest threshold keeping out-of-fold recall 0.85.
Batches 7 and 8 are never read.

Variants, all on the same pairs in one run:
- shipped: the shipped model as it is (threshold 0.58);
- shipped+rule: the same, a pair demoted to 0 when its residue has a co-hyponym swap and no
  synonym or hypernym swap (lex_cohyp_alone);
- base: the 14 shipped features refit; base+rule: base scores, the same demotion (the
  threshold chosen on demoted out-of-fold scores);
- lex: base plus the six lexical columns, refit;
- cohyp: base plus lex_cohyponym and lex_cohyp_alone only;
- rel: base plus the relation columns (no unexplained residue); left: base plus the
  unexplained residue only (ablations);
- with --align, align: base plus bench/word_alignment.py's embedding alignment (the round
  before), and lex+align: both.
--nouns compares noun and adjective senses only.

Usage: python -m bench.lexical_experiment [--examples N] [--align] [--nouns]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis import duplicate_model, pair_features
from analysis.encoder import Encoder
from bench import lexical_relations as lexical
from bench import word_alignment
from bench.align_experiment import (
    DEV,
    EMPTY,
    RECALL_FLOOR,
    Batch,
    _model,
    at_recall,
    average_precision,
    blocked,
    counts,
    rates,
    recall_threshold,
)
from bench.calibrate_duplicates import best_threshold, fit
from bench.common import machine
from tests import labelled

Floats = npt.NDArray[np.float64]
PAIRINGS = ("EN-EN", "FR-FR", "FR↔EN", "all")
COLUMNS = {
    "base": [],
    "lex": list(range(len(lexical.FEATURES))),
    "cohyp": [lexical.FEATURES.index("lex_cohyponym"), lexical.FEATURES.index("lex_cohyp_alone")],
    "rel": [0, 1, 2, 5],  # the relations alone, without the unexplained residue
    "left": [3, 4],  # the unexplained residue alone (an ablation)
    "align": [],  # with --align: the embedding word alignment (bench/word_alignment.py)
    "lex+align": list(range(len(lexical.FEATURES))),
}
# a refit variant, or a refit variant's scores with the demotion rule applied
VARIANTS: dict[str, tuple[str, bool]] = {
    "base": ("base", False),
    "base+rule": ("base", True),
    "lex": ("lex", False),
    "cohyp": ("cohyp", False),
    "rel": ("rel", False),
    "left": ("left", False),
}
ALIGNED: dict[str, Floats] = {}  # with --align: bench/word_alignment.py's columns
ALIGN = [False]
ALONE = lexical.FEATURES.index("lex_cohyp_alone")
READINGS: dict[str, list[lexical.PairReading | None]] = {}
NEGATIVES: dict[str, set[frozenset[int]]] = {}
LEXICALS: dict[str, lexical.Lexical] = {}


def load(name: str, data: dict[str, Any], encoder: Encoder) -> Batch:
    found = blocked(data, encoder)
    languages, pairs, index = found.languages, found.pairs, found.index
    words = [word_alignment.tokens(t, lang) for t, lang in zip(found.texts, languages, strict=True)]
    if ALIGN[0]:
        ALIGNED[name] = word_alignment.Alignments(words, languages, encoder).features(
            pairs.low, pairs.high, pairs.cosines
        )
    reader = LEXICALS[name] = lexical.Lexical(words, languages)
    lex, READINGS[name] = reader.features(pairs.low, pairs.high, pairs.cosines)
    NEGATIVES[name] = {
        frozenset((index[a], index[b]))
        for a, b in data.get("hard_negatives") or []
        if a in index and b in index
    }
    return found.batch(name, lex)


def columns(batch: Batch, refit: str) -> Floats:
    extra = [ALIGNED[batch.name]] if refit in ("align", "lex+align") else []
    return np.hstack([batch.base, batch.align[:, COLUMNS[refit]], *extra])


def demote(batch: Batch, scores: Floats, mask: npt.NDArray[np.bool_] | None = None) -> Floats:
    alone = batch.align[:, ALONE] > 0
    if mask is not None:
        alone = alone[mask]
    return np.where(alone, 0.0, scores)


def choose_threshold(train: list[Batch], refit: str, rule: bool) -> tuple[float, float]:
    """Both thresholds on out-of-fold scores of the training batches (as align_experiment)."""
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
            xs.append(columns(b, refit)[keep])
            ys.append(b.labels[keep])
        model = _model(fit(np.vstack(xs), np.concatenate(ys)))
        test = next(b for b in train if b.name == name)
        mask = test.inner == f
        fold_scores = model.probability(columns(test, refit)[mask])
        scores.append(demote(test, fold_scores, mask) if rule else fold_scores)
        labels.append(test.labels[mask])
        total += sum(1 for p in test.truth if test.fold_of[min(p)] == f)
    s, y = np.concatenate(scores), np.concatenate(labels)
    return best_threshold(s, y, total), recall_threshold(s, y, total)


def fit_on(train: list[Batch], refit: str) -> dict[str, Any]:
    numbers = fit(
        np.vstack([columns(b, refit) for b in train]), np.concatenate([b.labels for b in train])
    )
    names = list(pair_features.FEATURES) + [lexical.FEATURES[k] for k in COLUMNS[refit]]
    if refit in ("align", "lex+align"):
        names += list(word_alignment.FEATURES)
    return numbers | {"features": names}


def coverage(batches: dict[str, Batch], shipped: Any) -> None:
    """How much of our texts the lexicons read, and the relations of swapped words in
    hard negatives and in duplicates among the pairs the shipped model scores from 0.5."""
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    for name in batches:
        reader = LEXICALS[name]
        for record, language, found in zip(
            reader.words, reader.languages, reader.lemmas, strict=True
        ):
            for _, x in zip(record, found, strict=True):
                sources[language][x.source] += 1
    print("\nwords read by the lexicons (content words, every record of every batch):")
    for language, c in sources.items():
        total = sum(c.values())
        print(
            f"  {language}: {total} words; "
            + ", ".join(f"{k} {v / total:.2f}" for k, v in c.most_common())
        )
    kinds: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    alone: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for name, b in batches.items():
        scores = shipped.probability(b.base)
        for n in np.flatnonzero(scores >= 0.5).tolist():
            reading = READINGS[name][n]
            pair = frozenset((int(b.low[n]), int(b.high[n])))
            if reading is None:
                continue
            if b.labels[n]:
                kind = "duplicates"
            elif pair in NEGATIVES[name]:
                kind = "hard negatives"
            else:
                kind = "other non-duplicates"
            across = (
                "across" if b.languages[int(b.low[n])] != b.languages[int(b.high[n])] else "same"
            )
            for key in ((kind, across), (kind, "all")):
                for _, _, rel in reading.swaps:
                    kinds[key][rel] += 1
                for _, rel in reading.left:
                    kinds[key][rel] += 1
                alone[key][0] += int(b.align[n, ALONE] > 0)
                alone[key][1] += 1
    print("\nAUC of each lexical column for duplicates, pairs the shipped model scores >= 0.5:")
    for side in ("same", "across"):
        xs, ys = [], []
        for b in batches.values():
            scores = shipped.probability(b.base)
            crossing = np.array(
                [
                    b.languages[int(i)] != b.languages[int(j)]
                    for i, j in zip(b.low, b.high, strict=True)
                ]
            )
            keep = (scores >= 0.5) & (crossing if side == "across" else ~crossing)
            xs.append(b.align[keep])
            ys.append(b.labels[keep])
        columns_, truth = np.vstack(xs), np.concatenate(ys)
        print(
            f"  {side} language ({int(truth.sum())} duplicates, {int((~truth).sum())} others): "
            + ", ".join(
                f"{k} {auc(columns_[:, n], truth):.2f}" for n, k in enumerate(lexical.FEATURES)
            )
        )
    print(
        "\nresidue words of the pairs the shipped model scores >= 0.5, by relation (a swap "
        "counts once per word pair; words left over count alone); 'rule fires' = pairs with "
        "a co-hyponym swap and no synonym or hypernym swap:"
    )
    print("| pairs | language | pairs n | synonym | hypernym | co-hyponym | unrelated | unknown "
          "| rule fires |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for key in sorted(kinds):
        c = kinds[key]
        total = max(1, sum(c.values()))
        cells = " | ".join(f"{c[r]} ({c[r] / total:.2f})" for r in lexical.RELATIONS)
        fires, n = alone[key]
        print(f"| {key[0]} | {key[1]} | {n} | {cells} | {fires} ({fires / max(1, n):.2f}) |")
    print("\nthe swapped word pairs alone (share of each relation among them):")
    for key in sorted(kinds):
        c = kinds[key]
        swaps = max(1, sum(c[r] for r in ("synonym", "hypernym", "cohyponym")))
        print(
            f"  {key[0]}, {key[1]}: {swaps} swaps, "
            + ", ".join(f"{r} {c[r] / swaps:.2f}" for r in ("synonym", "hypernym", "cohyponym"))
        )


def auc(values: Floats, labels: npt.NDArray[np.bool_]) -> float:
    """The chance that a duplicate scores above a non-duplicate (ties count half)."""
    pos, neg = values[labels], values[~labels]
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def examples(batches: dict[str, Batch], shipped: Any, limit: int) -> None:
    print("\nexamples (shipped score >= 0.5): kind, pairing, score, swaps; left over")
    shown: Counter[str] = Counter()
    for name, b in batches.items():
        if name not in DEV:
            continue
        scores = shipped.probability(b.base)
        for n in np.argsort(-scores).tolist():
            reading = READINGS[name][n]
            if scores[n] < 0.5:
                break
            if reading is None:
                continue
            kind = "dup" if b.labels[n] else "neg"
            if shown[kind] >= limit:
                continue
            shown[kind] += 1
            swaps = ", ".join(f"{a}/{c}:{rel[:3]}" for a, c, rel in reading.swaps)
            left = ", ".join(f"{w}:{rel[:3]}" for w, rel in reading.left[:8])
            print(
                f"  {name} {kind} {b.pairing(n)} {scores[n]:.2f} "
                f"{b.ids[int(b.low[n])]} ~ {b.ids[int(b.high[n])]}: [{swaps}] left [{left}]"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--align", action="store_true", help="and the word alignment")
    parser.add_argument("--nouns", action="store_true", help="compare no verb senses")
    args = parser.parse_args()
    if args.align:
        ALIGN[0] = True
        VARIANTS.update({"align": ("align", False), "lex+align": ("lex+align", False)})
    if args.nouns:
        lexical.PARTS[:] = ["n", "a", "s"]
    print(machine())
    encoder = Encoder()
    started = time.perf_counter()
    sources = {
        "cal": labelled.load_calibration(),
        "contrasts": labelled.load_holdout(labelled.CONTRASTS),
    } | {name: labelled.load_holdout(path) for name, path in DEV.items()}
    batches = {name: load(name, data, encoder) for name, data in sources.items()}
    pairs = sum(len(b.low) for b in batches.values())
    print(f"features of {pairs} pairs in {time.perf_counter() - started:.1f} s")
    shipped = duplicate_model.load()
    coverage(batches, shipped)
    if args.examples:
        examples(batches, shipped, args.examples)
    names = ["shipped", "shipped+rule", *VARIANTS]
    pooled: dict[str, dict[str, dict[str, dict[str, int]]]] = {
        group: defaultdict(lambda: defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0}))
        for group in ("4-6", "1-6")
    }
    floors: list[str] = []
    rules: list[str] = []
    ranking: list[str] = []
    coefs: list[str] = []
    print("\nper batch, P / R at the held-out recall-0.85 threshold (shipped: 0.58)")
    print("| batch | pairing | true | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for name in [*DEV, "contrasts", "cal"]:
        test = batches[name]
        train = [b for k, b in batches.items() if k != name]
        ship = shipped.probability(test.base)
        at_floor: dict[str, tuple[Floats, float]] = {
            "shipped": (ship, shipped.threshold),
            "shipped+rule": (demote(test, ship), shipped.threshold),
        }
        at_rule: dict[str, tuple[Floats, float]] = dict(at_floor)
        fitted: dict[str, dict[str, Any]] = {}
        for variant, (refit, rule) in VARIANTS.items():
            if refit not in fitted:
                fitted[refit] = fit_on(train, refit)
            scores = _model(fitted[refit]).probability(columns(test, refit))
            if rule:
                scores = demote(test, scores)
            precise, floor = choose_threshold(train, refit, rule)
            at_floor[variant] = (scores, floor)
            at_rule[variant] = (scores, precise)
        if name in ("h4", "h5", "h6"):
            numbers = fitted["lex"]
            weights = dict(zip(numbers["features"], numbers["coefficients"], strict=True))
            coefs.append(
                f"{name} lex: " + " ".join(f"{k}={weights[k]:+.2f}" for k in lexical.FEATURES)
            )
        tables = {k: counts(test, s, t) for k, (s, t) in at_floor.items()}
        for pairing in PAIRINGS:
            cells = []
            for k in names:
                c = tables[k].get(pairing, EMPTY)
                cells.append("{:.2f} / {:.2f}".format(*rates(c)))
                for group, members in (("4-6", ("h4", "h5", "h6")), ("1-6", tuple(DEV))):
                    if name in members:
                        for key in ("tp", "fp", "fn"):
                            pooled[group][k][pairing][key] += c[key]
            true = sum(tables["base"].get(pairing, EMPTY)[x] for x in ("tp", "fn"))
            print(f"| {name} | {pairing} | {true} | " + " | ".join(cells) + " |")
        floors.append(f"{name}: " + ", ".join(f"{k} {t:.2f}" for k, (_, t) in at_floor.items()))
        rule_tables = {k: counts(test, s, t) for k, (s, t) in at_rule.items()}
        rules.append(
            f"{name}: "
            + "; ".join(
                "{} @{:.2f} {:.2f} / {:.2f}".format(k, t, *rates(rule_tables[k].get("all", EMPTY)))
                for k, (_, t) in at_rule.items()
            )
        )
        cells = []
        for k, (s, _) in at_floor.items():
            _, p, _ = at_recall(test, s)
            cells.append(f"{k} AP {average_precision(test, s):.3f} P@R≥.85 {p:.2f}")
        ranking.append(f"{name}: " + "; ".join(cells))
    for group in ("4-6", "1-6"):
        print(f"\npooled batches {group} (each scored by a model that saw none of it):")
        print("| pairing | " + " | ".join(names) + " |")
        print("|---|" + "---|" * len(names))
        for pairing in PAIRINGS:
            cells = ["{:.2f} / {:.2f}".format(*rates(pooled[group][k][pairing])) for k in names]
            print(f"| {pairing} | " + " | ".join(cells) + " |")
    print(f"\nthresholds (out-of-fold recall {RECALL_FLOOR} on the training batches):")
    print("\n".join(floors))
    print("\nat the shipped rule's threshold (out-of-fold precision 0.92), all pairings:")
    print("\n".join(rules))
    print("\nranking on each scored batch:")
    print("\n".join(ranking))
    print("\n".join(coefs))


if __name__ == "__main__":
    main()
