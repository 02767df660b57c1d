"""Does the duplicate score follow a registry's base rate, and learn from its decisions?

Registries of three sizes, each scored by the product's own code (compose, encode, block,
features, the shipped model, analysis/base_rate.py), at the default threshold, before
(the model's probability) and after (moved to the registry's estimated prior, never
below the training prior; the EM estimate itself is shown):

- the holdout batch (tests/data/duplicates-holdout.yaml, written after the model was
  fitted, never fitted on) alone and among 1,000 and 10,000 generated initiatives
  (bench/duplicates_scale.generate; its translations, same slots in the other language,
  are its duplicates);
- the calibration set (fitted on: in-sample numbers, shown for the size of its sample),
  sub-sampled to 100 initiatives, whole, and among 1,000 and 10,000.

Precision counts every pair at or above the threshold with a labelled end; a labelled
initiative never duplicates a generated one. Pairs blocking never proposes count as missed.

Learning curve: a registry of ~100 initiatives (the holdout batch and 70 of the
calibration set); a simulated co-chair decides the pairs a reviewer is shown first (the
likely band best first, then the possible band most uncertain first), truthfully; after
0, 10, 20 and 40 decisions the calibration is refit and precision and recall are read on
the labelled pairs nobody decided, per language pairing.
With --holdout 2 the batch is tests/data/duplicates-holdout-2.yaml (written before the
qualifier-contrast features, never fitted or tuned on) in place of the first holdout
batch, everywhere above, learning curve included; --holdout 3 takes
tests/data/duplicates-holdout-3.yaml (written before the training batch of qualifier hard
negatives and the features of that round) the same way, --holdout 4
tests/data/duplicates-holdout-4.yaml (written before the residual-words feature), --holdout 5
tests/data/duplicates-holdout-5.yaml (written after the residual-words round, before any
feature of the next one), --holdout 6 tests/data/duplicates-holdout-6.yaml (written after the
fifth was scored, before any feature of the next round), --holdout 7
tests/data/duplicates-holdout-7.yaml (written after the sixth was scored, before any feature
of the next round), --holdout 8 tests/data/duplicates-holdout-8.yaml (written when the
seventh was about to be scored, before any score on either or any feature of the round
after); --no-calibration leaves out the calibration set's rows.
Usage: python -m bench.duplicates_base_rate [--seed 5] [--holdout 2|3|4|5|6|7|8] [--no-calibration]
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis import base_rate, decided_groups, duplicate_model, pair_features
from analysis.blocking import candidate_pairs, graph_pairs
from analysis.duplicates import STORE_FLOOR, compose
from analysis.encoder import Encoder
from bench.common import machine
from bench.duplicates_scale import generate
from tests.labelled import (
    HOLDOUT,
    HOLDOUT_2,
    HOLDOUT_3,
    HOLDOUT_4,
    HOLDOUT_5,
    HOLDOUT_6,
    HOLDOUT_7,
    HOLDOUT_8,
    load_calibration,
    load_holdout,
)

Floats = npt.NDArray[np.float64]
SETTLE = True


@dataclass
class Registry:
    """Blocked pairs of one registry with the model's probabilities and their truth."""

    name: str
    ids: list[str]
    languages: list[str]
    low: npt.NDArray[np.int64]
    high: npt.NDArray[np.int64]
    raw: Floats
    truth: set[frozenset[int]]  # true duplicate pairs (positions), blocked or not
    labelled: npt.NDArray[np.bool_]  # pairs with a labelled end (counted in precision)
    is_true: npt.NDArray[np.bool_]
    items: int  # the labelled initiatives come first
    without_graph: set[tuple[int, int]]  # what blocking kept without graph neighbours
    features: Floats  # every blocked pair's features, for the weights learned from decisions

    def pairing(self, n: int) -> str:
        a, b = self.languages[self.low[n]], self.languages[self.high[n]]
        return _pairing(a, b)


def _pairing(a: str, b: str) -> str:
    return "-".join(sorted((a.upper(), b.upper()))).replace("EN-FR", "FR↔EN")


class Texts:
    """Embeddings and profiles, computed once per text for the whole run."""

    def __init__(self) -> None:
        self.encoder = Encoder()
        self.cache: dict[str, tuple[Any, pair_features.Profile]] = {}

    def of(self, items: Sequence[dict[str, Any]]) -> tuple[Any, list[pair_features.Profile]]:
        texts = [compose({"title": i["title"], "body": i["summary"]}) for i in items]
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            langs = {t: i["language"] for t, i in zip(texts, items, strict=True)}
            vectors = self.encoder.encode(missing)
            for t, v in zip(missing, vectors, strict=True):
                self.cache[t] = (v, pair_features.profile(t, langs[t]))
        return (
            np.vstack([self.cache[t][0] for t in texts]),
            [self.cache[t][1] for t in texts],
        )


def build(
    name: str,
    texts: Texts,
    items: list[dict[str, Any]],
    pairs: list[list[str]],
    crowd: list[dict[str, Any]],
) -> Registry:
    everything = items + crowd
    vectors, profiles = texts.of(everything)
    links = {
        i["id"]: {
            "topic": frozenset(i.get("topics") or []),
            "recommendation": frozenset(i.get("recommendations") or []),
        }
        for i in everything
    }
    extra = graph_pairs([i["id"] for i in everything], links)
    blocked = candidate_pairs(vectors, profiles, extra=extra)
    plain = candidate_pairs(vectors, profiles)
    before_graph = set(zip(plain.low.tolist(), plain.high.tolist(), strict=True))
    records = pair_features.Records(profiles, blocked.hubs, blocked.concept_hubs)
    model = duplicate_model.load()
    features = blocked.features(records, np.arange(len(blocked.low), dtype=np.int64))
    raw = model.probability(features)
    index = {item["id"]: n for n, item in enumerate(everything)}
    truth = {frozenset((index[a], index[b])) for a, b in pairs if a in index and b in index}
    slots: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for n, item in enumerate(crowd):
        slots[tuple(item["slots"])].append(len(items) + n)
    for group in slots.values():  # generated translations of one initiative
        truth |= {frozenset((a, b)) for a in group for b in group if a < b}
    low, high = blocked.low, blocked.high
    is_true = np.array(
        [frozenset((i, j)) in truth for i, j in zip(low.tolist(), high.tolist(), strict=True)],
        dtype=bool,
    )
    return Registry(
        name,
        [i["id"] for i in everything],
        [i["language"] for i in everything],
        low,
        high,
        raw,
        truth,
        low < len(items),
        is_true,
        len(items),
        before_graph,
        features,
    )


def counts(
    registry: Registry,
    scores: Floats,
    threshold: float,
    *,
    skip: frozenset[frozenset[int]] = frozenset(),
) -> dict[str, dict[str, int]]:
    """tp/fp/fn per language pairing and overall, on pairs with a labelled end."""
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    found = set()
    for n in np.flatnonzero((scores >= threshold) & registry.labelled):
        pair = frozenset((int(registry.low[n]), int(registry.high[n])))
        if pair in skip:
            continue
        key = "tp" if registry.is_true[n] else "fp"
        for name in (registry.pairing(int(n)), "all"):
            rows[name][key] += 1
        found.add(pair)
    for pair in registry.truth - found - skip:
        a, b = sorted(pair)
        if a >= registry.items:  # a generated pair: not in these rows
            continue
        for name in (_pairing(registry.languages[a], registry.languages[b]), "all"):
            rows[name]["fn"] += 1
    return dict(rows)


def rates(c: dict[str, int]) -> tuple[float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def blocking_recall(registry: Registry, labelled_end: int) -> tuple[int, int, int]:
    """Labelled duplicate pairs blocking keeps, with and without graph neighbours, and all."""
    keys = set(zip(registry.low.tolist(), registry.high.tolist(), strict=True))
    labelled = [tuple(sorted(p)) for p in registry.truth if min(p) < labelled_end]
    return (
        sum(p in keys for p in labelled),
        sum(p in registry.without_graph for p in labelled),
        len(labelled),
    )


def subsample(data: dict[str, Any], size: int, seed: int) -> dict[str, Any]:
    """About `size` initiatives, whole groups of duplicates kept together."""
    items = data["initiatives"]
    parent = {i["id"]: i["id"] for i in items}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in data["duplicates"]:
        parent[root(b)] = root(a)
    groups: dict[str, list[str]] = defaultdict(list)
    for i in items:
        groups[root(i["id"])].append(i["id"])
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    kept: set[str] = set()
    for key in order:
        if len(kept) >= size:
            break
        kept |= set(groups[key])
    return {
        "initiatives": [i for i in items if i["id"] in kept],
        "duplicates": [p for p in data["duplicates"] if set(p) <= kept],
    }


def adjusted(registry: Registry) -> tuple[Floats, base_rate.Calibration]:
    calibration = base_rate.calibrate(registry.raw, duplicate_model.load().prior)
    return calibration.apply(registry.raw), calibration


def taught(registry: Registry, decided: list[int]) -> tuple[base_rate.Calibration, Floats]:
    """What the product learns from these decisions (analysis/base_rate.learn), and the
    registry's probabilities after it."""
    at = np.asarray(decided, dtype=np.int64)
    labels = registry.is_true[at] if decided else None
    calibration, raw = base_rate.learn(
        duplicate_model.load(),
        lambda model: model.probability(registry.features),
        decided=at if decided else None,
        rows=registry.features[at] if decided else None,
        labels=labels,
        features=lambda positions: registry.features[positions],
    )
    chances = calibration.apply(raw)
    if decided and SETTLE:
        found = decided_groups.groups(
            len(registry.ids), registry.low[at], registry.high[at], registry.is_true[at].tolist()
        )
        chances, _, _ = decided_groups.settle(found, registry.low, registry.high, chances)
    return calibration, chances


def learning_curve(
    registry: Registry, steps: Sequence[int], threshold: float, *, likely_first: bool
) -> list[tuple[int, base_rate.Calibration, dict[str, dict[str, int]]]]:
    """A truthful co-chair decides the pairs shown first (the likely band, best first, or
    the possible band, most uncertain first, each then the other); read the undecided."""
    out = []
    decided: list[int] = []
    for k in steps:
        while len(decided) < k:
            _, scores = taught(registry, decided)
            open_ = np.ones(len(scores), dtype=bool)
            open_[decided] = False
            open_ &= registry.labelled & (scores >= STORE_FLOOR)
            likely = np.flatnonzero(open_ & (scores >= threshold))
            possible = np.flatnonzero(open_ & (scores < threshold))
            if len(likely) and (likely_first or not len(possible)):
                pick = int(likely[np.argmax(scores[likely])])
            elif len(possible):
                doubt = scores[possible] * (1 - scores[possible])
                pick = int(possible[np.argmax(doubt)])
            else:
                break
            decided.append(pick)
        calibration, scores = taught(registry, decided)
        skip = frozenset(frozenset((int(registry.low[n]), int(registry.high[n]))) for n in decided)
        out.append((len(decided), calibration, counts(registry, scores, threshold, skip=skip)))
    return out


def _line(name: str, before: dict[str, int], after: dict[str, int]) -> str:
    p0, r0 = rates(before)
    p1, r1 = rates(after)
    true = before["tp"] + before["fn"]
    return f"| {name} | {true} | {p0:.2f} | {r0:.2f} | {p1:.2f} | {r1:.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--curve-only", action="store_true", help="only the learning curve (no crowds)"
    )
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="decisions refit the model only; what they imply for other pairs is not applied",
    )
    parser.add_argument(
        "--holdout", type=int, choices=(1, 2, 3, 4, 5, 6, 7, 8), default=1, help="which batch"
    )
    parser.add_argument(
        "--no-calibration", action="store_true", help="only the holdout batch's registries"
    )
    args = parser.parse_args()
    global SETTLE
    SETTLE = not args.no_settle
    print(machine())
    threshold = duplicate_model.load().threshold
    texts = Texts()
    holdout = load_holdout(
        {
            1: HOLDOUT,
            2: HOLDOUT_2,
            3: HOLDOUT_3,
            4: HOLDOUT_4,
            5: HOLDOUT_5,
            6: HOLDOUT_6,
            7: HOLDOUT_7,
            8: HOLDOUT_8,
        }[args.holdout]
    )
    label = "holdout" if args.holdout == 1 else f"holdout-{args.holdout}"
    shipped = duplicate_model.load()
    print(f"model {shipped.version}, {len(shipped.features)} features")
    calibration = load_calibration()
    sizes = () if args.curve_only else (1_000, 10_000)
    crowds = {size: generate(size, seed=11) for size in sizes}
    small = subsample(calibration, 100, args.seed)
    if not args.curve_only:
        cases = [
            (f"{label} alone", holdout, []),
            (f"{label} among 1,000", holdout, crowds[1_000]),
            (f"{label} among 10,000", holdout, crowds[10_000]),
        ]
        if not args.no_calibration:
            cases += [
                ("calibration, 100 (in-sample)", small, []),
                ("calibration, all (in-sample)", calibration, []),
                ("calibration among 1,000 (in-sample)", calibration, crowds[1_000]),
                ("calibration among 10,000 (in-sample)", calibration, crowds[10_000]),
            ]
        print(f"\nat the default threshold {threshold}, before → after the base-rate adjustment")
        print(
            "| registry | prior: training → EM estimate here | blocking recall "
            "| crowd pairs ≥ threshold (true/all), before → after |"
        )
        print("|---|---|---|---|")
        tables = []
        for name, data, crowd in cases:
            registry = build(name, texts, data["initiatives"], data["duplicates"], crowd)
            scores, learned = adjusted(registry)
            end = len(data["initiatives"])
            found, plain, total = blocking_recall(registry, end)
            crowd_rows = ~registry.labelled
            said = []
            for s in (registry.raw, scores):
                picked = crowd_rows & (s >= threshold)
                said.append(f"{int((picked & registry.is_true).sum())}/{int(picked.sum())}")
            print(
                f"| {name} | {learned.training_prior:.3f} → {learned.estimated or 0:.3f} "
                f"(used {learned.prior:.3f}) | {found}/{total} ({plain} without graph) "
                f"| {' → '.join(said)} |"
            )
            tables.append(
                (
                    name,
                    counts(registry, registry.raw, threshold),
                    counts(registry, scores, threshold),
                )
            )
        print("\n| registry, pairing | true pairs | P before | R before | P after | R after |")
        print("|---|---|---|---|---|---|")
        for name, before, after in tables:
            for key in sorted(before, key=lambda k: (k == "all", k)):
                print(
                    _line(
                        f"{name}, {key}", before[key], after.get(key, {"tp": 0, "fp": 0, "fn": 0})
                    )
                )
    # the learning curve: ~100 initiatives, the holdout batch + 70 of the calibration set
    rng = random.Random(args.seed)
    extra = subsample(calibration, 70, rng.randrange(1000))
    mixed = {
        "initiatives": holdout["initiatives"] + extra["initiatives"],
        "duplicates": holdout["duplicates"] + extra["duplicates"],
    }
    registry = build("learning", texts, mixed["initiatives"], mixed["duplicates"], [])
    print(
        f"\nlearning curve: {len(mixed['initiatives'])} initiatives, "
        f"{len(mixed['duplicates'])} duplicate pairs; read on the pairs nobody decided"
    )
    print(
        "| decisions (confirmed/rejected) | slope, offset | pairing | undecided true pairs "
        "| P | R |"
    )
    print("|---|---|---|---|---|---|")
    for likely_first in (False, True):
        print(
            "| *co-chair works through the "
            + ("likely band first*" if likely_first else "possible band first*")
            + " | | | | | |"
        )
        curve = learning_curve(registry, (0, 10, 20, 40, 60), threshold, likely_first=likely_first)
        for k, learned, rows in curve:
            weights = ", weights refit" if learned.coefficients is not None else ""
            for key in sorted(rows, key=lambda x: (x == "all", x)):
                p, r = rates(rows[key])
                true = rows[key]["tp"] + rows[key]["fn"]
                print(
                    f"| {k} ({learned.confirmed}/{learned.rejected}) | {learned.slope:.2f}, "
                    f"{learned.offset:+.2f}{weights} | {key} | {true} | {p:.2f} | {r:.2f} |"
                )


if __name__ == "__main__":
    main()
