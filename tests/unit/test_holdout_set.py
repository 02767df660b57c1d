"""The batch written after the duplicate model was fitted stays apart from its training set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.labelled import (
    CONTRASTS,
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


def test_the_holdout_batch_is_well_formed_and_was_never_fitted_on() -> None:
    held = load_holdout()
    ids = [item["id"] for item in held["initiatives"]]
    assert len(ids) == len(set(ids)) >= 25
    fitted = {item["id"] for item in load_calibration()["initiatives"]}
    assert not fitted & set(ids)
    for pair in held["duplicates"] + held["hard_negatives"]:
        assert len(pair) == 2 and set(pair) <= set(ids), pair
    languages = {item["id"]: item["language"] for item in held["initiatives"]}
    pairings = [frozenset(languages[x] for x in pair) for pair in held["duplicates"]]
    assert sum(p == {"en", "fr"} for p in pairings) >= 10
    assert len(held["duplicates"]) >= 15 and len(held["hard_negatives"]) >= 8


def test_the_second_holdout_batch_is_well_formed_and_apart_from_every_other_set() -> None:
    held = load_holdout(HOLDOUT_2)
    ids = [item["id"] for item in held["initiatives"]]
    assert len(ids) == len(set(ids)) >= 30
    earlier = load_calibration()["initiatives"] + load_holdout()["initiatives"]
    seen = {item["id"] for item in earlier}
    assert not seen & set(ids)
    for pair in held["duplicates"] + held["hard_negatives"]:
        assert len(pair) == 2 and set(pair) <= set(ids), pair
    languages = {item["id"]: item["language"] for item in held["initiatives"]}
    pairings = [frozenset(languages[x] for x in pair) for pair in held["duplicates"]]
    assert pairings.count(frozenset({"en", "fr"})) == 12
    assert pairings.count(frozenset({"fr"})) == 3 and pairings.count(frozenset({"en"})) == 2
    assert len(held["hard_negatives"]) == 12
    assert {"en", "fr"} == set(languages.values())
    assert min(len(i["summary"].split()) for i in held["initiatives"]) < 12  # one-liners too


def test_the_third_holdout_batch_is_well_formed_and_apart_from_every_other_set() -> None:
    held = load_holdout(HOLDOUT_3)
    ids = [item["id"] for item in held["initiatives"]]
    assert len(ids) == len(set(ids)) == 31
    earlier = (
        load_calibration()["initiatives"]
        + load_holdout()["initiatives"]
        + load_holdout(HOLDOUT_2)["initiatives"]
    )
    assert not {item["id"] for item in earlier} & set(ids)
    # no text of another set either: the same words under a new id would not be held out
    texts = {(item["title"], item["summary"]) for item in earlier}
    assert not texts & {(item["title"], item["summary"]) for item in held["initiatives"]}
    for pair in held["duplicates"] + held["hard_negatives"]:
        assert len(pair) == 2 and set(pair) <= set(ids), pair
    labelled = [frozenset(pair) for pair in held["duplicates"] + held["hard_negatives"]]
    assert len(labelled) == len(set(labelled))  # a pair is a duplicate or a negative, once
    languages = {item["id"]: item["language"] for item in held["initiatives"]}
    pairings = [frozenset(languages[x] for x in pair) for pair in held["duplicates"]]
    assert pairings.count(frozenset({"en", "fr"})) == 13
    assert pairings.count(frozenset({"fr"})) == 3 and pairings.count(frozenset({"en"})) == 2
    assert len(held["hard_negatives"]) == 14
    assert {"en", "fr"} == set(languages.values())
    assert min(len(i["summary"].split()) for i in held["initiatives"]) < 12  # one-liners too


def test_the_training_batch_is_well_formed_and_shares_nothing_with_any_other_set() -> None:
    batch = load_holdout(CONTRASTS)  # same format
    ids = [item["id"] for item in batch["initiatives"]]
    assert len(ids) == len(set(ids)) == 42
    others = [load_calibration()] + [load_holdout(path) for path in (HOLDOUT, HOLDOUT_2, HOLDOUT_3)]
    assert not {item["id"] for data in others for item in data["initiatives"]} & set(ids)
    texts = {item["summary"] for data in others for item in data["initiatives"]}
    assert not texts & {item["summary"] for item in batch["initiatives"]}
    for pair in batch["duplicates"] + batch["hard_negatives"]:
        assert len(pair) == 2 and set(pair) <= set(ids), pair
    # twins mostly in the other language, and near-identical negatives
    languages = {item["id"]: item["language"] for item in batch["initiatives"]}
    pairings = [frozenset(languages[x] for x in pair) for pair in batch["duplicates"]]
    assert pairings.count(frozenset({"en", "fr"})) == 16 and len(pairings) == 19
    assert len(batch["hard_negatives"]) == 26


def _apart_and_well_formed(
    held: dict[str, Any], earlier_sets: tuple[Path, ...]
) -> list[dict[str, Any]]:
    """What a held-out batch of 32 initiatives must be, in the fourth batch's words: no
    id, title or summary of `earlier_sets` (or the calibration set), pairs of its own ids,
    each labelled once, duplicate groups closed under transitivity; the earlier initiatives."""
    ids = [item["id"] for item in held["initiatives"]]
    assert len(ids) == len(set(ids)) == 32
    earlier: list[dict[str, Any]] = load_calibration()["initiatives"] + [
        item for path in earlier_sets for item in load_holdout(path)["initiatives"]
    ]
    assert not {item["id"] for item in earlier} & set(ids)
    # no text of another set either: the same words under a new id would not be held out
    assert not {item["title"] for item in earlier} & {item["title"] for item in held["initiatives"]}
    summaries = {item["summary"] for item in earlier}
    assert not summaries & {item["summary"] for item in held["initiatives"]}
    for pair in held["duplicates"] + held["hard_negatives"]:
        assert len(pair) == 2 and set(pair) <= set(ids), pair
    labelled = [frozenset(pair) for pair in held["duplicates"] + held["hard_negatives"]]
    assert len(labelled) == len(set(labelled))  # a pair is a duplicate or a negative, once
    # duplicate groups are closed under transitivity: a group of three lists its three pairs
    twins: dict[str, frozenset[str]] = {i: frozenset({i}) for i in ids}
    for a, b in held["duplicates"]:
        group = twins[a] | twins[b]
        for member in group:
            twins[member] = group
    duplicates = {frozenset(pair) for pair in held["duplicates"]}
    for group in set(twins.values()):
        assert all(frozenset((a, b)) in duplicates for a in group for b in group if a < b), group
    return earlier


def _counts_of_a_held_out_batch(held: dict[str, Any], languages: dict[str, str]) -> None:
    """12 FR-EN, 4 FR-FR and 2 EN-EN duplicates, 15 negatives of which 7 across languages,
    one-liners, and short paraphrases on both sides in FR-FR and FR-EN."""
    pairings = [frozenset(languages[x] for x in pair) for pair in held["duplicates"]]
    assert pairings.count(frozenset({"en", "fr"})) == 12
    assert pairings.count(frozenset({"fr"})) == 4 and pairings.count(frozenset({"en"})) == 2
    negatives = [frozenset(languages[x] for x in pair) for pair in held["hard_negatives"]]
    assert len(negatives) == 15 and negatives.count(frozenset({"en", "fr"})) == 7
    assert {"en", "fr"} == set(languages.values())
    assert min(len(i["summary"].split()) for i in held["initiatives"]) < 12  # one-liners too
    # short paraphrases (a title and one short sentence) of one initiative, both sides
    # short, in French-French and in French-English
    short = {i["id"] for i in held["initiatives"] if len(i["summary"].split()) <= 15}
    both_short = [
        p for pair, p in zip(held["duplicates"], pairings, strict=True) if set(pair) <= short
    ]
    assert frozenset({"fr"}) in both_short and frozenset({"en", "fr"}) in both_short


def test_the_fourth_holdout_batch_is_well_formed_and_apart_from_every_other_set() -> None:
    held = load_holdout(HOLDOUT_4)
    _apart_and_well_formed(held, (HOLDOUT, HOLDOUT_2, HOLDOUT_3, CONTRASTS))
    languages = {item["id"]: item["language"] for item in held["initiatives"]}
    _counts_of_a_held_out_batch(held, languages)


# Each later batch, with every set written before it.
_LATER_BATCHES = {
    "fifth": (HOLDOUT_5, (HOLDOUT, HOLDOUT_2, HOLDOUT_3, HOLDOUT_4, CONTRASTS)),
    "sixth": (HOLDOUT_6, (HOLDOUT, HOLDOUT_2, HOLDOUT_3, HOLDOUT_4, HOLDOUT_5, CONTRASTS)),
    "seventh": (
        HOLDOUT_7,
        (HOLDOUT, HOLDOUT_2, HOLDOUT_3, HOLDOUT_4, HOLDOUT_5, HOLDOUT_6, CONTRASTS),
    ),
    "eighth": (
        HOLDOUT_8,
        (HOLDOUT, HOLDOUT_2, HOLDOUT_3, HOLDOUT_4, HOLDOUT_5, HOLDOUT_6, HOLDOUT_7, CONTRASTS),
    ),
}


@pytest.mark.parametrize("batch", list(_LATER_BATCHES))
def test_a_later_holdout_batch_is_well_formed_and_apart_from_every_other_set(batch: str) -> None:
    path, earlier_sets = _LATER_BATCHES[batch]
    held = load_holdout(path)
    earlier = _apart_and_well_formed(held, earlier_sets)
    # its fictional organisations are its own too
    organisations = {o for item in earlier for o in item["contributors"]}
    assert not organisations & {o for item in held["initiatives"] for o in item["contributors"]}
    languages = {item["id"]: item["language"] for item in held["initiatives"]}
    assert list(languages.values()).count("fr") == list(languages.values()).count("en") == 16
    _counts_of_a_held_out_batch(held, languages)
