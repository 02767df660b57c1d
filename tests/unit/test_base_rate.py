"""The duplicate score follows the registry's base rate and learns from its decisions."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import base_rate, duplicate_model

PROBABILITIES = np.array([0.01, 0.1, 0.3, 0.5, 0.58, 0.7, 0.9, 0.99])


def test_at_the_training_prior_a_probability_keeps_its_meaning() -> None:
    adjusted = base_rate.adjust(PROBABILITIES, prior=0.04, training_prior=0.04)
    assert adjusted == pytest.approx(PROBABILITIES, abs=1e-12)
    unchanged = base_rate.Calibration(training_prior=0.04, prior=0.04).apply(PROBABILITIES)
    assert unchanged == pytest.approx(PROBABILITIES, abs=1e-12)


def test_a_higher_prior_raises_every_probability_monotonically() -> None:
    previous = PROBABILITIES
    for prior in (0.05, 0.1, 0.2, 0.4):
        adjusted = base_rate.adjust(PROBABILITIES, prior=prior, training_prior=0.04)
        assert (adjusted > previous).all()
        assert (np.diff(adjusted) > 0).all()  # the order of pairs never changes
        previous = adjusted
    lower = base_rate.adjust(PROBABILITIES, prior=0.001, training_prior=0.04)
    assert (lower < PROBABILITIES).all()


def test_the_adjustment_is_the_ratio_formula_of_saerens_et_al() -> None:
    p, prior, train = 0.3, 0.2, 0.05
    ratio = (prior / train) * p / ((prior / train) * p + (1 - prior) / (1 - train) * (1 - p))
    assert float(base_rate.adjust(p, prior, train)) == pytest.approx(ratio)


def _registry(share: float, pairs: int, seed: int = 3) -> np.ndarray:
    """Well-calibrated probabilities (at a training prior of 0.5) of a registry where
    `share` of the pairs are duplicates."""
    rng = np.random.default_rng(seed)
    truth = rng.random(pairs) < share
    z = np.where(truth, rng.normal(2.0, 1.0, pairs), rng.normal(-2.0, 1.0, pairs))
    # the log-likelihood ratio of the two normals is 4z; at prior 0.5 that is the logit
    return base_rate.sigmoid(4.0 * z)


def test_em_finds_the_share_of_duplicates_of_a_large_registry() -> None:
    for share in (0.02, 0.1, 0.3):
        scores = _registry(share, 50_000)
        found = base_rate.estimate_prior(scores, training_prior=0.5, strength=0.0)
        assert found == pytest.approx(share, abs=0.01)


def test_on_a_small_registry_the_estimate_is_shrunk_toward_the_training_prior() -> None:
    scores = _registry(0.3, 60)
    free = base_rate.estimate_prior(scores, training_prior=0.05, strength=0.0)
    shrunk = base_rate.estimate_prior(scores, training_prior=0.05)
    assert 0.05 < shrunk < free
    assert base_rate.estimate_prior(np.array([]), training_prior=0.05) == 0.05


def test_no_decisions_leave_the_calibration_as_shipped() -> None:
    no_offsets = base_rate.fit_local(np.array([]), np.array([], dtype=bool))
    assert no_offsets.tolist() == [0.0] * len(base_rate.LOCAL_GRID)
    calibration = base_rate.calibrate(PROBABILITIES, 0.04)
    assert (calibration.slope, calibration.offset) == (1.0, 0.0)


def test_confirmed_pairs_below_the_threshold_raise_pairs_scored_like_them() -> None:
    decided = np.array([0.3, 0.35, 0.4, 0.45, 0.5, 0.42, 0.38, 0.33, 0.2, 0.15])
    labels = np.array([True] * 8 + [False] * 2)
    calibration = base_rate.calibrate(decided, 0.04, decided=decided, labels=labels)
    assert calibration.offset > 0
    assert (calibration.confirmed, calibration.rejected) == (8, 2)
    before = base_rate.Calibration(training_prior=0.04, prior=calibration.prior).apply(decided)
    assert (calibration.apply(decided)[:8] > before[:8]).all()
    rejected = base_rate.calibrate(decided, 0.04, decided=decided, labels=~labels)
    assert (rejected.apply(decided)[:8] < before[:8]).all()


def test_plainly_unrelated_pairs_do_not_drag_the_prior_down() -> None:
    scores = _registry(0.3, 5_000)
    crowd = np.concatenate([scores, np.full(200_000, 0.001)])
    alone = base_rate.calibrate(scores, 0.3)
    among = base_rate.calibrate(crowd, 0.3)
    assert among.prior == pytest.approx(alone.prior)


def test_a_registry_sparser_than_the_training_pool_keeps_the_model_s_probabilities() -> None:
    sparse = _registry(0.02, 20_000)
    learned = base_rate.calibrate(sparse, 0.3)
    assert learned.estimated is not None and learned.estimated < 0.3
    assert learned.prior == 0.3
    assert learned.apply(PROBABILITIES) == pytest.approx(PROBABILITIES)
    rich = base_rate.calibrate(_registry(0.45, 20_000), 0.3)
    assert rich.prior == rich.estimated and rich.prior > 0.3
    assert (rich.apply(PROBABILITIES) > PROBABILITIES).all()
    assert base_rate.Calibration.from_dict(rich.as_dict()).prior == pytest.approx(rich.prior)


def _shipped() -> duplicate_model.Model:
    return duplicate_model.Model(
        features=("a", "b"),
        means=np.zeros(2),
        scales=np.ones(2),
        coefficients=np.array([2.0, 0.0]),
        intercept=0.0,
        threshold=0.5,
        version="shipped",
    )


def test_the_weights_wait_for_enough_decisions_of_both_verdicts() -> None:
    rows = np.random.default_rng(1).normal(size=(40, 2))
    few = np.array([True, False] * 14)
    assert base_rate.refit_weights(_shipped(), rows[:28], few) is None
    one_sided = np.array([True] * 37 + [False] * 3)
    assert base_rate.refit_weights(_shipped(), rows, one_sided) is None


def test_decisions_move_the_weights_toward_what_this_registry_shows() -> None:
    """Here duplicates are told by feature b, which the shipped model ignores, and not by
    feature a, which it trusts: the refit weighs b up and a down, the others held."""
    rng = np.random.default_rng(2)
    rows = rng.normal(size=(60, 2))
    labels = rows[:, 1] > 0
    learned = base_rate.refit_weights(_shipped(), rows, labels)
    assert learned is not None and learned.version == "shipped+learned"
    a, b = learned.coefficients
    assert b > 0.5 and a < 2.0
    shipped_loss = _log_loss(_shipped().probability(rows), labels)
    assert _log_loss(learned.probability(rows), labels) < shipped_loss


def test_a_learned_model_scores_with_its_weights_and_leaves_no_platt_refit() -> None:
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(200, 2))
    decided = np.arange(40, dtype=np.int64)
    labels = rows[decided, 1] > 0
    calibration, raw = base_rate.learn(
        _shipped(),
        lambda m: m.probability(rows),
        decided=decided,
        rows=rows[decided],
        labels=labels,
    )
    assert calibration.coefficients is not None and calibration.intercept is not None
    assert (calibration.slope, calibration.offset) == (1.0, 0.0)  # decisions counted once
    assert (calibration.confirmed, calibration.rejected) == (
        int(labels.sum()),
        40 - int(labels.sum()),
    )
    model = calibration.model(_shipped())
    assert raw == pytest.approx(model.probability(rows))
    restored = base_rate.Calibration.from_dict(calibration.as_dict())
    assert restored.model(_shipped()).coefficients == pytest.approx(model.coefficients, abs=1e-5)


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-(y * np.log(q) + (~y) * np.log(1 - q)).mean())


def test_decisions_taken_near_the_threshold_do_not_lift_every_undecided_pair() -> None:
    """A reviewer decides the pairs near the threshold, and confirms most of them: a refit
    on those alone learned "duplicates are common" and lifted the thousands of undecided
    pairs far below (on the third held-out batch, 40 decisions took precision from 0.84 to
    0.23). The refit may reweigh the features; how many of the undecided pairs are
    duplicates stays the shipped model's estimate (the base rate then adapts it)."""
    rng = np.random.default_rng(5)
    rows = rng.normal(size=(3000, 2)) - np.array([1.5, 0.0])  # most pairs plainly unrelated
    shipped = _shipped()
    p = shipped.probability(rows)
    near = np.argsort(np.abs(p - shipped.threshold))[:40]  # what a reviewer is shown first
    labels = np.arange(40) % 8 != 0  # 35 confirmed, 5 rejected
    calibration, raw = base_rate.learn(
        shipped, lambda m: m.probability(rows), decided=near, rows=rows[near], labels=labels
    )
    assert calibration.coefficients is not None  # the weights were refit
    undecided = np.ones(len(rows), dtype=bool)
    undecided[near] = False
    assert raw[undecided].mean() == pytest.approx(p[undecided].mean(), rel=1e-3)
    # and what is stored scores the same way after a restart
    restored = base_rate.Calibration.from_dict(calibration.as_dict()).model(shipped)
    assert restored.probability(rows) == pytest.approx(raw, abs=1e-4)


def _map_objective(w: np.ndarray, design: np.ndarray, y: np.ndarray, centre: np.ndarray) -> float:
    """The negative log posterior map_logistic minimises (prior precision 2)."""
    z = design @ w
    return float(np.sum(np.logaddexp(0.0, z) - y * z) + np.sum((w - centre) ** 2))


def test_the_weights_refit_reaches_the_posteriors_mode_from_a_confident_prior() -> None:
    """Decisions that contradict confident shipped weights (most logits beyond ±10, as
    when a registry's hard negatives score 0.99): plain Newton steps from the shipped
    weights overshot and never came back (every refit weight near 25 where the prior
    holds them within a few units; every pair then scored 0, recall 0 after 40 decisions
    on a registry of 103 initiatives). The answer is the mode: no slope left, and no
    lower value than at the shipped weights."""
    rng = np.random.default_rng(0)
    design = np.column_stack([rng.normal(0, 1.5, (40, 14)), np.ones(40)])
    centre = rng.normal(0, 3, 15)
    labels = rng.random(40) < 0.4
    y = labels.astype(float)
    w = base_rate.map_logistic(design, labels, centre=centre, precision=np.full(15, 2.0))
    gradient = design.T @ (base_rate.sigmoid(design @ w) - y) + 2.0 * (w - centre)
    assert np.abs(gradient).max() < 1e-6
    assert _map_objective(w, design, y, centre) < _map_objective(centre, design, y, centre)
    assert np.abs(w - centre).max() < 6


def test_decisions_among_the_best_scored_pairs_leave_pairs_near_the_threshold_alone() -> None:
    """A reviewer who works through the likely band first confirms nine pairs at 0.99 and
    rejects one: pairs scored like them come down a little, and a pair at the threshold
    keeps its probability (a slope fitted there and carried everywhere had flattened it)."""
    decided = np.array([0.99, 0.992, 0.985, 0.995, 0.99, 0.988, 0.993, 0.991, 0.989, 0.99])
    labels = np.array([True] * 9 + [False])
    learned = base_rate.calibrate(decided, 0.5, decided=decided, labels=labels)
    near = np.array([0.5, 0.58, 0.65])
    shipped = base_rate.Calibration(training_prior=0.5, prior=learned.prior)
    assert learned.apply(near) == pytest.approx(shipped.apply(near), abs=0.02)
    assert (learned.apply(decided) < shipped.apply(decided)).all()
    assert (np.diff(learned.apply(np.sort(PROBABILITIES))) > 0).all()  # order kept
    assert base_rate.Calibration.from_dict(learned.as_dict()).apply(near) == pytest.approx(
        learned.apply(near), abs=1e-4
    )


def test_the_undecided_pairs_hold_the_refit_weights_where_nobody_decided() -> None:
    """Decisions all taken where feature a is high teach that feature b tells them apart;
    held by what the shipped model says of the undecided pairs, the refit changes their
    probabilities less than a refit on the decisions alone."""
    rng = np.random.default_rng(4)
    rows = np.column_stack([rng.normal(2.0, 0.3, 40), rng.normal(size=40)])
    labels = rows[:, 1] > -0.5
    undecided = np.column_stack([rng.normal(0.0, 0.5, 200), rng.normal(size=200)])
    alone = base_rate.refit_weights(_shipped(), rows, labels)
    held = base_rate.refit_weights(_shipped(), rows, labels, undecided=undecided)
    assert alone is not None and held is not None
    shipped = _shipped().probability(undecided)
    moved_alone = np.abs(alone.probability(undecided) - shipped).mean()
    moved_held = np.abs(held.probability(undecided) - shipped).mean()
    assert moved_held < 0.6 * moved_alone


def test_a_probability_that_is_not_a_number_teaches_nothing_and_spoils_nothing() -> None:
    decided = np.array([0.4, 0.45, np.nan, 0.5])
    labels = np.array([True, True, True, False])
    learned = base_rate.calibrate(decided, 0.5, decided=decided, labels=labels)
    assert learned.local is not None and np.isfinite(learned.local).all()
    assert np.isfinite(learned.apply(PROBABILITIES)).all()


def test_features_of_the_undecided_pairs_are_read_only_when_the_weights_are_refit() -> None:
    asked: list[int] = []
    rows = np.random.default_rng(5).normal(size=(100, 2))

    def features(positions: np.ndarray) -> np.ndarray:
        asked.append(len(positions))
        return rows[positions]

    few = np.arange(4, dtype=np.int64)
    base_rate.learn(
        _shipped(), lambda model: model.probability(rows), decided=few, rows=rows[few],
        labels=np.array([True, False, True, False]), features=features,
    )  # fmt: skip
    assert asked == []
    many = np.arange(40, dtype=np.int64)
    base_rate.learn(
        _shipped(), lambda model: model.probability(rows), decided=many, rows=rows[many],
        labels=rows[many, 1] > 0, features=features,
    )  # fmt: skip
    assert len(asked) == 1 and 0 < asked[0] <= 60
