"""A fitted logistic regression on standardised features, as the shipped models store it
(analysis/duplicate_model.py, analysis/crosswalk_model.py): one score per pair of records,
the probability the model was fitted to give, and the threshold chosen for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Logistic:
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

    def contributions(self, row: npt.NDArray[np.float64]) -> dict[str, float]:
        """How much each feature moved this pair's score (log-odds), for explanations."""
        parts = (row - self.means) / self.scales * self.coefficients
        return dict(zip(self.features, parts.tolist(), strict=True))

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


def fitted(
    data: dict[str, Any], *, features: tuple[str, ...], path: Path, refit: str
) -> dict[str, Any]:
    """A stored model's numbers as Logistic's fields, once they are known to be fitted on
    the `features` the code computes (else the error says to run the module `refit`)."""
    stored = tuple(data["features"])
    if stored != features:
        raise ValueError(
            f"{path.name} was fitted on features {stored}, the code computes "
            f"{features}: run python -m {refit} --write"
        )
    return {
        "features": stored,
        "means": np.asarray(data["means"], dtype=np.float64),
        "scales": np.asarray(data["scales"], dtype=np.float64),
        "coefficients": np.asarray(data["coefficients"], dtype=np.float64),
        "intercept": float(data["intercept"]),
        "threshold": float(data["threshold"]),
        "version": str(data["version"]),
    }
