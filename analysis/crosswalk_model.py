"""The fitted crosswalk model: how a candidate pair's features become one score.

A logistic regression on standardised features (analysis/crosswalk_features.py), fitted
by `python -m bench.calibrate_crosswalks --write` on published crosswalks held out one at
a time, and stored beside this module with its threshold (the one that served the held-out
crosswalks best). The score is the model's probability that a publisher maps the pair: 0.3
means that, held out, about three pairs in ten scored like this were in the crosswalk.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from analysis.crosswalk_features import FEATURES
from analysis.logistic import Logistic, fitted
from analysis.thresholds import CROSSWALK_MODEL_PATH, model_data

MODEL_PATH = CROSSWALK_MODEL_PATH


Model = Logistic


def from_dict(data: dict[str, Any]) -> Model:
    numbers = fitted(data, features=FEATURES, path=MODEL_PATH, refit="bench.calibrate_crosswalks")
    return Model(**numbers)


@lru_cache(maxsize=1)
def load() -> Model:
    return from_dict(model_data(MODEL_PATH))
