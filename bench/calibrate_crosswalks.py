"""Crosswalk inference calibrated by leaving one published crosswalk out at a time.

Imports the frameworks and every published crosswalk among them (../shared/datasets/
crosswalks, with Cisco CCF and NIST SSDF from ../shared/datasets) through the product's
import path into a fresh embedded graph, and embeds the requirements as the product does.
Then, for each crosswalk in turn: its pairs are taken out of the evidence, the candidate
pairs between its two frameworks are described exactly as a refresh describes them, and a
model fitted on the other crosswalks only (each described with itself and the held-out one
taken out) scores them at a threshold chosen on those other crosswalks. Reported per
held-out crosswalk and pooled: precision and recall at that threshold, and recall@3 per
source requirement (of the publisher's targets of each source requirement, the share among
its three best suggestions; hit@3: at least one is). Beside the model: the same fitted on
the text features only, and on the path features only.

`--write` stores the model fitted on every crosswalk (threshold from the pooled held-out
scores) as analysis/crosswalk_model.json. The datasets are test input beside the project,
never copied into it.
Usage: python -m bench.calibrate_crosswalks [--datasets DIR] [--write]
"""

from __future__ import annotations

import argparse
import json
import pickle
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from analysis import crosswalk_features as features
from analysis import crosswalk_inference as inference
from analysis import crosswalk_paths as paths
from analysis import duplicates
from analysis.crosswalk_model import MODEL_PATH, Model
from analysis.encoder import Encoder, text_sha
from bench.common import machine
from graph.analysis import repository as repo
from graph.connect import GraphConfig, open_store
from graph.crosswalk_evidence import repository as evidence_repo
from importers.pipeline import run_import
from schema.enums import CandidateKind

FRAMEWORKS = (
    "crosswalks/iso27001-2022.yaml",
    "crosswalks/nist-csf-2.0.yaml",
    "crosswalks/annex-nis2-regulation--2024-2690-with-technical-implementation-guidance-by-enisa.yaml",
    "crosswalks/scf-2025.2.2.yaml",
    "crosswalks/nist-sp-800-53-rev5.yaml",
    "ciso-assistant-cisco-ccf-v3.0.yaml",
    "ciso-assistant-nist-ssdf-1.1.yaml",
)
CROSSWALKS = "crosswalks/mapping-*.yaml"
EXTRA_CROSSWALKS = ("ciso-assistant-mapping-cisco-ccf-v3.0-and-nist-ssdf-1.1.yaml",)
TEXT = ("context", "text_rank_best", "text_rank_worst")
PATH = tuple(f for f in features.FEATURES if f not in TEXT and not f.startswith("hubs_"))
MODELS = {"text and paths": features.FEATURES, "text only": TEXT, "paths only": PATH}


@dataclass
class Fold:
    """One published crosswalk: its two sources and its pairs (publisher's direction)."""

    name: str
    sources: tuple[int, int]
    pairs: set[tuple[int, int]]


@dataclass
class Described:
    """The candidates of a fold's source pair, described with some crosswalks held out."""

    a: np.ndarray[Any, Any]
    b: np.ndarray[Any, Any]
    x: np.ndarray[Any, Any]
    y: np.ndarray[Any, Any]
    connected: bool


class Registry:
    """The imported frameworks and crosswalks, read once; folds described on demand."""

    def __init__(self, rows: list[dict[str, Any]], vectors: Any, edges: list[dict[str, Any]]):
        self.rows, self.vectors, self.edges = rows, vectors, edges
        self.parents = inference.parents_of(rows)
        whole = paths.build(rows, edges)
        self.source_of, self.sources = whole.source_of, whole.sources
        position = {row["id"]: n for n, row in enumerate(rows)}
        self.position = position
        grouped: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
        for edge in edges:
            i, j = position[edge["a"]], position[edge["b"]]
            key = tuple(sorted((int(self.source_of[i]), int(self.source_of[j]))))
            grouped[(key[0], key[1])].add((i, j))
        self.folds = [
            Fold(f"{self.sources[s]} ↔ {self.sources[t]}", (s, t), pairs)
            for (s, t), pairs in sorted(grouped.items())
        ]
        self._cache: dict[tuple[int, ...], Described] = {}

    def describe(self, fold: int, *, without: Sequence[int]) -> Described:
        key = (fold, *sorted(set(without) | {fold}))
        if key not in self._cache:
            out = {frozenset(self.folds[k].sources) for k in key[1:]}
            kept = [e for e in self.edges if frozenset(self._ends(e)) not in out]
            evidence = paths.build(self.rows, kept)
            seen = features.views(evidence, self.vectors, self.parents)
            s, t = self.folds[fold].sources
            found = features.candidates(evidence, seen, evidence.members(s), evidence.members(t))
            truth = {frozenset(p) for p in self.folds[fold].pairs}
            y = np.asarray(
                [
                    frozenset((int(i), int(j))) in truth
                    for i, j in zip(found.a, found.b, strict=True)
                ]
            )
            self._cache[key] = Described(found.a, found.b, found.features, y, found.connected)
        return self._cache[key]

    def _ends(self, edge: dict[str, Any]) -> tuple[int, int]:
        ids = self.position
        return int(self.source_of[ids[edge["a"]]]), int(self.source_of[ids[edge["b"]]])


def fit(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> Callable[[Any], Any]:
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=5000).fit((x - means) / scales, y)
    predict = lambda rows: model.predict_proba((rows - means) / scales)[:, 1]  # noqa: E731
    predict.parameters = (means, scales, model.coef_[0], float(model.intercept_[0]))  # type: ignore[attr-defined]
    return predict


def best_threshold(
    scored: Sequence[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]],
) -> float:
    """The threshold with the best pooled F1 over (scores, labels, published pairs) folds."""
    best, chosen = -1.0, 0.5
    for threshold in np.round(np.arange(0.02, 0.95, 0.01), 2):
        hits = sum(int(((p >= threshold) & y).sum()) for p, y, _ in scored)
        picked = sum(int((p >= threshold).sum()) for p, _, _ in scored)
        total = sum(n for _, _, n in scored)
        precision, recall = hits / max(picked, 1), hits / max(total, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        if f1 > best:
            best, chosen = f1, float(threshold)
    return chosen


def _kept(d: Described, scores: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The scores of the pairs a refresh keeps (each end's best few), zero for the others."""
    return np.where(features.best_of_each_end(d.a, d.b, scores), scores, 0.0)


def recall_at_3(fold: Fold, d: Described, scores: np.ndarray[Any, Any]) -> tuple[float, float]:
    """Mean over the publisher's source requirements of the share of its targets among its
    three best-scored candidates (of at most three), and the share with at least one."""
    targets: dict[int, set[int]] = defaultdict(set)
    for i, j in fold.pairs:
        targets[i].add(j)
    ranked: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for a, b, p in zip(d.a.tolist(), d.b.tolist(), scores.tolist(), strict=True):
        for source, target in ((a, b), (b, a)):
            if source in targets:
                ranked[source].append((p, target))
    shares, hits = [], []
    for source, wanted in targets.items():
        top = {t for _, t in sorted(ranked.get(source, []), reverse=True)[:3]}
        shares.append(len(top & wanted) / min(3, len(wanted)))
        hits.append(bool(top & wanted))
    return float(np.mean(shares)), float(np.mean(hits))


def evaluate(registry: Registry, columns: Sequence[str]) -> tuple[list[dict[str, Any]], Any]:
    """Leave-one-crosswalk-out rows for the model on `columns`; and the pooled scores."""
    pick = [features.FEATURES.index(c) for c in columns]
    folds = range(len(registry.folds))
    out, pooled = [], []
    for k in folds:
        train = [registry.describe(j, without=[k]) for j in folds if j != k]
        model = fit(np.vstack([d.x[:, pick] for d in train]), np.concatenate([d.y for d in train]))
        threshold = best_threshold(
            [(_kept(d, model(d.x[:, pick])), d.y, len(registry.folds[j].pairs))
             for j, d in zip([j for j in folds if j != k], train, strict=True)]
        )  # fmt: skip
        held = registry.describe(k, without=[])
        scores = model(held.x[:, pick])
        chosen = _kept(held, scores) >= threshold
        hits, total = int((chosen & held.y).sum()), len(registry.folds[k].pairs)
        r3, h3 = recall_at_3(registry.folds[k], held, scores)
        out.append({
            "fold": registry.folds[k].name, "connected": held.connected, "threshold": threshold,
            "suggested": int(chosen.sum()), "hits": hits, "published": total,
            "reached": int(held.y.sum()), "r3": r3, "h3": h3,
        })  # fmt: skip
        pooled.append((_kept(held, scores), held.y, total))
    return out, pooled


def shipped(registry: Registry, pooled: Any) -> Model:
    """The model fitted on every crosswalk, with the threshold the held-out scores chose."""
    described = [registry.describe(k, without=[]) for k in range(len(registry.folds))]
    model = fit(np.vstack([d.x for d in described]), np.concatenate([d.y for d in described]))
    means, scales, coefficients, intercept = model.parameters  # type: ignore[attr-defined]
    return Model(
        features=features.FEATURES, means=means, scales=scales, coefficients=coefficients,
        intercept=intercept, threshold=best_threshold(pooled),
        version=f"crosswalk-{time.strftime('%Y%m%d')}-{len(registry.folds)}folds",
    )  # fmt: skip


def load(datasets: Path, cache: Path | None) -> Registry:
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            return Registry(*pickle.load(handle))
    store = open_store(GraphConfig(url=None, data_dir=Path(tempfile.mkdtemp())), graph="xwalk")
    store.apply_schema()
    began = time.perf_counter()
    for name in FRAMEWORKS:
        run_import(store, datasets / name)
    for path in [*sorted(datasets.glob(CROSSWALKS)), *(datasets / n for n in EXTRA_CROSSWALKS)]:
        run_import(store, path)
    print(f"imported in {time.perf_counter() - began:.1f} s")
    rows = repo.records(store, CandidateKind.RECOMMENDATION.value)
    texts = [duplicates.compose(row) for row in rows]
    shas = [text_sha(t) for t in texts]
    vectors = duplicates._vectors(
        store, CandidateKind.RECOMMENDATION, rows, texts, shas, list(range(len(rows))),
        Encoder(), None,
    )  # fmt: skip
    edges = evidence_repo.evidence(store)
    store.close()
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump((rows, vectors, edges), handle)
    return Registry(rows, vectors, edges)


def table(rows: list[dict[str, Any]], label: str) -> list[str]:
    lines = []
    for r in [*rows, _pooled(rows)]:
        precision = r["hits"] / max(r["suggested"], 1)
        recall = r["hits"] / max(r["published"], 1)
        lines.append(
            f"| {label} | {r['fold']}{'' if r['connected'] else ' (no path: text only)'} | "
            f"{r['published']} | {r['reached'] / max(r['published'], 1):.2f} | "
            f"{r['threshold']:.2f} | {r['suggested']} | {precision:.2f} | {recall:.2f} | "
            f"{r['r3']:.2f} | {r['h3']:.2f} |"
        )
    return lines


def _pooled(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = {k: sum(r[k] for r in rows) for k in ("suggested", "hits", "published", "reached")}
    connected = [r for r in rows if r["connected"]]
    weights = [r["published"] for r in rows]
    return total | {
        "fold": f"**pooled** ({len(connected)} of {len(rows)} with a path)",
        "connected": True,
        "threshold": float(np.mean([r["threshold"] for r in rows])),
        "r3": float(np.average([r["r3"] for r in rows], weights=weights)),
        "h3": float(np.average([r["h3"] for r in rows], weights=weights)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--write", action="store_true", help="store the fitted model")
    parser.add_argument(
        "--cache", type=Path, help="keep what was imported and embedded in this file, and reuse it"
    )
    args = parser.parse_args()
    print(machine())
    registry = load(args.datasets, args.cache)
    print(f"{len(registry.rows)} requirements, {len(registry.edges)} published pairs, "
          f"{len(registry.folds)} crosswalks")  # fmt: skip
    print("| model | held out | published pairs | reached | threshold | suggested | "
          "precision | recall | recall@3 | hit@3 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    pooled_full = None
    for label, columns in MODELS.items():
        rows, pooled = evaluate(registry, columns)
        print("\n".join(table(rows, label)))
        if columns == features.FEATURES:
            pooled_full = pooled
            connected = [r for r in rows if r["connected"]]
            print("| " + label + " | " + _line(_pooled(connected), "pooled, connected only"))
    if args.write and pooled_full is not None:
        model = shipped(registry, pooled_full)
        MODEL_PATH.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} (threshold {model.threshold})")


def _line(r: dict[str, Any], name: str) -> str:
    precision = r["hits"] / max(r["suggested"], 1)
    recall = r["hits"] / max(r["published"], 1)
    return (f"{name} | {r['published']} | {r['reached'] / max(r['published'], 1):.2f} | "
            f"{r['threshold']:.2f} | {r['suggested']} | {precision:.2f} | {recall:.2f} | "
            f"{r['r3']:.2f} | {r['h3']:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
