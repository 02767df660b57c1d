"""The fitted duplicate model: how the pair features become one score, and its threshold.

The coefficients are fitted by `python -m bench.calibrate_duplicates --write` on the
labelled set (logistic regression on standardised features) and stored beside this
module, with the threshold chosen by cross-validation. The score is the model's
probability that a pair is a duplicate: 0.9 means that, on the labelled set, pairs
scored like this one were duplicates about nine times in ten.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from analysis.logistic import Logistic, fitted
from analysis.pair_features import FEATURES
from analysis.thresholds import DUPLICATE_MODEL_PATH, model_data

MODEL_PATH = DUPLICATE_MODEL_PATH
# The training prior of a model file written before it was recorded (measured on its
# training pairs by bench/calibrate_duplicates.py).
TRAINING_PRIOR = 0.5176


@dataclass(frozen=True)
class Model(Logistic):
    # Share of duplicates among the pairs it was fitted on: the base rate its probabilities
    # hold for, which analysis/base_rate.py moves to each registry's own.
    prior: float = TRAINING_PRIOR

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"prior": self.prior}


def from_dict(data: dict[str, Any]) -> Model:
    numbers = fitted(data, features=FEATURES, path=MODEL_PATH, refit="bench.calibrate_duplicates")
    return Model(**numbers, prior=float(data.get("prior", TRAINING_PRIOR)))


@lru_cache(maxsize=1)
def load() -> Model:
    return from_dict(model_data(MODEL_PATH))
