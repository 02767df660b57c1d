"""Crosswalk inference learning from the registry's decisions: a learning curve.

Same registry and folds as bench/calibrate_crosswalks.py (each published crosswalk held
out in turn, the model fitted on the others). For each held-out crosswalk a simulated
co-chair reviews the suggestions between its two frameworks in the order the review page
shows them (best score first), ten at a time, and confirms those the publisher made and
rejects the others; after each ten the registry refreshes: confirmed pairs become evidence,
rejected ones lower the weight of the hubs and crosswalks that supported them, and the
model is refitted on the decisions with the shipped one as its prior
(analysis/crosswalk_learning.py). After N = 0, 10, 20, 40, 80 decisions: precision and
recall at the threshold, and recall@3, on the pairs nobody decided (the decided pairs
leave both the suggestions and the publisher's pairs counted).

Arms, on the same folds: *none* (the same review, nothing learned: the control, since
the decided pairs, the easiest, leave what is measured), *learning* (all three),
*learning and siblings* (and candidates next to a confirmed pair, one end the same and
the other its sibling, count up), *siblings only* (that alone, its coefficient at the
prior), *recalibration and evidence* (the coefficients kept, only the intercept and the source
pair's offset refitted), *refit only* (no evidence change), *evidence only* (reliability
and confirmed edges, the model as shipped). *calibrated*: the undecided pairs whose
learned probability is at least 0.7, the band a co-chair could rely on if the
recalibration held.

Then the precision-first view: per held-out crosswalk, the recall obtainable at precision
≥ 0.7 (the best threshold in hindsight, an upper bound) and at the "likely" threshold chosen
on the other crosswalks only (the lowest at which they reach precision 0.7 pooled): what a
co-chair could rely on.
Usage: python -m bench.crosswalks_learning [--datasets DIR] [--cache FILE]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis import crosswalk_features as features
from analysis import crosswalk_learning as learning
from analysis import crosswalk_paths as paths
from analysis.crosswalk_model import Model
from bench.calibrate_crosswalks import Registry, _kept, best_threshold, fit, load
from bench.common import machine

CURVE = (0, 10, 20, 40, 80)
BATCH = 10
PRECISION = 0.7
# arm: (the refit's pull toward the shipped coefficients, or None for no refit; whether
# decisions change the evidence). A pull of 1e4 keeps the coefficients: only the intercept
# and the source pair's offset move (a recalibration).
ARMS: dict[str, tuple[float | None, bool, bool]] = {
    "none": (None, False, False),
    "learning": (learning.STRENGTH, True, False),
    "learning and siblings": (learning.STRENGTH, True, True),
    "siblings only": (None, False, True),
    "recalibration and evidence": (1e4, True, False),
    "refit only": (learning.STRENGTH, False, False),
    "evidence only": (None, True, False),
}


@dataclass
class Fold:
    k: int
    model: Model
    likely: float  # lowest threshold with pooled precision >= PRECISION on the other folds


def trained(registry: Registry, k: int) -> Fold:
    """The model fitted on the other crosswalks (as calibrate_crosswalks does) and its
    thresholds chosen on them."""
    others = [j for j in range(len(registry.folds)) if j != k]
    train = [registry.describe(j, without=[k]) for j in others]
    predict = fit(np.vstack([d.x for d in train]), np.concatenate([d.y for d in train]))
    scored = [(_kept(d, predict(d.x)), d.y, len(registry.folds[j].pairs))
              for j, d in zip(others, train, strict=True)]  # fmt: skip
    means, scales, coefficients, intercept = predict.parameters  # type: ignore[attr-defined]
    model = Model(features.FEATURES, means, scales, coefficients, intercept,
                  best_threshold(scored), f"fold{k}")  # fmt: skip
    return Fold(k, model, likely_threshold(scored))


def likely_threshold(scored: Sequence[tuple[Any, Any, int]]) -> float:
    for threshold in np.round(np.arange(0.02, 0.99, 0.01), 2):
        hits = sum(int(((p >= threshold) & y).sum()) for p, y, _ in scored)
        picked = sum(int((p >= threshold).sum()) for p, _, _ in scored)
        if picked and hits / picked >= PRECISION:
            return float(threshold)
    return 1.0


class Simulation:
    """One held-out crosswalk reviewed by a simulated co-chair."""

    def __init__(
        self, registry: Registry, fold: Fold, *, refit: float | None, evidence: bool,
        siblings: bool = False,
    ) -> None:  # fmt: skip
        self.r, self.fold, self.use_refit, self.use_evidence = registry, fold, refit, evidence
        self.use_siblings = siblings
        self.near = np.zeros(0)
        self.parent_of = {str(row["id"]): row.get("parent_id") for row in registry.rows}
        held = registry.folds[fold.k]
        self.s, self.t = held.sources
        self.truth = {frozenset(p) for p in held.pairs}
        self.targets: dict[int, set[int]] = defaultdict(set)
        for i, j in held.pairs:
            self.targets[i].add(j)
        out = frozenset(held.sources)
        self.base = [e for e in registry.edges if frozenset(registry._ends(e)) != out]
        self.key = learning.pair_of(registry.sources[self.s], registry.sources[self.t])
        self.decided: dict[frozenset[int], learning.Decided] = {}
        self.order: list[frozenset[int]] = []

    def state(self) -> tuple[Any, np.ndarray[Any, Any]]:
        """The candidates as the next refresh describes and scores them."""
        r = self.r
        decided = list(self.decided.values())
        edges = list(self.base)
        trust = None
        if self.use_evidence:
            edges += [{"a": d.a, "b": d.b, "status": "confirmed", "relation": "intersects_with"}
                      for d in decided if d.confirmed]  # fmt: skip
            plain = paths.build(r.rows, edges)
            trust = learning.reliability(decided, _neighbours(plain), _sources(r))
        evidence = paths.build(r.rows, edges, trust)
        seen = features.views(evidence, r.vectors, r.parents)
        found = features.candidates(evidence, seen, evidence.members(self.s),
                                    evidence.members(self.t))  # fmt: skip
        learned = (
            learning.refit(self.fold.model, decided, strength=self.use_refit)
            if self.use_refit is not None
            else learning.unchanged(self.fold.model)
        )
        self.near = np.zeros(len(found.a))
        if self.use_siblings:
            support = learning.sibling_support(
                [(d.a, d.b) for d in decided if d.confirmed], self.parent_of
            )
            ids = [row["id"] for row in r.rows]
            self.near = np.asarray(
                [len(support.get(frozenset((ids[a], ids[b])), ()))
                 for a, b in zip(found.a.tolist(), found.b.tolist(), strict=True)],
                dtype=np.float64,
            )  # fmt: skip
        return found, learned.probability(found.features, self.key, self.near)

    def review(self, found: Any, scores: np.ndarray[Any, Any], count: int) -> None:
        """Decide the `count` best-scored undecided suggestions the page shows."""
        r, floor = self.r, self.fold.model.threshold / 2
        shown = features.best_of_each_end(found.a, found.b, scores) & (scores >= floor)
        order = np.argsort(-scores, kind="stable")
        for n in order.tolist():
            if count == 0:
                break
            pair = frozenset((int(found.a[n]), int(found.b[n])))
            if not shown[n] or pair in self.decided:
                continue
            a, b = int(found.a[n]), int(found.b[n])
            self.decided[pair] = learning.Decided(
                r.rows[a]["id"],
                r.rows[b]["id"],
                pair in self.truth,
                self.key,
                tuple(float(v) for v in found.features[n]),
                float(self.near[n]),
            )
            self.order.append(pair)
            count -= 1

    def measure(self, found: Any, scores: np.ndarray[Any, Any], threshold: float) -> dict[str, Any]:
        pairs = [frozenset((int(a), int(b))) for a, b in zip(found.a, found.b, strict=True)]
        open_ = np.asarray([p not in self.decided for p in pairs], dtype=bool)
        y = np.asarray([p in self.truth for p in pairs], dtype=bool)
        best = features.best_of_each_end(found.a, found.b, scores)
        kept = best & (scores >= threshold)
        chosen = kept & open_
        published = len(self.truth - set(self.decided))
        shares, hits = [], []
        ranked: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for n, (a, b) in enumerate(zip(found.a.tolist(), found.b.tolist(), strict=True)):
            if not open_[n]:
                continue
            for source, target in ((a, b), (b, a)):
                if source in self.targets:
                    ranked[source].append((float(scores[n]), target))
        for source, wanted in self.targets.items():
            rest = {t for t in wanted if frozenset((source, t)) not in self.decided}
            if not rest:
                continue
            top = {t for _, t in sorted(ranked.get(source, []), reverse=True)[:3]}
            shares.append(len(top & rest) / min(3, len(rest)))
            hits.append(bool(top & rest))
        confirmed = sum(d.confirmed for d in self.decided.values())
        # candidates next to a confirmed pair (one end the same, the other its sibling)
        support = learning.sibling_support(
            [(d.a, d.b) for d in self.decided.values() if d.confirmed], self.parent_of
        )
        ids = [row["id"] for row in self.r.rows]
        beside = open_ & np.asarray(
            [frozenset((ids[a], ids[b])) in support
             for a, b in zip(found.a.tolist(), found.b.tolist(), strict=True)], dtype=bool,
        )  # fmt: skip
        return {
            "beside": (int(beside.sum()), int((beside & y).sum()), int(open_.sum()),
                       int((open_ & y).sum())),
            "suggested": int(chosen.sum()), "hits": int((chosen & y).sum()),
            "published": published, "r3": float(np.mean(shares)) if shares else 0.0,
            "h3": float(np.mean(hits)) if hits else 0.0, "confirmed": confirmed,
            "scores": scores[open_ & best], "y": y[open_ & best],
            "weights": len(shares),
        }  # fmt: skip


def _neighbours(evidence: paths.Evidence) -> dict[str, set[str]]:
    a = evidence.adjacency
    ids = evidence.ids
    return {
        ids[n]: {ids[m] for m in a.indices[a.indptr[n] : a.indptr[n + 1]].tolist()}
        for n in range(len(ids))
        if a.indptr[n + 1] > a.indptr[n]
    }


def _sources(registry: Registry) -> dict[str, str]:
    return {row["id"]: str(row.get("source_id") or "") for row in registry.rows}


def curve(
    registry: Registry, fold: Fold, refit: float | None, evidence: bool, siblings: bool
) -> dict[int, Any]:
    sim = Simulation(registry, fold, refit=refit, evidence=evidence, siblings=siblings)
    out: dict[int, Any] = {}
    done = 0
    while True:
        found, scores = sim.state()
        if done in CURVE:
            out[done] = sim.measure(found, scores, fold.model.threshold) | {
                "likely": sim.measure(found, scores, fold.likely),
                "calibrated": sim.measure(found, scores, PRECISION),
            }
        if done >= CURVE[-1]:
            return out
        sim.review(found, scores, BATCH)
        done += BATCH


def best_recall_at(scores: Any, y: Any, published: int, precision: float) -> tuple[float, float]:
    """The largest recall at any threshold whose precision is at least `precision` (in
    hindsight: an upper bound on what one threshold can give), and that threshold."""
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(y[order])
    picked = np.arange(1, len(order) + 1)
    ok = hits / picked >= precision
    if not ok.any() or published == 0:
        return 0.0, 1.0
    n = int(np.flatnonzero(ok)[-1])
    return float(hits[n] / published), float(scores[order][n])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--cache", type=Path, help="reuse what was imported and embedded")
    parser.add_argument("--arms", default=",".join(ARMS))
    args = parser.parse_args()
    print(machine())
    registry = load(args.datasets, args.cache)
    began = time.perf_counter()
    folds = [trained(registry, k) for k in range(len(registry.folds))]
    print(f"models fitted in {time.perf_counter() - began:.1f} s")
    print("| arm | held out | decided (confirmed) | suggested | precision | recall | "
          "recall@3 | hit@3 | likely: threshold | likely: suggested | likely: precision | "
          "likely: recall | calibrated ≥ 0.7: suggested | precision | recall |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    results: dict[str, dict[int, dict[int, Any]]] = {}
    for arm in args.arms.split(","):
        refit, evidence, siblings = ARMS[arm]
        results[arm] = {}
        for fold in folds:
            name = registry.folds[fold.k].name
            connected = registry.describe(fold.k, without=[]).connected
            results[arm][fold.k] = rows = curve(registry, fold, refit, evidence, siblings)
            for n, m in rows.items():
                print(_row(arm, f"{_short(name)}{'' if connected else ' (no path)'}", n, m,
                           fold.likely), flush=True)  # fmt: skip
        for n in CURVE:
            print(_row(arm, "**pooled**", n, _pool([results[arm][f.k][n] for f in folds]),
                       float(np.mean([f.likely for f in folds]))))  # fmt: skip
            print(_row(arm, "pooled, with a path", n, _pool(
                [results[arm][f.k][n] for f in folds
                 if registry.describe(f.k, without=[]).connected]),
                float(np.mean([f.likely for f in folds]))))  # fmt: skip
    print()
    print(f"| arm: held out | N | recall at precision ≥ {PRECISION} (best threshold in hindsight) "
          "| that threshold |")  # fmt: skip
    print("|---|---|---|---|")
    for arm in results:
        for fold in folds:
            for n in (0, CURVE[-1]) if arm == "none" else (CURVE[-1],):
                m = results[arm][fold.k][n]
                recall, at = best_recall_at(m["scores"], m["y"], m["published"], PRECISION)
                print(f"| {arm}: {_short(registry.folds[fold.k].name)} | {n} | {recall:.3f} | "
                      f"{at:.2f} |")  # fmt: skip
    print()
    print("| arm: held out | N | candidates next to a confirmed pair | publisher's share | "
          "all undecided candidates | publisher's share |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    arm = next(iter(results))
    for fold in folds:
        n = 40
        near, near_y, every, every_y = results[arm][fold.k][n]["beside"]
        name = _short(registry.folds[fold.k].name)
        near_share, every_share = near_y / max(near, 1), every_y / max(every, 1)
        print(f"| {arm}: {name} | {n} | {near} | {near_share:.3f} | {every} | {every_share:.3f} |")
    print(f"ran in {time.perf_counter() - began:.1f} s")


def _short(name: str) -> str:
    return (name.replace("annex-nis2-regulation-2024-2690-with-technical-implementation-"
                         "guidance-by-enisa", "NIS2 annex")
            .replace("iso-iec-27001:2022", "ISO 27001"))  # fmt: skip


def _pool(ms: list[dict[str, Any]]) -> dict[str, Any]:
    out = {k: sum(m[k] for m in ms) for k in ("suggested", "hits", "published", "confirmed")}
    weights = [m["published"] for m in ms]
    out["r3"] = float(np.average([m["r3"] for m in ms], weights=weights))
    out["h3"] = float(np.average([m["h3"] for m in ms], weights=weights))
    for band in ("likely", "calibrated"):
        out[band] = {k: sum(m[band][k] for m in ms) for k in ("suggested", "hits", "published")}
    return out


def _row(arm: str, name: str, n: int, m: dict[str, Any], likely: float) -> str:
    p = m["hits"] / max(m["suggested"], 1)
    rc = m["hits"] / max(m["published"], 1)
    bands = []
    for band in ("likely", "calibrated"):
        lk = m[band]
        lp = lk["hits"] / max(lk["suggested"], 1)
        lr = lk["hits"] / max(lk["published"], 1)
        bands.append(f"{lk['suggested']} | {lp:.2f} | {lr:.2f}")
    return (f"| {arm} | {name} | {n} ({m['confirmed']}) | {m['suggested']} | {p:.2f} | "
            f"{rc:.2f} | {m['r3']:.2f} | {m['h3']:.2f} | {likely:.2f} | {bands[0]} | "
            f"{bands[1]} |")  # fmt: skip


if __name__ == "__main__":
    main()
