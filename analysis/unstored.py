"""Every compared pair keeps a retrievable score, without a relationship per pair.

A refresh compares every pair blocking keeps (a hundred thousand among 10,000
initiatives) and stores as suggestions only those scored from STORE_FLOOR up; storing a
relationship for each of the others made a cold refresh of 10,000 several times slower.
The others are packed here into one value (the ids of both ends and the score, as
compressed arrays) kept beside the registry's calibration, so that a list read from a
score below the floor (`--min-score 0`, `duplicateCandidates(minScore: 0)`) shows them
too, after the stored ones (all scored higher), best first.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Scores are kept to 1/65535: far finer than any threshold or list needs.
_SCALE = 65535


@dataclass(frozen=True)
class Unstored:
    """Pairs below the stored floor, best first: ends (ids) and scores."""

    a: list[str]
    b: list[str]
    scores: npt.NDArray[np.float64]

    def between(self, low: float, high: float) -> Iterator[tuple[str, str, float]]:
        """(a, b, score) of the pairs scored from `low` up to (not including) `high`."""
        for n in np.flatnonzero((self.scores >= low) & (self.scores < high)).tolist():
            yield self.a[n], self.b[n], float(self.scores[n])


def pack(
    ids: Sequence[str],
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
) -> str:
    """One text for these pairs (positions in `ids`, scores in [0, 1])."""
    order = np.argsort(-scores, kind="stable")
    used = np.unique(np.concatenate([low, high])) if len(low) else np.zeros(0, dtype=np.int64)
    renumber = np.full(len(ids), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        ids=np.array([ids[n] for n in used.tolist()], dtype=str),
        low=renumber[low[order]].astype(np.int32),
        high=renumber[high[order]].astype(np.int32),
        scores=np.round(np.clip(scores[order], 0.0, 1.0) * _SCALE).astype(np.uint16),
    )
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def unpack(text: str | None) -> Unstored:
    if not text:
        return Unstored([], [], np.zeros(0))
    with np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False) as data:
        ids = data["ids"].tolist()
        return Unstored(
            a=[ids[n] for n in data["low"].tolist()],
            b=[ids[n] for n in data["high"].tolist()],
            scores=data["scores"].astype(np.float64) / _SCALE,
        )
