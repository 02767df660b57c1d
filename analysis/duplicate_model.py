"""The fitted duplicate model: how the pair features become one score, and its threshold.

The coefficients are fitted by `python -m bench.calibrate_duplicates --write` on the
labelled set (logistic regression on standardised features) and stored beside this
module, with the threshold chosen by cross-validation. The score is the model's
probability that a pair is a duplicate: 0.9 means that, on the labelled set, pairs
scored like this one were duplicates about nine times in ten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.pair_features import FEATURES

MODEL_PATH = Path(__file__).with_name("duplicate_model.json")
# The training prior of a model file written before it was recorded (measured on its
# training pairs by bench/calibrate_duplicates.py).
TRAINING_PRIOR = 0.5176


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    means: npt.NDArray[np.float64]
    scales: npt.NDArray[np.float64]
    coefficients: npt.NDArray[np.float64]
    intercept: float
    threshold: float
    version: str
    # Share of duplicates among the pairs it was fitted on: the base rate its probabilities
    # hold for, which analysis/base_rate.py moves to each registry's own.
    prior: float = TRAINING_PRIOR

    def probability(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if rows.size == 0:
            return np.zeros(len(rows))
        z = ((rows - self.means) / self.scales) @ self.coefficients + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def contributions(self, row: npt.NDArray[np.float64]) -> dict[str, float]:
        """How much each feature moved this pair's score (log-odds), for explanations."""
        parts = (row - self.means) / self.scales * self.coefficients
        return dict(zip(self.features, parts.tolist(), strict=True))


def from_dict(data: dict[str, Any]) -> Model:
    features = tuple(data["features"])
    if features != FEATURES:
        raise ValueError(
            f"{MODEL_PATH.name} was fitted on features {features}, the code computes "
            f"{FEATURES}: run python -m bench.calibrate_duplicates --write"
        )
    return Model(
        features=features,
        means=np.asarray(data["means"], dtype=np.float64),
        scales=np.asarray(data["scales"], dtype=np.float64),
        coefficients=np.asarray(data["coefficients"], dtype=np.float64),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
        version=str(data["version"]),
        prior=float(data.get("prior", TRAINING_PRIOR)),
    )


@lru_cache(maxsize=1)
def load() -> Model:
    return from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
