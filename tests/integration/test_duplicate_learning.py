"""A registry's duplicate scores follow its own base rate and learn from its decisions
(analysis/base_rate.py), and what it learned travels with an export."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from analysis import base_rate, decided_groups, decisions, duplicate_model
from analysis.duplicates import DEFAULT_MIN_SCORE, STORE_FLOOR, refresh
from analysis.encoder import Encoder
from graph.store import GraphStore
from importers.pipeline import run_import
from importers.registry import export
from schema.enums import CandidateBand, CandidateKind, DecisionStatus
from tests.conftest import new_falkor_store
from tests.labelled import HOLDOUT_5, build_labelled_graph, load_calibration, load_holdout
from tests.support.decided import decide
from tests.support.units import system

INITIATIVE = CandidateKind.INITIATIVE


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def _scores(store: GraphStore) -> dict[frozenset[str], float]:
    """The stored suggestions' scores (compared pairs below the floor are not compared:
    recomputed embeddings may block a few marginal pairs differently)."""
    found = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=STORE_FLOOR, limit=10_000
    )
    return {frozenset((c.a, c.b)): float(c.score or 0.0) for c in found}


def _possible(store: GraphStore) -> list[frozenset[str]]:
    """Suggested pairs below the threshold, best first: what a reviewer decides next."""
    scores = _scores(store)
    below = [p for p, s in scores.items() if s < DEFAULT_MIN_SCORE]
    return sorted(below, key=lambda p: (-scores[p], sorted(p)))


def _decide_truthfully(
    store: GraphStore,
    pairs: Iterable[frozenset[str]],
    truth: set[frozenset[str]],
    *,
    by: str = "co-chair",
) -> None:
    """A reviewer confirms each pair that is a true duplicate and rejects the others."""
    for pair in pairs:
        a, b = sorted(pair)
        status = DecisionStatus.CONFIRMED if pair in truth else DecisionStatus.REJECTED
        decide(store, a, b, status, by=by)


@contextmanager
def _moved(
    store: GraphStore, engine_port: int, folder: Path, encoder: Encoder
) -> Iterator[tuple[GraphStore, dict[str, Any]]]:
    """The registry exported, imported into a fresh graph of the embedded engine and refreshed
    there: that graph and what its refresh learned."""
    path = folder / "registry.json"
    path.write_text(json.dumps(export(store)), encoding="utf-8")
    moved = new_falkor_store(engine_port)
    try:
        run_import(moved, path)
        yield moved, refresh(system(moved), INITIATIVE, encoder=encoder).calibration
    finally:
        moved.clear()
        moved.close()


def test_a_refresh_reports_the_registry_prior_it_adjusted_to(
    store: GraphStore, encoder: Encoder
) -> None:
    build_labelled_graph(store)
    report = refresh(system(store), INITIATIVE, encoder=encoder)
    learned = report.calibration
    assert 0.0 < learned["prior"] < 1.0
    assert learned["training_prior"] == pytest.approx(0.5176)
    assert (learned["slope"], learned["offset"]) == (1.0, 0.0)  # nobody decided yet
    assert (learned["confirmed"], learned["rejected"]) == (0, 0)
    again = refresh(system(store), INITIATIVE, encoder=encoder)
    assert again.unchanged and again.calibration == learned


def test_decisions_are_learned_by_the_next_refresh(store: GraphStore, encoder: Encoder) -> None:
    data = build_labelled_graph(store, data=load_calibration())
    truth = {frozenset(p) for p in data["duplicates"]}
    refresh(system(store), INITIATIVE, encoder=encoder)
    before = _scores(store)
    below = _possible(store)
    confirm = [p for p in below if p in truth][:3]
    reject = [p for p in below if p not in truth][:1]
    assert confirm and reject
    _decide_truthfully(store, confirm + reject, truth)
    report = refresh(system(store), INITIATIVE, encoder=encoder)
    assert not report.unchanged
    assert (report.calibration["confirmed"], report.calibration["rejected"]) == (3, 1)
    assert report.calibration["offset"] > 0  # pairs confirmed below the threshold raise it
    after = _scores(store)
    assert not (set(confirm) | set(reject)) & set(after)  # decided pairs are no suggestions
    rising = [p for p in after if p in before and STORE_FLOOR <= before[p] < DEFAULT_MIN_SCORE]
    assert rising and all(after[p] > before[p] for p in rising)
    # A rejected pair never comes back, and turning a confirmation into a rejection is
    # learned too (the decision changed, not the set of decided pairs).
    decide(store, *sorted(confirm[0]), DecisionStatus.REJECTED)
    flipped = refresh(system(store), INITIATIVE, encoder=encoder)
    assert not flipped.unchanged
    assert (flipped.calibration["confirmed"], flipped.calibration["rejected"]) == (2, 2)
    assert flipped.calibration["offset"] < report.calibration["offset"]
    assert not (set(confirm) | set(reject)) & set(_scores(store))


def test_what_a_registry_learned_survives_export_and_a_move_to_another_engine(
    store: GraphStore, encoder: Encoder, engine_port: int, tmp_path: Path
) -> None:
    data = build_labelled_graph(store, data=load_calibration())
    truth = {frozenset(p) for p in data["duplicates"]}
    refresh(system(store), INITIATIVE, encoder=encoder)
    below = _possible(store)
    chosen = [p for p in below if p in truth][:2] + [p for p in below if p not in truth][:2]
    _decide_truthfully(store, chosen, truth)
    learned = refresh(system(store), INITIATIVE, encoder=encoder).calibration
    scores = _scores(store)
    with _moved(store, engine_port, tmp_path, encoder) as (moved, again):
        local, moved_local = learned.pop("local"), again.pop("local")  # the decisions' offsets
        assert moved_local == pytest.approx(local, abs=1e-3)
        assert again == pytest.approx(learned, rel=1e-3, abs=1e-3)  # embeddings recomputed
        assert (again["confirmed"], again["rejected"]) == (2, 2)
        assert _scores(moved) == pytest.approx(scores, abs=1e-3)


def test_decisions_settle_the_pairs_they_imply(store: GraphStore, encoder: Encoder) -> None:
    """A duplicate of a duplicate is one (a refresh suggests it, and says through whom); what
    is confirmed the same as an initiative a person told apart from another is not that
    other either, however alike the wording (analysis/decided_groups.py)."""
    build_labelled_graph(store, data=load_holdout(HOLDOUT_5))  # development data now
    community, english, short = (
        "robots-dispensation-officines", "pharmacy-dispensing-robots", "dispensing-robots-short",
    )  # fmt: skip
    hospital = "robots-dispensation-hopitaux"  # community pharmacies or hospital ones
    refresh(system(store), INITIATIVE, encoder=encoder)
    decide(store, community, english, DecisionStatus.CONFIRMED)
    decide(store, english, short, DecisionStatus.CONFIRMED)
    decide(store, community, hospital, DecisionStatus.REJECTED)
    refresh(system(store), INITIATIVE, encoder=encoder)
    joined = decisions.get_pair(store, INITIATIVE, community, short)
    assert joined is not None and (joined.score or 0.0) >= decided_groups.TOGETHER
    assert {"k": "together", "ids": [english]} in (joined.reasons or [])
    assert f"both confirmed duplicates of {english}" in joined.explanation
    scores = _scores(store)
    for other in (english, short):  # told apart through the community pharmacies' text
        assert frozenset((other, hospital)) not in scores
    everything = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=0.0, limit=10_000
    )
    compared = {frozenset((c.a, c.b)): c.score for c in everything}
    assert compared[frozenset((english, hospital))] == pytest.approx(0.01, abs=1e-3)  # packed
    # a co-chair who then says the group was wrong (community ≠ short) contests it: the
    # pairs it implied go back to their own scores
    decide(store, community, short, DecisionStatus.REJECTED)
    refresh(system(store), INITIATIVE, encoder=encoder)
    assert frozenset((english, hospital)) in _scores(store)


def test_decisions_on_a_merged_initiative_count_for_the_one_it_went_into(
    store: GraphStore, encoder: Encoder
) -> None:
    """Merging is what follows a confirmation; it archives the merged initiative, and its
    decisions must keep counting: a pair they kept apart came back at 0.999 once they
    stopped (analysis/duplicates._followed)."""
    build_labelled_graph(store, data=load_holdout(HOLDOUT_5))
    community, english, short = (
        "robots-dispensation-officines", "pharmacy-dispensing-robots", "dispensing-robots-short",
    )  # fmt: skip
    hospital = "robots-dispensation-hopitaux"
    refresh(system(store), INITIATIVE, encoder=encoder)
    decide(store, community, english, DecisionStatus.CONFIRMED)
    decide(store, english, short, DecisionStatus.CONFIRMED)
    decide(store, english, hospital, DecisionStatus.REJECTED)
    refresh(system(store), INITIATIVE, encoder=encoder)
    version = store.read("MATCH (n:Initiative {id: $id}) RETURN n.version AS v", {"id": english})
    decisions.merge_initiatives(
        system(store), survivor=community, merged=english, merged_version=version[0]["v"],
        by="co-chair",
    )  # fmt: skip
    refresh(system(store), INITIATIVE, encoder=encoder)
    # short was confirmed the same as the merged text: still suggested, to be merged too
    joined = decisions.get_pair(store, INITIATIVE, community, short)
    assert joined is not None and (joined.score or 0.0) >= decided_groups.TOGETHER
    assert {"k": "together", "ids": [english]} in (joined.reasons or [])
    # the rejection made on the merged text holds for the one it went into, and for short
    scores = _scores(store)
    assert frozenset((community, hospital)) not in scores
    assert frozenset((short, hospital)) not in scores
    compared = {
        frozenset((c.a, c.b)): c.score
        for c in decisions.list_candidates(
            store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=0.0, limit=10_000
        )
    }
    assert compared.get(frozenset((short, hospital)), 0.0) <= decided_groups.APART + 1e-3


def test_the_batch_written_after_fitting_with_and_without_decisions(
    store: GraphStore, encoder: Encoder
) -> None:
    """The independent check on every landing: floors a little under what
    bench/duplicates_base_rate.py measures on the holdout batch (BENCHMARKS.md)."""
    data = build_labelled_graph(store, data=load_holdout())
    truth = {frozenset(p) for p in data["duplicates"]}
    refresh(system(store), INITIATIVE, encoder=encoder)

    def measured(decided: set[frozenset[str]]) -> tuple[float, float]:
        found = {p for p, s in _scores(store).items() if s >= DEFAULT_MIN_SCORE} - decided
        hits = found & truth
        return len(hits) / max(1, len(found)), len(hits) / len(truth - decided)

    precision, recall = measured(set())
    assert recall >= 0.85 and precision >= 0.65, (precision, recall)
    # A co-chair works through the possible band, most uncertain first, truthfully.
    decided: set[frozenset[str]] = set()
    for _ in range(6):
        possible = decisions.list_candidates(
            store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], limit=1,
            **decisions.band_filters(INITIATIVE, CandidateBand.POSSIBLE, None),
        )  # fmt: skip
        if not possible:
            break
        pair = frozenset((possible[0].a, possible[0].b))
        _decide_truthfully(store, [pair], truth, by="x")
        decided.add(pair)
    learned = refresh(system(store), INITIATIVE, encoder=encoder).calibration
    assert learned["confirmed"] + learned["rejected"] == len(decided) > 0
    after_precision, after_recall = measured(decided)
    assert after_recall >= 0.85 and after_precision >= precision - 0.05
    assert not decided & set(_scores(store))  # decided pairs, rejected ones too, stay out


def test_enough_decisions_refit_the_weights_and_they_travel_with_an_export(
    store: GraphStore, encoder: Encoder, engine_port: int, tmp_path: Path
) -> None:
    """From WEIGHTS_FROM decisions on, a refresh refits the feature weights (the shipped
    ones as the prior), and the learned weights are recomputed the same after a move to
    another engine (they are made from the decisions an export carries)."""
    data = build_labelled_graph(store, data=load_calibration())
    truth = {frozenset(p) for p in data["duplicates"]}
    refresh(system(store), INITIATIVE, encoder=encoder)
    scores = _scores(store)
    ranked = sorted(scores, key=lambda p: (abs(scores[p] - DEFAULT_MIN_SCORE), sorted(p)))
    true = [p for p in ranked if p in truth][: base_rate.WEIGHTS_FROM // 2]
    false = [p for p in ranked if p not in truth][: base_rate.WEIGHTS_FROM // 2]
    assert len(true) + len(false) == base_rate.WEIGHTS_FROM
    _decide_truthfully(store, true + false, truth)
    learned = refresh(system(store), INITIATIVE, encoder=encoder).calibration
    shipped = duplicate_model.load()
    assert learned.get("coefficients") is not None
    assert len(learned["coefficients"]) == len(shipped.coefficients)
    assert learned["coefficients"] != pytest.approx(list(shipped.coefficients), abs=1e-3)
    assert (learned["confirmed"], learned["rejected"]) == (len(true), len(false))
    with _moved(store, engine_port, tmp_path, encoder) as (_, again):
        assert again["coefficients"] == pytest.approx(learned["coefficients"], abs=1e-3)


def test_every_compared_pair_has_a_retrievable_score(store: GraphStore, encoder: Encoder) -> None:
    """From a min_score of 0 a list shows every pair blocking compared, not only the
    suggestions stored from STORE_FLOOR up: the others follow them, best first, page after
    page, and a decision on one of them takes it out at once."""
    build_labelled_graph(store)
    report = refresh(system(store), INITIATIVE, encoder=encoder)
    statuses = [DecisionStatus.CANDIDATE]
    everything = decisions.list_candidates(
        store, INITIATIVE, statuses=statuses, min_score=0.0, limit=1_000_000
    )
    assert len(everything) == report.compared > report.stored
    assert decisions.count_candidates(store, INITIATIVE, statuses=statuses, min_score=0.0) == len(
        everything
    )
    scores = [float(c.score or 0.0) for c in everything]
    assert scores == sorted(scores, reverse=True)
    below = [c for c in everything if float(c.score or 0.0) < STORE_FLOOR]
    assert len(everything) - len(below) == report.stored
    assert len({frozenset((c.a, c.b)) for c in everything}) == len(everything)
    assert all(c.a < c.b for c in below)  # ends in id order, as stored suggestions
    cut = report.stored - 3  # a page across the floor, and the next one
    first = decisions.list_candidates(
        store, INITIATIVE, statuses=statuses, min_score=0.0, skip=cut, limit=5
    )
    second = decisions.list_candidates(
        store, INITIATIVE, statuses=statuses, min_score=0.0, skip=cut + 5, limit=5
    )
    assert [(c.a, c.b) for c in first + second] == [(c.a, c.b) for c in everything[cut : cut + 10]]
    assert decisions.list_candidates(
        store, INITIATIVE, statuses=statuses, min_score=0.05, limit=1_000_000
    ) == [c for c in everything if float(c.score or 0.0) >= 0.05]
    rejected = below[0]
    decide(store, rejected.a, rejected.b, DecisionStatus.REJECTED)
    again = decisions.list_candidates(
        store, INITIATIVE, statuses=statuses, min_score=0.0, limit=1_000_000
    )
    assert len(again) == len(everything) - 1
    assert (rejected.a, rejected.b) not in {(c.a, c.b) for c in again}
