"""The duplicate model on the calibration set: held out, through the graph, and its words.

Floors sit a little under what bench/calibrate_duplicates.py measures (BENCHMARKS.md):
a change to the features, the glossary or the encoder that loses duplicates fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from analysis import decisions
from analysis.duplicates import DEFAULT_MIN_SCORE, STORE_FLOOR, refresh
from analysis.encoder import Encoder
from bench import calibrate_duplicates as calibration
from graph.store import GraphStore
from schema.enums import CandidateKind, DecisionStatus
from tests.labelled import build_labelled_graph, load_calibration
from tests.support.units import system

INITIATIVE = CandidateKind.INITIATIVE


@pytest.fixture(scope="module")
def prepared() -> calibration.Prepared:
    return calibration.prepare(folds=5)  # the set alone, among 2,000 and among 10,000


def _rates(counts: dict[str, int]) -> tuple[float, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return tp / (tp + fp), tp / (tp + fn)


def test_the_set_is_as_hard_as_described() -> None:
    data = load_calibration()
    languages = {item["id"]: item["language"] for item in data["initiatives"]}
    pairings = [frozenset(languages[x] for x in pair) for pair in data["duplicates"]]
    assert len(data["initiatives"]) >= 150
    assert len(data["duplicates"]) >= 60
    assert pairings.count(frozenset({"fr"})) >= 12
    assert pairings.count(frozenset({"en"})) >= 12
    assert len(data["hard_negatives"]) >= 50


def test_blocking_brings_every_labelled_pair_to_scoring(prepared: calibration.Prepared) -> None:
    found, total = calibration.blocking_recall(prepared)  # the set alone: every pair
    assert (found, total) == (total, len(prepared.truth))
    for background in prepared.backgrounds[1:]:  # among generated initiatives: 99 %
        # (a one-line restatement loses its place among ten neighbours in a crowd)
        found, total = calibration.blocking_recall(prepared, background)
        assert found >= 0.99 * total, (background, found, total)
    # ...while scoring only a small share of all pairs.
    everything = len(prepared.ids) * (len(prepared.ids) - 1) // 2
    assert (prepared.density == 0).sum() < everything / 5


def test_held_out_precision_and_recall_stay_above_their_floors(
    prepared: calibration.Prepared,
) -> None:
    rows = calibration.evaluate(prepared, folds=5)["rows"]
    precision, recall = _rates(rows["all"])
    assert precision >= 0.88 and recall >= 0.85, (precision, recall)
    # Per pairing, a little under what the benchmark measures (BENCHMARKS.md). FR-FR is
    # below the 0.9 target since the third French batch: paraphrases on sub-topics the
    # glossary has no words for (one FR-FR pair of 40 is 0.025 of recall).
    floors = {"FR↔EN": (0.9, 0.9), "FR-FR": (0.85, 0.7), "EN-EN": (0.83, 0.88)}
    for pairing, (least_precision, least_recall) in floors.items():
        precision, recall = _rates(rows[pairing])
        assert precision >= least_precision and recall >= least_recall, (
            pairing, precision, recall,
        )  # fmt: skip
    # In a crowded registry (the set among 10,000 generated initiatives) it still holds.
    precision, recall = _rates(rows["all among 10,000"])
    assert precision >= 0.92 and recall >= 0.78, (precision, recall)


def test_the_model_beats_the_score_it_replaced_on_the_same_set(
    prepared: calibration.Prepared,
) -> None:
    new = calibration.evaluate(prepared, folds=5)["rows"]["all"]
    old = calibration.previous_scorer(folds=5)["all"]
    assert _rates(new)[1] > _rates(old)[1] + 0.1  # recall, held out vs in sample


@pytest.fixture
def calibrated(store: GraphStore) -> Iterator[tuple[GraphStore, dict[str, Any]]]:
    data = build_labelled_graph(store, working_group="wg6", data=load_calibration())
    yield store, data


def test_the_product_finds_the_labelled_duplicates_on_each_engine(calibrated) -> None:
    store, data = calibrated
    report = refresh(system(store), INITIATIVE, encoder=Encoder())
    found = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=DEFAULT_MIN_SCORE,
        limit=10_000,
    )  # fmt: skip
    pairs = {frozenset((c.a, c.b)) for c in found}
    truth = {frozenset(p) for p in data["duplicates"]}
    hits = pairs & truth
    assert len(hits) / len(pairs) >= 0.92, sorted(map(sorted, pairs - truth))
    assert len(hits) / len(truth) >= 0.84, sorted(map(sorted, truth - pairs))
    # One count everywhere: the refresh report, the API's totalCount and the lists.
    counted = decisions.count_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=DEFAULT_MIN_SCORE
    )
    assert report.candidates == counted == len(found)
    assert report.stored >= report.candidates
    assert report.threshold == DEFAULT_MIN_SCORE > STORE_FLOOR

    # Explanations name the shared concepts, and what differs.
    found = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=STORE_FLOOR,
        limit=10_000,
    )  # fmt: skip
    by_pair = {frozenset((c.a, c.b)): c for c in found}
    pair = by_pair[frozenset(("cvd-charter", "charte-divulgation"))]
    assert pair.explanation.startswith("shared concepts: ")
    assert "coordinated disclosure" in pair.explanation
    assert "EN↔FR" in pair.explanation or "FR↔EN" in pair.explanation
    # A hard negative: same kind of team, other sector; the explanation says what differs.
    sectors = by_pair[frozenset(("csirt-energy", "sector-csirt-health"))]
    assert "different audiences: energy sector / health sector" in sectors.explanation
    assert sectors.score is not None and sectors.score < DEFAULT_MIN_SCORE


def test_a_decision_on_a_pair_never_suggested_stores_no_score(store: GraphStore) -> None:
    build_labelled_graph(store)  # the small set is enough: two unrelated initiatives
    refresh(system(store), INITIATIVE, encoder=Encoder())
    a, b = "bug-bounty-cities", "update-signing"  # unrelated: never suggested
    assert decisions.get_pair(store, INITIATIVE, a, b) is None
    decided = decisions.decide(
        system(store), INITIATIVE, a=a, b=b, status=DecisionStatus.REJECTED, by="cochair"
    )
    assert decided.score is None
    again = decisions.get_pair(store, INITIATIVE, a, b)
    assert again is not None and again.score is None and again.status is DecisionStatus.REJECTED
    listed = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.REJECTED], min_score=0.9
    )
    assert [(c.a, c.b, c.score) for c in listed] == [(a, b, None)]
