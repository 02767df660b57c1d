"""What two initiatives have in common, as numbers a fitted model turns into one score.

Each record is read once into a Profile (concepts of the glossary, stemmed words,
length); the features of many pairs are then computed at once (Records.features). The
same code serves the product's refresh, the calibration and the exhaustive benchmark, so
what is calibrated is what runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from analysis import glossary
from analysis.glossary import Facet
from analysis.similarity import STOP_WORDS

FEATURES: tuple[str, ...] = (
    "cosine",  # multilingual embedding similarity
    "cosine_across",  # the same, counted again when the languages differ (it runs lower)
    "hubness",  # cosine minus the mean similarity of both to their neighbours (CSLS)
    "rank",  # log of the worse rank of each end among the other's neighbours
    "concept_cosine",  # cosine of the concept vectors (rare concepts weigh more)
    "concept_hubness",  # the same, minus both ends' mean concept-neighbour similarity
    "concepts",  # Jaccard of glossary concepts, any language
    "concepts_contained",  # shared concepts over the smaller side: short vs specific texts
    "deliverable_conflict",  # both name what they deliver, and nothing in common
    "audience_conflict",  # both name whom they serve, and nothing in common
    "scope_conflict",  # national vs European vs international
    "words",  # Jaccard of stemmed words, same language only
    "across",  # the languages differ
    "length_ratio",  # shorter over longer, in words
)


@dataclass(frozen=True)
class Profile:
    language: str
    concepts: frozenset[str]
    words: frozenset[str]
    length: int
    facets: Mapping[Facet, frozenset[str]]


def profile(text: str, language: str | None) -> Profile:
    language = language or "en"
    stems = glossary.stems(text, language)
    found = glossary.concepts_of(stems, language)
    return Profile(
        language=language,
        concepts=found,
        words=frozenset(s for s in stems if len(s) > 2 and s not in STOP_WORDS),
        length=max(1, len(text.split())),
        facets={facet: glossary.by_facet(found, facet) for facet in Facet},
    )


class Records:
    """The per-record facts of one refresh, from which features of many pairs come at once.

    Concepts, facets and words become sparse 0/1 matrices, so that what two records share
    is a row-wise product: a million pairs take seconds, not the minutes a loop over sets
    takes. `hubs` and `concept_hubs` come from the neighbour search (analysis/blocking.py).
    """

    def __init__(
        self,
        profiles: Sequence[Profile],
        hubs: npt.NDArray[np.float32],
        concept_hubs: npt.NDArray[np.float32],
    ) -> None:
        keys, width = glossary.COLUMNS, len(glossary.COLUMNS)
        self.concepts = _binary([[keys[c] for c in p.concepts] for p in profiles], width)
        self.facets = [
            _binary([[keys[c] for c in p.facets[facet]] for p in profiles], width)
            for facet in (Facet.DELIVERABLE, Facet.AUDIENCE, Facet.SCOPE)
        ]
        vocabulary: dict[str, int] = {}
        self.words = _binary(
            [[vocabulary.setdefault(w, len(vocabulary)) for w in p.words] for p in profiles],
            len(vocabulary),
        )
        self.languages = np.array([p.language for p in profiles])
        self.lengths = np.array([p.length for p in profiles], dtype=np.float64)
        self.hubs = hubs.astype(np.float64)
        self.concept_hubs = concept_hubs.astype(np.float64)

    def features(
        self,
        low: npt.NDArray[np.int64],
        high: npt.NDArray[np.int64],
        *,
        cosines: npt.NDArray[np.floating[Any]],
        concept_cosines: npt.NDArray[np.floating[Any]],
        ranks: npt.NDArray[np.floating[Any]],
    ) -> npt.NDArray[np.float64]:
        """The FEATURES of the pairs (low[n], high[n]), one row each, in their order."""
        cosine = cosines.astype(np.float64)
        concept_cosine = concept_cosines.astype(np.float64)
        across = (self.languages[low] != self.languages[high]).astype(np.float64)
        shared, size_a, size_b = _shared(self.concepts, low, high)
        union = size_a + size_b - shared
        smaller = np.minimum(size_a, size_b)
        conflicts = []
        for facet in self.facets:
            f_shared, f_a, f_b = _shared(facet, low, high)
            conflicts.append(((f_a > 0) & (f_b > 0) & (f_shared == 0)).astype(np.float64))
        w_shared, w_a, w_b = _shared(self.words, low, high)
        words = _ratio(w_shared, w_a + w_b - w_shared) * (1.0 - across)
        lengths = np.minimum(self.lengths[low], self.lengths[high]) / np.maximum(
            self.lengths[low], self.lengths[high]
        )
        columns = [
            cosine,
            cosine * across,
            cosine - (self.hubs[low] + self.hubs[high]) / 2,
            np.log(ranks.astype(np.float64)),
            concept_cosine,
            concept_cosine - (self.concept_hubs[low] + self.concept_hubs[high]) / 2,
            _ratio(shared, union),
            _ratio(shared, smaller),
            *conflicts,
            words,
            across,
            lengths,
        ]
        return np.stack(columns, axis=1) if len(low) else np.zeros((0, len(FEATURES)))


def _binary(rows: list[list[int]], width: int) -> sparse.csr_matrix:
    """One row per record, a 1 in each column it has."""
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), max(1, width)))


def _shared(
    matrix: sparse.csr_matrix, low: npt.NDArray[np.int64], high: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """How many columns each pair has in common, and how many each end has."""
    shared = np.asarray(matrix[low].multiply(matrix[high]).sum(axis=1), dtype=np.float64).ravel()
    sizes = np.diff(matrix.indptr).astype(np.float64)
    return shared, sizes[low], sizes[high]


def _ratio(
    top: npt.NDArray[np.float64], bottom: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)


def concept_vectors(profiles: Sequence[Profile]) -> npt.NDArray[np.float32]:
    """Each record's concepts as a unit vector weighted by rarity (tf-idf over the glossary).

    Blocking searches these as well as the embeddings: two texts that name the same rare
    concepts are compared even when their embeddings are far apart (a one-line restatement
    of a long text, or a pair the encoder translates poorly).
    """
    keys = glossary.COLUMNS
    counts = np.zeros((len(profiles), len(keys)), dtype=np.float32)
    for row, item in enumerate(profiles):
        for key in item.concepts:
            counts[row, keys[key]] = 1.0
    present = counts.sum(axis=0)
    weights = np.log((1 + len(profiles)) / (1 + present)) + 1.0
    vectors = counts * weights
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(vectors / norms, dtype=np.float32)
