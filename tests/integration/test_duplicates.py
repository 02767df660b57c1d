"""Duplicate detection on the labelled set, and the life of a suggestion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analysis import decisions, duplicates
from analysis.duplicates import DEFAULT_MIN_SCORE, refresh
from analysis.encoder import Encoder
from graph.curation import repository as curation
from graph.curation import service
from graph.store import GraphStore
from schema.enums import CandidateKind, DecisionStatus
from tests.labelled import build_labelled_graph
from tests.support.decided import decide
from tests.support.units import system

INITIATIVE = CandidateKind.INITIATIVE
ALL = list(DecisionStatus)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture
def labelled(store: GraphStore) -> Iterator[tuple[GraphStore, dict[str, object]]]:
    data = build_labelled_graph(store, working_group="wg6")
    yield store, data


def _found(store: GraphStore, min_score: float) -> set[frozenset[str]]:
    found = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=min_score, limit=10_000
    )
    return {frozenset((c.a, c.b)) for c in found}


def test_default_threshold_meets_precision_and_recall_on_the_labelled_set(labelled, encoder):
    store, data = labelled
    report = refresh(system(store), INITIATIVE, encoder=encoder)
    assert report.records == len(data["initiatives"])
    assert report.embedded == len(data["initiatives"])
    truth = {frozenset(pair) for pair in data["duplicates"]}
    found = _found(store, DEFAULT_MIN_SCORE)
    hits = found & truth
    precision = len(hits) / len(found)
    recall = len(hits) / len(truth)
    assert precision >= 0.85, sorted(map(sorted, found - truth))
    assert recall >= 0.85, sorted(map(sorted, truth - found))
    languages = {i["id"]: i["language"] for i in data["initiatives"]}
    cross = {p for p in truth if len({languages[x] for x in p}) == 2}
    assert len(cross) >= 10
    assert len(cross & found) / len(cross) >= 0.85
    hard = {frozenset(pair) for pair in data["hard_negatives"]}
    assert not (hard & found), sorted(map(sorted, hard & found))


def test_each_candidate_carries_its_parts_and_a_readable_explanation(labelled, encoder):
    store, _ = labelled
    refresh(system(store), INITIATIVE, encoder=encoder)
    found = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=DEFAULT_MIN_SCORE
    )
    pair = next(c for c in found if {c.a, c.b} == {"cvd-charter", "charte-divulgation"})
    assert pair.a < pair.b
    assert pair.parts.cross_language is True
    assert pair.parts.semantic > 0.7
    assert "both implement cisa:vdp" in pair.explanation
    assert "EN↔FR" in pair.explanation or "FR↔EN" in pair.explanation
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)


def test_a_warm_refresh_embeds_nothing_and_a_changed_text_only_itself(labelled, encoder):
    store, _ = labelled
    first = refresh(system(store), INITIATIVE, encoder=encoder)
    again = refresh(system(store), INITIATIVE, encoder=encoder)
    assert again.embedded == 0
    assert again.candidates == first.candidates
    current = curation.browse.by_ids(store, "Initiative", ["iot-label"])["iot-label"]
    service.update_initiative(
        system(store),
        "iot-label",
        changes={"summary": "A label on connected devices giving the security support period."},
        version=current["version"],
        now=current_time(),
    )
    third = refresh(system(store), INITIATIVE, encoder=encoder)
    assert third.embedded == 1


def current_time():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_rejected_pairs_never_come_back_and_confirmed_ones_stay_visible(labelled, encoder):
    store, _ = labelled
    refresh(system(store), INITIATIVE, encoder=encoder)
    rejected = decide(
        store,
        "iot-label",
        "label-objets-connectes",
        DecisionStatus.REJECTED,
        note="different labels in the end",
    )
    assert rejected.status is DecisionStatus.REJECTED
    assert rejected.a == "iot-label" and rejected.b == "label-objets-connectes"
    assert rejected.score > 0.4  # the suggestion's score and parts are kept with the decision
    confirmed = decide(store, "cvd-charter", "charte-divulgation")
    assert confirmed.a == "charte-divulgation"  # stored in id order
    # Re-embed everything: change both texts of the rejected pair, refresh twice.
    for key in ("iot-label", "label-objets-connectes"):
        node = curation.browse.by_ids(store, "Initiative", [key])[key]
        service.update_initiative(
            system(store),
            key,
            changes={"title": node["title"] + " (v2)"},
            version=node["version"],
            now=current_time(),
        )
    refresh(system(store), INITIATIVE, encoder=encoder)
    refresh(system(store), INITIATIVE, encoder=encoder)
    pairs = decisions.list_candidates(store, INITIATIVE, statuses=ALL, min_score=0.0, limit=1000)
    by_pair = {frozenset((c.a, c.b)): c for c in pairs}
    assert (
        by_pair[frozenset(("iot-label", "label-objets-connectes"))].status
        is DecisionStatus.REJECTED
    )
    assert (
        by_pair[frozenset(("cvd-charter", "charte-divulgation"))].status is DecisionStatus.CONFIRMED
    )
    assert frozenset(("iot-label", "label-objets-connectes")) not in _found(store, 0.0)
    assert (
        decisions.count_candidates(
            store, INITIATIVE, statuses=[DecisionStatus.REJECTED], min_score=0.0
        )
        == 1
    )


def test_the_working_group_filter_keeps_pairs_it_tracks(labelled, encoder, store):
    store, _ = labelled
    refresh(system(store), INITIATIVE, encoder=encoder)
    inside = decisions.count_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=0.0, working_group="wg6"
    )
    outside = decisions.count_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=0.0, working_group="wg1"
    )
    assert inside > 0
    assert outside == 0


def test_deciding_a_pair_with_an_unknown_record_says_which(labelled):
    store, _ = labelled
    from schema.errors import NotFound

    with pytest.raises(NotFound) as info:
        decide(store, "iot-label", "nope", DecisionStatus.REJECTED, by="x")
    assert info.value.id == "nope"


assert duplicates.STORE_FLOOR < DEFAULT_MIN_SCORE
