"""Word alignment of two texts through the encoder, in one language or across two (issue 28).

Hard negatives share nearly all their wording, or translate it, and differ by one
qualifier, audience or deliverable (pupils / university students, notaries / bailiffs,
national / European). Each content word of a record is embedded alone by the same
multilingual encoder (cached per word), and each word of one text is aligned to its closest
word of the other (the same stem in one language counts as a perfect match; a translation
scores about 0.9). From the alignment of a pair come:

- unaligned_max / unaligned_min: the share of each side's salient wording (IDF-weighted
  over the refresh's records) whose best counterpart is below MATCH, the larger and the
  smaller of the two sides. One side saying more (a summary and its long text) raises the
  larger only; a contrast raises both.
- swap: the salient words that are each other's best counterpart (mutual best match) and
  yet below MATCH: two words in the same slot of two otherwise aligned texts, the
  signature of a qualifier swapped for another ("pupils" <-> "students"), as a share of the
  smaller side's IDF mass.
- swap_cosine: swap times the text cosine: a swap means a contrast only when the rest of the
  two texts agree.
- swap_top: the most salient single swap over the smaller side's mean salience.
- contrast: swap * (1 - unaligned_max), swaps where the rest is aligned.

Across languages a word embedded alone translates loosely ("horodatage" / "timestamp"
0.42, "muette" / "silent" 0.51), about as close as two words of a contrast ("emergency" /
"rescue" 0.61), so the alignment separates little there. `phrases` gives two-word units
instead of words (tried with bench/align_experiment.py --phrases; no better).
An experiment of bench/align_experiment.py, not in the product: it did not reach the gain
that would ship it (BENCHMARKS.md, "Word alignment").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis import glossary
from analysis.encoder import DIMENSION, Encoder
from analysis.similarity import STOP_WORDS

FEATURES: tuple[str, ...] = (
    "unaligned_max",
    "unaligned_min",
    "swap",
    "swap_cosine",
    "swap_top",  # the most salient single swap, over the mean salience of the smaller side
    "contrast",  # swap where the rest is aligned: swap * (1 - unaligned_max)
)
# Pairs below this text cosine are not aligned (all features 0): far below any threshold.
GATE = 0.4
# A word has a counterpart from this word cosine on: in one language, and across two (a
# word embedded alone translates loosely: "horodatage" / "timestamp" 0.42).
MATCH = 0.8
MATCH_ACROSS = 0.6
CACHE_LIMIT = 200_000
WORD_CACHE: dict[str, npt.NDArray[np.float32]] = {}

_WORD = re.compile(r"[^\W\d_]{3,}")
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def tokens(text: str, language: str) -> tuple[tuple[str, str], ...]:
    """The text's content words once each, as (stem, word as written in lower case)."""
    out: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        folded = glossary.fold(word)
        if folded in STOP_WORDS:
            continue
        stemmed = glossary.stems(folded, language)
        out.setdefault(stemmed[0] if stemmed else folded, word)
    return tuple(out.items())


_ANY_WORD = re.compile(r"[^\W\d_]+")


def phrases(text: str, language: str) -> tuple[tuple[str, str], ...]:
    """Each two consecutive content words with what stands between them ("horodatage des
    dépôts"), once each, as (their stems, the span in lower case): a phrase embeds and
    translates more faithfully than a word alone."""
    words = _ANY_WORD.findall(text.lower())
    content = [
        (n, stem)
        for n, word in enumerate(words)
        if len(word) >= 3 and (folded := glossary.fold(word)) not in STOP_WORDS
        for stem in [(glossary.stems(folded, language) or (folded,))[0]]
    ]
    out: dict[str, str] = {}
    for (a, stem_a), (b, stem_b) in itertools.pairwise(content):
        if b - a <= 3:
            out.setdefault(f"{stem_a} {stem_b}", " ".join(words[a : b + 1]))
    return tuple(out.items())


def word_vectors(words: Sequence[str], encoder: Encoder | None) -> npt.NDArray[np.float32]:
    """One unit row per word, embedded alone by the sentence encoder (cached)."""
    todo = [w for w in dict.fromkeys(words) if w not in WORD_CACHE]
    if todo:
        if len(WORD_CACHE) + len(todo) > CACHE_LIMIT:
            WORD_CACHE.clear()
        fresh = (encoder or Encoder(workers=1)).encode(todo)
        WORD_CACHE.update(zip(todo, fresh, strict=True))
    if not words:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    return np.stack([WORD_CACHE[w] for w in words]).astype(np.float32)


class Alignments:
    """The records' words of one refresh, and the alignment features of any of their pairs."""

    def __init__(
        self,
        words: Sequence[tuple[tuple[str, str], ...]],
        languages: Sequence[str],
        encoder: Encoder | None = None,
    ) -> None:
        vocabulary: dict[str, int] = {}
        stems: dict[tuple[str, str], int] = {}
        word_ids: list[int] = []
        stem_ids: list[int] = []
        lengths = []
        for record, language in zip(words, languages, strict=True):
            lengths.append(len(record))
            for stem, word in record:
                word_ids.append(vocabulary.setdefault(word, len(vocabulary)))
                stem_ids.append(stems.setdefault((language, stem), len(stems)))
        self.vocabulary = list(vocabulary)
        self.word_ids = np.asarray(word_ids, dtype=np.int64)
        self.stem_ids = np.asarray(stem_ids, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        # IDF of each (language, stem) over the refresh's records
        df = np.bincount(self.stem_ids, minlength=len(stems)).astype(np.float64)
        n = max(1, len(words))
        self.idf = (np.log((1 + n) / (1 + df)) + 1.0)[self.stem_ids] if len(df) else np.zeros(0)
        self.languages = list(languages)
        self.encoder = encoder
        self._vectors = np.zeros((len(self.vocabulary), DIMENSION), dtype=np.float32)
        self._embedded = np.zeros(len(self.vocabulary), dtype=bool)

    def _span(self, n: int) -> slice:
        return slice(int(self.offsets[n]), int(self.offsets[n + 1]))

    def _embed(self, records: Ints) -> None:
        spans = [self.word_ids[self._span(int(r))] for r in records]
        needed = np.unique(np.concatenate(spans)) if spans else np.zeros(0, dtype=np.int64)
        needed = needed[~self._embedded[needed]]
        if len(needed):
            self._vectors[needed] = word_vectors(
                [self.vocabulary[k] for k in needed.tolist()], self.encoder
            )
            self._embedded[needed] = True

    def features(self, low: Ints, high: Ints, cosines: npt.NDArray[np.floating[Any]]) -> Floats:
        """The FEATURES of the pairs (low[n], high[n]), one row each; 0 below GATE."""
        out = np.zeros((len(low), len(FEATURES)), dtype=np.float64)
        sizes = np.diff(self.offsets)
        cosines = np.asarray(cosines, dtype=np.float64)
        gated = np.flatnonzero((cosines >= GATE) & (sizes[low] > 0) & (sizes[high] > 0))
        if not len(gated):
            return out
        self._embed(np.unique(np.concatenate([low[gated], high[gated]])))
        for n in gated.tolist():
            out[n, [0, 1, 2, 4]] = self._pair(int(low[n]), int(high[n]))
        out[:, 3] = out[:, 2] * cosines
        out[:, 5] = out[:, 2] * (1.0 - out[:, 0])
        return out

    def _pair(self, i: int, j: int) -> tuple[float, float, float, float]:
        si, sj = self._span(i), self._span(j)
        a, b = self._vectors[self.word_ids[si]], self._vectors[self.word_ids[sj]]
        match = a @ b.T
        match[self.stem_ids[si][:, None] == self.stem_ids[sj][None, :]] = 1.0
        wa, wb = self.idf[si], self.idf[sj]
        best_a, best_b = match.max(axis=1), match.max(axis=0)
        level = MATCH if self.languages[i] == self.languages[j] else MATCH_ACROSS
        left_a = float(wa[best_a < level].sum() / wa.sum())
        left_b = float(wb[best_b < level].sum() / wb.sum())
        to_b, to_a = match.argmax(axis=1), match.argmax(axis=0)
        mutual = to_a[to_b] == np.arange(len(to_b))
        swapped = mutual & (best_a < level)
        weights = np.sqrt(wa[swapped] * wb[to_b[swapped]])
        swap = float(weights.sum() / min(wa.sum(), wb.sum()))
        top = float(weights.max() / min(wa.mean(), wb.mean())) if len(weights) else 0.0
        return max(left_a, left_b), min(left_a, left_b), swap, top
