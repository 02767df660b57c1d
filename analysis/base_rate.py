"""A duplicate score that follows the registry it runs on, and learns from its decisions.

The fitted model (duplicate_model.py) gives the probability that a pair is a duplicate
*among pairs like those it was fitted on*, where a share `training_prior` of the compared
pairs were duplicates. A registry of ninety initiatives of one working group compares far
fewer pairs, more of them duplicates; a crowd of 10,000 compares many more, almost none
duplicates. The same features then mean another probability, so the registry's own share
is estimated and each probability moved to it (Saerens, Latinne & Decaestecker, "Adjusting
the outputs of a classifier to new a priori probabilities", Neural Computation 14, 2002):

    p' = (π'/π · p) / (π'/π · p + (1 - π')/(1 - π) · (1 - p))

where π is the training prior and π' the registry's, estimated by EM from the unlabelled
scores of its compared pairs. Both are taken among the pairs the model scores from
REGION_FLOOR on: blocking compares each record with its nearest neighbours whatever they
are, and in a crowd most of those are plainly unrelated pairs, unlike any the model was
fitted on; counted in, they would pull the prior (and every probability) toward zero. A
region chosen by the score itself keeps p(duplicate | features) as it is, so the
adjustment holds within it. On a small registry the EM is noisy, so it is shrunk toward
π as if PRIOR_STRENGTH pairs at the training prior had been seen (a Beta prior, MAP): with
a hundred pairs the training prior still counts, with a hundred thousand it does not.
With π' = π nothing moves; a higher π' raises every probability, monotonically. The
threshold stays a probability, compared with p': it means the same in any registry.

The prior is never moved below the training prior. The threshold was chosen so that
precision holds in a crowd of 10,000 (bench/calibrate_duplicates.py fits on the labelled
set alone and among 2,000 and 10,000 generated initiatives), so the model already stands
at the sparse end; and a crowd breaks the EM's assumption that only the share of
duplicates changes: its many near-identical generated texts are negatives unlike the
labelled ones, and let down to their share (0.03 among 10,000) the probabilities of the
labelled pairs fall with it, recall 0.84 → 0.49 at unchanged precision (BENCHMARKS.md).
A registry richer in duplicates than the training pool raises its probabilities.

Then a registry's decisions (confirmed = 1, rejected = 0) correct the adjusted log-odds
where they were taken: p'' = sigmoid(logit(p') + o(logit(p'))), the offset o fitted at each
point of a grid of log-odds to the decisions near it (a Gaussian kernel; local likelihood),
held at 0 where there are none (`fit_local`). No decisions: p'' = p'. Reviewers decide
where they look (the likely band first, or around the threshold): that selection is on the
score, so p(y | score) is not biased by it where decisions were taken, but one slope and
offset fitted there and carried everywhere were (ten confirmations at 0.99 and one
rejection flattened the slope to 0.3, and pairs near the threshold fell out of the likely
band).

From WEIGHTS_FROM decisions on (with WEIGHTS_EACH of each verdict), the decisions refit the
feature weights themselves (`refit_weights`: logistic regression by MAP, a Gaussian prior
centred on the shipped weights, and the undecided pairs held to what the shipped model
says of them), and the registry's pairs are scored by the refit model;
the calibration is then not refit on the same decisions. On the learning-curve benchmark
(bench/duplicates_base_rate.py) this is what makes 40 and 60 decisions pay where a
recalibration alone had stopped paying. Everything here is pure: refresh (duplicates.py)
feeds it scores, features and labels; what is learned is made from the decisions, which
an export carries, so it survives a move to another engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.duplicate_model import Model

Floats = npt.NDArray[np.float64]

# The prior is estimated among pairs the model scores from this probability on.
REGION_FLOOR = 0.02
# How many compared pairs the training prior weighs in the EM estimate (Beta prior).
PRIOR_STRENGTH = 100.0
# How firmly the shipped calibration holds against decisions: the Gaussian prior precision
# of each local offset (fit_local; a decision near a grid point adds about 1/4 to it).
OFFSET_STRENGTH = 1.0
# The prior is kept inside these bounds: a registry of only duplicates or none is noise.
PRIOR_BOUNDS = (1e-4, 0.95)
# The feature weights are refit from this many decisions on, with this many of each verdict
# at least, each standardised weight held to the shipped one with this precision.
WEIGHTS_FROM = 30
WEIGHTS_EACH = 5
WEIGHT_STRENGTH = 2.0
# The refit weights are held by what the shipped model says of the pairs nobody decided
# (soft labels), those it scores from ANCHOR_FLOOR on, worth ANCHOR_WEIGHT decisions in
# all: decisions taken among the best-scored pairs taught the weights what tells a
# near-identical variant from its twin (word overlap), and carried it to the paraphrases
# nobody had decided yet (recall on them 0.97 -> 0.58 after 40 such decisions).
ANCHOR_FLOOR = 0.10
ANCHOR_WEIGHT = 60.0
# Decisions correct the probabilities of pairs scored like them (local likelihood): each
# point of this grid of log-odds fits its own offset to the decisions, weighed by a
# Gaussian kernel of this width in log-odds; between grid points the offset is
# interpolated, beyond them it is the last one's. A grid point far from every decision
# keeps offset 0 (its prior, OFFSET_STRENGTH).
LOCAL_GRID = np.linspace(-12.0, 12.0, 97)
LOCAL_WIDTH = 1.5
_EPS = 1e-9


def logit(p: Floats | float) -> Floats:
    q = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1.0 - _EPS)
    return np.asarray(np.log(q) - np.log1p(-q), dtype=np.float64)


def sigmoid(z: Floats | float) -> Floats:
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64))), dtype=np.float64)


def adjust(p: Floats | float, prior: float, training_prior: float) -> Floats:
    """Probabilities fitted where duplicates were `training_prior` of the pairs, moved to a
    registry where they are `prior` (a shift of the log-odds by the difference of the
    priors' log-odds: the same as the ratio formula in the module docstring)."""
    shift = float(logit(prior) - logit(training_prior))
    return sigmoid(logit(p) + shift)


def estimate_prior(
    p: Floats,
    training_prior: float,
    *,
    strength: float = PRIOR_STRENGTH,
    floor: float = 0.0,
    iterations: int = 200,
    tolerance: float = 1e-7,
) -> float:
    """The share of duplicates among these pairs (those from `floor` on), from their
    unlabelled probabilities.

    EM: the prior is the mean of the probabilities adjusted to it, until it stops moving;
    shrunk toward the training prior by `strength` pseudo-pairs. No pairs: the training
    prior.
    """
    scores = np.asarray(p, dtype=np.float64)
    scores = scores[scores >= floor]
    if scores.size == 0:
        return training_prior
    low, high = PRIOR_BOUNDS
    prior = training_prior
    for _ in range(iterations):
        expected = float(adjust(scores, prior, training_prior).sum())
        updated = (expected + strength * training_prior) / (scores.size + strength)
        updated = min(max(updated, low), high)
        if abs(updated - prior) < tolerance:
            return updated
        prior = updated
    return prior


@dataclass(frozen=True)
class Calibration:
    """What a registry has learned: its prior and the refit of the shipped calibration."""

    training_prior: float
    prior: float  # the prior the probabilities are moved to
    slope: float = 1.0
    offset: float = 0.0
    confirmed: int = 0
    rejected: int = 0
    estimated: float | None = None  # the EM estimate, before the floor at the training prior
    # The feature weights refit on the registry's decisions (refit_weights), once there
    # are enough; None: the shipped model's.
    coefficients: list[float] | None = None
    intercept: float | None = None
    # The decisions' offset at each point of LOCAL_GRID (fit_local); None: slope and
    # offset apply everywhere.
    local: list[float] | None = None

    def apply(self, p: Floats) -> Floats:
        """The registry's probabilities for the model's probabilities `p`."""
        shifted = logit(p) + float(logit(self.prior) - logit(self.training_prior))
        if self.local is not None:
            return sigmoid(shifted + np.interp(shifted, LOCAL_GRID, self.local))
        return sigmoid(self.slope * shifted + self.offset)

    def as_dict(self) -> dict[str, Any]:
        """Plain values, rounded; the learned weights and offsets only once there are some."""
        return {
            k: round(v, 6) if isinstance(v, float) else v
            for k, v in asdict(self).items()
            if v is not None or k not in ("coefficients", "intercept", "local")
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def model(self, shipped: Model) -> Model:
        """The model this registry scores with: the shipped one, or its learned weights."""
        if self.coefficients is None or self.intercept is None:
            return shipped
        return replace(
            shipped,
            coefficients=np.asarray(self.coefficients, dtype=np.float64),
            intercept=self.intercept,
            version=f"{shipped.version}+learned",
        )


def fit_local(
    adjusted: Floats,
    labels: npt.NDArray[np.bool_],
    *,
    width: float = LOCAL_WIDTH,
    strength: float = OFFSET_STRENGTH,
    iterations: int = 50,
) -> Floats:
    """The offset at each point of LOCAL_GRID that decided pairs (their adjusted
    probabilities, their verdicts) teach: at each point, logistic regression of the
    verdicts on the pairs' own log-odds plus one offset, each decision weighed by its
    distance from the point (a Gaussian kernel), the offset held at 0 with precision
    `strength`. Why local: reviewers decide where they look (the likely band first, or
    around the threshold), and one slope and offset fitted there were carried to pairs
    scored nothing like them: ten confirmations at 0.99 and one rejection flattened the
    slope to 0.3 and took recall on the undecided pairs from 0.88 to 0.68
    (BENCHMARKS.md). The result keeps the order of pairs (log-odds plus offset never
    decreases along the grid)."""
    if strength <= 0:
        raise ValueError("the offsets need a prior: strength > 0")
    z = logit(np.asarray(adjusted, dtype=np.float64))
    y = np.asarray(labels, dtype=np.float64)
    finite = np.isfinite(z)  # a probability that is not a number teaches nothing
    z, y = np.clip(z[finite], LOCAL_GRID[0], LOCAL_GRID[-1]), y[finite]
    if z.size == 0:
        return np.zeros(len(LOCAL_GRID))
    weights = np.exp(-0.5 * ((LOCAL_GRID[:, None] - z[None, :]) / width) ** 2)
    offsets = np.zeros(len(LOCAL_GRID))
    for _ in range(iterations):  # one convex problem per grid point: Newton, side by side
        q = sigmoid(z[None, :] + offsets[:, None])
        gradient = (weights * (q - y)).sum(axis=1) + strength * offsets
        curvature = (weights * q * (1.0 - q)).sum(axis=1) + strength
        step = np.clip(gradient / curvature, -2.0, 2.0)
        offsets -= step
        if float(np.max(np.abs(step))) < 1e-9:
            break
    mapped = np.maximum.accumulate(LOCAL_GRID + offsets)
    return np.asarray(mapped - LOCAL_GRID, dtype=np.float64)


def map_logistic(
    design: Floats,
    labels: npt.NDArray[np.bool_] | Floats,
    *,
    centre: Floats,
    precision: Floats,
    weights: Floats | None = None,
    iterations: int = 200,
) -> Floats:
    """Logistic regression by MAP with a Gaussian prior (mean `centre`, diagonal
    `precision`): what the decisions say, held by what was shipped. The posterior is
    strictly convex; scipy's trust-region Newton finds its mode from the shipped weights.
    Plain Newton steps did not: where those weights are confident and the decisions
    contradict them, the logits saturate, the first step is the gradient over the prior's
    precision alone, and it overshot for good (tests/unit/test_base_rate.py)."""
    # Imported here: scipy.optimize weighs ~25 MiB, which a server worker that never
    # refits should not carry (tests/unit/test_startup_imports.py).
    from scipy import optimize

    y = np.asarray(labels, dtype=np.float64)  # 0/1, or a probability for a soft label
    mean = np.asarray(centre, dtype=np.float64)
    held = np.asarray(precision, dtype=np.float64)
    each = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)

    def value_and_gradient(w: Floats) -> tuple[float, Floats]:
        z = design @ w
        loss = each * (np.logaddexp(0.0, z) - y * z)
        value = np.sum(loss) + 0.5 * np.sum(held * (w - mean) ** 2)
        return float(value), design.T @ (each * (sigmoid(z) - y)) + held * (w - mean)

    def hessian(w: Floats) -> Floats:
        q = sigmoid(design @ w)
        return np.asarray((design * (each * q * (1 - q))[:, None]).T @ design + np.diag(held))

    found = optimize.minimize(
        value_and_gradient,
        mean.copy(),
        jac=True,
        hess=hessian,
        method="trust-exact",
        options={"gtol": 1e-9, "maxiter": iterations},
    )
    return np.asarray(found.x, dtype=np.float64)


def refit_weights(
    model: Model,
    rows: Floats,
    labels: npt.NDArray[np.bool_],
    *,
    strength: float = WEIGHT_STRENGTH,
    undecided: Floats | None = None,
) -> Model | None:
    """The model with its feature weights refit on a registry's decided pairs (their feature
    `rows`), the shipped weights as the prior; None until there are WEIGHTS_FROM decisions
    with WEIGHTS_EACH of each verdict (fewer teach the calibration only)."""
    y = np.asarray(labels, dtype=bool)
    if not _enough(y):
        return None
    x = (np.asarray(rows, dtype=np.float64) - model.means) / model.scales
    soft: Floats = y.astype(np.float64)
    each = np.ones(len(y))
    if undecided is not None and len(undecided) and ANCHOR_WEIGHT > 0:
        # pairs nobody decided keep what the shipped model says of them, as soft labels
        # worth ANCHOR_WEIGHT decisions in all
        x = np.vstack([x, (np.asarray(undecided, dtype=np.float64) - model.means) / model.scales])
        soft = np.concatenate([soft, model.probability(undecided)])
        each = np.concatenate([each, np.full(len(undecided), ANCHOR_WEIGHT / len(undecided))])
    design = np.column_stack([x, np.ones(len(x))])
    centre = np.append(model.coefficients, model.intercept)
    w = map_logistic(
        design, soft, centre=centre, precision=np.full(len(centre), strength), weights=each
    )
    return replace(
        model, coefficients=w[:-1], intercept=float(w[-1]), version=f"{model.version}+learned"
    )


def _enough(labels: npt.NDArray[np.bool_]) -> bool:
    """Whether these verdicts refit the weights: WEIGHTS_FROM, WEIGHTS_EACH of each."""
    confirmed = int(labels.sum())
    return len(labels) >= WEIGHTS_FROM and min(confirmed, len(labels) - confirmed) >= WEIGHTS_EACH


def anchor_shift(learned: Floats, shipped: Floats, decided: npt.NDArray[np.int64] | None) -> float:
    """The intercept shift giving the undecided pairs, under refit weights, the mean
    probability the shipped model gives them. Decisions are taken where a reviewer looks
    (near the threshold, or the likely band), a sample the model's own score chose: refit
    on them alone, the weights also learned how common duplicates were among *those*
    pairs, the base-rate estimate read that as a crowded registry, and every undecided
    pair rose (on the third held-out batch, 60 decisions took precision from 0.82 to 0.20
    and 0.11). The decisions reweigh the features; how many undecided pairs are duplicates
    stays the shipped model's estimate, which the registry's base rate then adapts."""
    undecided = np.ones(len(learned), dtype=bool)
    if decided is not None and len(decided):
        undecided[decided] = False
    if not undecided.any():
        return 0.0
    z, target = logit(learned[undecided]), float(np.mean(shipped[undecided]))
    low, high = -30.0, 30.0
    for _ in range(80):  # the mean grows with the shift: bisection
        middle = (low + high) / 2
        if float(np.mean(sigmoid(z + middle))) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def calibrate(
    p: Floats,
    training_prior: float,
    *,
    decided: Floats | None = None,
    labels: npt.NDArray[np.bool_] | None = None,
) -> Calibration:
    """The calibration of one registry: its prior from the model's probabilities `p` of all
    its compared pairs (those from REGION_FLOOR on; `training_prior` is the share of
    duplicates among the training pairs in that region), then the refit on the model's
    probabilities `decided` of the pairs people decided, with their `labels` (True:
    confirmed)."""
    estimated = estimate_prior(p, training_prior, floor=REGION_FLOOR)
    prior = max(estimated, training_prior)
    base = Calibration(training_prior=training_prior, prior=prior, estimated=estimated)
    if decided is None or labels is None or len(decided) == 0:
        return base
    adjusted = base.apply(np.asarray(decided, dtype=np.float64))
    local = fit_local(adjusted, np.asarray(labels, dtype=bool))
    # reported: the offset where the decisions were taken (at their median log-odds)
    middle = float(np.median(np.clip(logit(adjusted), LOCAL_GRID[0], LOCAL_GRID[-1])))
    confirmed = int(np.asarray(labels, dtype=bool).sum())
    return Calibration(
        training_prior=training_prior,
        prior=prior,
        offset=float(np.interp(middle, LOCAL_GRID, local)),
        confirmed=confirmed,
        rejected=len(labels) - confirmed,
        estimated=estimated,
        local=[round(float(v), 6) for v in local],
    )


def learn(
    shipped: Model,
    probabilities: Callable[[Model], Floats],
    *,
    decided: npt.NDArray[np.int64] | None = None,
    rows: Floats | None = None,
    labels: npt.NDArray[np.bool_] | None = None,
    features: Callable[[npt.NDArray[np.int64]], Floats] | None = None,
) -> tuple[Calibration, Floats]:
    """What a registry learns at a refresh, and its pairs' model probabilities.

    `probabilities(model)` scores every compared pair; `decided` are the positions of the
    decided pairs among them, `rows` their features, `labels` their verdicts, and
    `features(positions)` the features of any compared pairs. With enough decisions the
    weights are refit (refit_weights), held by the undecided pairs the shipped model
    scores from ANCHOR_FLOOR on, and the pairs scored by the refit model, its prior
    estimated as before; the calibration is not refit on the same decisions then (they
    would count twice). With fewer, the shipped model scores and the decisions refit the
    calibration (calibrate). A refit model keeps the shipped model's estimate of how many
    undecided pairs are duplicates (anchor_shift).
    """
    raw = probabilities(shipped)
    learned = None
    if rows is not None and labels is not None:
        undecided = None
        if features is not None and _enough(np.asarray(labels, dtype=bool)):
            region = raw >= ANCHOR_FLOOR
            if decided is not None:
                region[decided] = False
            undecided = features(np.flatnonzero(region).astype(np.int64))
        learned = refit_weights(shipped, rows, labels, undecided=undecided)
    if learned is None:
        taught = raw[decided] if decided is not None and len(decided) else None
        return calibrate(raw, shipped.prior, decided=taught, labels=labels), raw
    shipped_raw, raw = raw, probabilities(learned)
    shift = anchor_shift(raw, shipped_raw, decided)
    learned = replace(learned, intercept=learned.intercept + shift)
    raw = sigmoid(logit(raw) + shift)
    confirmed = int(np.asarray(labels, dtype=bool).sum())
    base = calibrate(raw, shipped.prior)
    return replace(
        base,
        confirmed=confirmed,
        rejected=len(np.asarray(labels)) - confirmed,
        coefficients=[float(c) for c in learned.coefficients],
        intercept=learned.intercept,
    ), raw
