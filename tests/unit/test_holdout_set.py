"""The batch written after the duplicate model was fitted stays apart from its training set."""

from __future__ import annotations

from tests.labelled import (
    HOLDOUT,
    HOLDOUT_2,
    HOLDOUT_3,
    TRAINING_BATCHES,
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


def test_the_training_batches_are_fitted_on_and_share_nothing_with_a_holdout() -> None:
    fitted = load_calibration()
    ids = {item["id"] for item in fitted["initiatives"]}
    assert len(ids) == len(fitted["initiatives"])
    held = [load_holdout(path) for path in (HOLDOUT, HOLDOUT_2, HOLDOUT_3)]
    held_texts = {item["summary"] for batch in held for item in batch["initiatives"]}
    for path in TRAINING_BATCHES:
        batch = load_holdout(path)  # same format
        batch_ids = {item["id"] for item in batch["initiatives"]}
        assert batch_ids <= ids  # load_calibration carries it
        assert not {item["id"] for h in held for item in h["initiatives"]} & batch_ids
        assert not held_texts & {item["summary"] for item in batch["initiatives"]}
        for pair in batch["duplicates"] + batch["hard_negatives"]:
            assert len(pair) == 2 and set(pair) <= batch_ids, pair
    # the qualifier batch: twins in the other language and near-identical negatives
    contrasts = load_holdout(TRAINING_BATCHES[0])
    languages = {item["id"]: item["language"] for item in contrasts["initiatives"]}
    pairings = [frozenset(languages[x] for x in pair) for pair in contrasts["duplicates"]]
    assert pairings.count(frozenset({"en", "fr"})) == 16 and len(pairings) == 19
    assert len(contrasts["hard_negatives"]) == 26
