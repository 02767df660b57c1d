"""The fitted crosswalk model: how a candidate pair's features become one score.

A logistic regression on standardised features (analysis/crosswalk_features.py), fitted
by `python -m bench.calibrate_crosswalks --write` on published crosswalks held out one at
a time, and stored beside this module with its threshold (the one that served the held-out
crosswalks best). The score is the model's probability that a publisher maps the pair: 0.3
means that, held out, about three pairs in ten scored like this were in the crosswalk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.crosswalk_features import FEATURES

MODEL_PATH = Path(__file__).with_name("crosswalk_model.json")


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    means: npt.NDArray[np.float64]
    scales: npt.NDArray[np.float64]
    coefficients: npt.NDArray[np.float64]
    intercept: float
    threshold: float
    version: str

    def probability(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if rows.size == 0:
            return np.zeros(len(rows))
        z = ((rows - self.means) / self.scales) @ self.coefficients + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "means": self.means.round(6).tolist(),
            "scales": self.scales.round(6).tolist(),
            "coefficients": self.coefficients.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "threshold": self.threshold,
            "version": self.version,
        }


def from_dict(data: dict[str, Any]) -> Model:
    features = tuple(data["features"])
    if features != FEATURES:
        raise ValueError(
            f"{MODEL_PATH.name} was fitted on features {features}, the code computes "
            f"{FEATURES}: run python -m bench.calibrate_crosswalks --write"
        )
    return Model(
        features=features,
        means=np.asarray(data["means"], dtype=np.float64),
        scales=np.asarray(data["scales"], dtype=np.float64),
        coefficients=np.asarray(data["coefficients"], dtype=np.float64),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
        version=str(data["version"]),
    )


@lru_cache(maxsize=1)
def load() -> Model:
    return from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
