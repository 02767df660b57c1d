"""Precision, recall and F1 of duplicate suggestions on the labelled set, per threshold.

Loads tests/data/duplicates-labelled.yaml into a fresh embedded graph, runs the analysis
as the product does, and compares the suggested pairs with the labelled ones (every pair
not listed as a duplicate is a non-duplicate). The default threshold is chosen from this.
Usage: python -m bench.calibrate_duplicates
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from analysis import decisions
from analysis.duplicates import DEFAULT_MIN_SCORE, refresh
from bench.common import machine
from graph.connect import GraphConfig, open_store
from schema.enums import CandidateKind, DecisionStatus
from tests.labelled import build_labelled_graph


def main() -> None:
    print(machine())
    store = open_store(GraphConfig(url=None, data_dir=Path(tempfile.mkdtemp())), graph="calib")
    store.apply_schema()
    data = build_labelled_graph(store)
    refresh(store, CandidateKind.INITIATIVE)
    found = decisions.list_candidates(
        store, CandidateKind.INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=0.0,
        limit=100_000,
    )  # fmt: skip
    truth = {frozenset(p) for p in data["duplicates"]}
    languages = {i["id"]: i["language"] for i in data["initiatives"]}
    cross = {p for p in truth if len({languages[x] for x in p}) == 2}
    print(f"{len(data['initiatives'])} initiatives, {len(truth)} duplicate pairs "
          f"({len(cross)} FR-EN), {len(data['hard_negatives'])} hard negatives")  # fmt: skip
    print("threshold  precision  recall  F1    recall FR-EN")
    for step in range(20, 61, 2):
        threshold = step / 100
        pairs = {frozenset((c.a, c.b)) for c in found if c.score >= threshold}
        hits = pairs & truth
        precision = len(hits) / len(pairs) if pairs else 1.0
        recall = len(hits) / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        mark = "  <- default" if abs(threshold - DEFAULT_MIN_SCORE) < 1e-9 else ""
        print(f"{threshold:9.2f}  {precision:9.2f}  {recall:6.2f}  {f1:4.2f}  "
              f"{len(pairs & cross) / len(cross):12.2f}{mark}")  # fmt: skip
    store.close()


if __name__ == "__main__":
    main()
