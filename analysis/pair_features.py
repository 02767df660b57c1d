"""What two initiatives have in common, as numbers a fitted model turns into one score.

Each record is read once into a Profile (concepts of the glossary, stemmed words, length,
the mean similarity of its nearest neighbours); a pair's features are then cheap set
operations. The same function serves the product's refresh and the calibration
benchmark, so what is calibrated is what runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis import glossary
from analysis.glossary import Facet

# French and English words too common to say anything about a pair (already stemmed).
_STOP_WORDS = """
the and for with from that this their they which into are was were has have had its
our all any can will each per not but one two such than then them these those also
more most other only own same use used using via who whom how what when where les
des une aux par pour dans sur avec que qui est sont leur leurs ses ces cet cette
son nos nous vous elle ils elles pas plus comme ainsi tout tous toute toutes
entre chaque afin dont lors etre avoir ete fait faire
"""

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


_STOP = frozenset(_STOP_WORDS.split())


def profile(text: str, language: str | None) -> Profile:
    language = language or "en"
    stems = glossary.stems(text, language)
    found = glossary.concepts(text, language)
    return Profile(
        language=language,
        concepts=found,
        words=frozenset(s for s in stems if len(s) > 2 and s not in _STOP),
        length=max(1, len(text.split())),
        facets={facet: glossary.by_facet(found, facet) for facet in Facet},
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _conflict(a: frozenset[str], b: frozenset[str]) -> float:
    return 1.0 if a and b and not a & b else 0.0


@dataclass(frozen=True)
class PairContext:
    """What the neighbour search knows about a pair (see analysis/blocking.py)."""

    cosine: float
    concept_cosine: float
    rank: float
    hub_a: float
    hub_b: float
    concept_hub_a: float
    concept_hub_b: float


def features(a: Profile, b: Profile, seen: PairContext) -> list[float]:
    """The FEATURES of one pair, in their order."""
    across = a.language != b.language
    shared = len(a.concepts & b.concepts)
    smaller = min(len(a.concepts), len(b.concepts))
    cosine = seen.cosine
    return [
        cosine,
        cosine if across else 0.0,
        cosine - (seen.hub_a + seen.hub_b) / 2,
        math.log(seen.rank),
        seen.concept_cosine,
        seen.concept_cosine - (seen.concept_hub_a + seen.concept_hub_b) / 2,
        _jaccard(a.concepts, b.concepts),
        shared / smaller if smaller else 0.0,
        _conflict(a.facets[Facet.DELIVERABLE], b.facets[Facet.DELIVERABLE]),
        _conflict(a.facets[Facet.AUDIENCE], b.facets[Facet.AUDIENCE]),
        _conflict(a.facets[Facet.SCOPE], b.facets[Facet.SCOPE]),
        0.0 if across else _jaccard(a.words, b.words),
        1.0 if across else 0.0,
        min(a.length, b.length) / max(a.length, b.length),
    ]


def matrix(
    profiles: Sequence[Profile],
    pairs: Sequence[tuple[int, int]],
    contexts: Sequence[PairContext],
) -> npt.NDArray[np.float64]:
    """Features of many pairs, one row each."""
    rows = [
        features(profiles[i], profiles[j], seen)
        for (i, j), seen in zip(pairs, contexts, strict=True)
    ]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def concept_vectors(profiles: Sequence[Profile]) -> npt.NDArray[np.float32]:
    """Each record's concepts as a unit vector weighted by rarity (tf-idf over the glossary).

    Blocking searches these as well as the embeddings: two texts that name the same rare
    concepts are compared even when their embeddings are far apart (a one-line restatement
    of a long text, or a pair the encoder translates poorly).
    """
    keys = {key: n for n, key in enumerate(glossary.CONCEPTS)}
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
