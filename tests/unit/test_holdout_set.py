"""The batch written after the duplicate model was fitted stays apart from its training set."""

from __future__ import annotations

from tests.labelled import load_calibration, load_holdout


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
