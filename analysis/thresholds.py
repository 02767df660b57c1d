"""The scores suggestions are shown and stored from, read without numpy.

The thresholds are the shipped models' (duplicate_model.json, crosswalk_model.json), read
here from the model files alone: a served worker reads and filters suggestions by them at
every list read, and importing the models themselves would load numpy and scipy (a
quarter of a worker's memory) into a process that never scores a pair. The models,
loaded when a refresh scores pairs, are built from the same reading of their files
(model_data) and check that those fit the features computed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from schema.enums import CandidateKind

DUPLICATE_MODEL_PATH = Path(__file__).with_name("duplicate_model.json")
CROSSWALK_MODEL_PATH = Path(__file__).with_name("crosswalk_model.json")

# Pairs of initiatives are stored down to this score, so users can look below the
# default threshold.
STORE_FLOOR = 0.10


@lru_cache(maxsize=2)
def model_data(path: Path) -> dict[str, Any]:
    """A model file as stored, read once per process: the thresholds here and the models
    (duplicate_model.load, crosswalk_model.load) are read from the same reading."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _threshold(path: Path) -> float:
    return float(model_data(path)["threshold"])


# Recommendations: the crosswalk model's threshold, chosen on held-out published crosswalks
# (bench/calibrate_crosswalks.py); their suggestions are made by crosswalk_inference.py.
RECOMMENDATION_MIN_SCORE = _threshold(CROSSWALK_MODEL_PATH)


def default_min_score(kind: CandidateKind) -> float:
    """The threshold a suggestion is shown from unless the user asks for another."""
    if kind is CandidateKind.INITIATIVE:
        return _threshold(DUPLICATE_MODEL_PATH)
    return RECOMMENDATION_MIN_SCORE


# The initiatives' threshold, chosen by cross-validation (bench/calibrate_duplicates.py).
DEFAULT_MIN_SCORE = default_min_score(CandidateKind.INITIATIVE)


def store_floor(kind: CandidateKind) -> float:
    """The score a refresh stores suggestions of this kind from: STORE_FLOOR for
    initiatives, half the threshold for recommendations, so users can look below it."""
    if kind is CandidateKind.INITIATIVE:
        return STORE_FLOOR
    return round(RECOMMENDATION_MIN_SCORE / 2, 4)
