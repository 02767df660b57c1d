"""The words only one side of a pair has, compared through the embedding (issue 28).

Hard negatives share nearly all their wording and differ by one qualifier, asset or
audience ("remote updates of cars" / "... of farm machinery"): the sentence encoder scores
them 0.8-0.999. Word lists of such contrasts, learned on one batch, did not carry over to
the next. Here no list is kept. Each content word of a pair is embedded alone by the same
encoder, and its counterpart is its closest word on the other side (the same stem in the
same language counts as a perfect one; across languages a translation is close:
"voitures" / "cars" 0.93, "personnel" / "staff" 0.96, while "vehicles" / "tractors" is
0.59). A word whose best counterpart stays below MATCH_SAME (one language) or
MATCH_ACROSS (two) is *residue*. Two features come of it:

- salience: how much more each side's residue (its word vectors summed) says of its own
  text than of the other (cosine with its own text minus cosine with the other), both
  sides added. A paraphrase's residue is wording ("launch" for "start", "every", "agree"):
  about as close to either text. A contrast's residue is what the text is about ("farm",
  "tractors"): close to its own text, not to the other.
- share: the residue's share of both sides' content words: a translation leaves little, a
  text on something else more.

Word vectors are embedded once per word and kept for the process (WORD_CACHE).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis import glossary
from analysis.encoder import DIMENSION, Encoder
from analysis.similarity import STOP_WORDS

# Pairs below this text cosine are not looked at (0 for both features): blocking's floor
# (analysis/blocking.BLOCK_FLOOR), so only what a concept neighbour brings in below it.
GATE = 0.2
# A word has a counterpart on the other side from this word cosine on: within a language
# (where the same stem also counts), and across (translations: "voitures" / "cars" 0.93,
# "personnel" / "staff" 0.96; near neighbours that differ, "vehicles" / "tractors" 0.59).
MATCH_SAME = 0.8
MATCH_ACROSS = 0.6
# Word vectors kept for the process, so a refresh, a calibration or a benchmark embeds each
# word once; emptied from this many on.
CACHE_LIMIT = 200_000
WORD_CACHE: dict[str, npt.NDArray[np.float32]] = {}

_WORD = re.compile(r"[^\W\d_]{3,}")

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def tokens(text: str, language: str) -> tuple[tuple[str, str], ...]:
    """The text's content words once each, as (stem, word as written, lower-case)."""
    out: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        folded = glossary.fold(word)
        if folded in STOP_WORDS:
            continue
        stemmed = glossary.stems(folded, language)
        out.setdefault(stemmed[0] if stemmed else folded, word)
    return tuple(out.items())


def word_vectors(words: Sequence[str], encoder: Encoder | None) -> npt.NDArray[np.float32]:
    """One unit row per word, embedded alone by the sentence encoder (cached)."""
    todo = [w for w in dict.fromkeys(words) if w not in WORD_CACHE]
    if todo:
        if len(WORD_CACHE) + len(todo) > CACHE_LIMIT:
            WORD_CACHE.clear()
        fresh = (encoder or Encoder()).encode(todo)
        WORD_CACHE.update(zip(todo, fresh, strict=True))
    if not words:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    return np.stack([WORD_CACHE[w] for w in words]).astype(np.float32)


class Residues:
    """Per-record words and text vectors of one refresh, and the two features of any pairs.

    Words and stems become ids into one vocabulary (flat arrays with offsets per record);
    text vectors are kept as float16 (1 KiB a record). Word vectors are embedded on the
    first call that needs them, for the words of the pairs asked about only.
    """

    def __init__(
        self,
        words: Sequence[tuple[tuple[str, str], ...]],
        languages: Sequence[str],
        vectors: npt.NDArray[np.floating[Any]],
        encoder: Encoder | None = None,
    ) -> None:
        vocabulary: dict[str, int] = {}
        stems: dict[str, int] = {}
        word_ids: list[int] = []
        stem_ids: list[int] = []
        lengths = []
        for record in words:
            lengths.append(len(record))
            for stem, word in record:
                word_ids.append(vocabulary.setdefault(word, len(vocabulary)))
                stem_ids.append(stems.setdefault(stem, len(stems)))
        self.vocabulary = list(vocabulary)
        self.word_ids = np.asarray(word_ids, dtype=np.int64)
        self.stem_ids = np.asarray(stem_ids, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        codes = {lang: n for n, lang in enumerate(sorted(set(languages)))}
        self.languages = np.asarray([codes[lang] for lang in languages], dtype=np.int64)
        self.vectors = np.asarray(vectors, dtype=np.float16)
        self.encoder = encoder
        self._word_vectors = np.zeros((len(self.vocabulary), DIMENSION), dtype=np.float32)
        self._embedded = np.zeros(len(self.vocabulary), dtype=bool)

    def _ids(self, n: int) -> slice:
        return slice(int(self.offsets[n]), int(self.offsets[n + 1]))

    def _embed(self, records: Ints) -> None:
        """Word vectors of these records' words, where not yet known."""
        starts, ends = self.offsets[records], self.offsets[records + 1]
        spans = [self.word_ids[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
        needed = np.unique(np.concatenate(spans)) if spans else np.zeros(0, dtype=np.int64)
        needed = needed[~self._embedded[needed]]
        if len(needed):
            words = [self.vocabulary[k] for k in needed.tolist()]
            self._word_vectors[needed] = word_vectors(words, self.encoder)
            self._embedded[needed] = True

    def features(
        self, low: Ints, high: Ints, cosines: npt.NDArray[np.floating[Any]]
    ) -> tuple[Floats, Floats]:
        """(salience, share) of the pairs (low[n], high[n]); 0 below GATE or without words."""
        salience = np.zeros(len(low), dtype=np.float64)
        share = np.zeros(len(low), dtype=np.float64)
        sizes = np.diff(self.offsets)
        gated = np.flatnonzero((np.asarray(cosines) >= GATE) & (sizes[low] > 0) & (sizes[high] > 0))
        if not len(gated):
            return salience, share
        self._embed(np.unique(np.concatenate([low[gated], high[gated]])))
        order = gated[np.argsort(low[gated], kind="stable")]
        cuts = np.flatnonzero(np.diff(low[order])) + 1
        for group in np.split(order, cuts):
            salience[group], share[group] = self._one_to_many(int(low[group[0]]), high[group])
        return salience, share

    def _one_to_many(self, i: int, others: Ints) -> tuple[Floats, Floats]:
        """The features of the pairs (i, j) for each j of `others` (all with words): one
        product of word vectors for all of them, cut per partner."""
        vectors = self._word_vectors
        mine = self.word_ids[self._ids(i)]
        spans = [self._ids(int(j)) for j in others]
        theirs = np.concatenate([self.word_ids[s] for s in spans])
        their_stems = np.concatenate([self.stem_ids[s] for s in spans])
        counts = np.asarray([s.stop - s.start for s in spans], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        owner = np.repeat(np.arange(len(others)), counts)  # the partner of each column
        same = self.languages[others] == self.languages[i]
        mine_w, theirs_w = vectors[mine], vectors[theirs]
        match = mine_w @ theirs_w.T  # word cosines: my words x all partners' words
        exact = self.stem_ids[self._ids(i)][:, None] == their_stems[None, :]
        match[exact & same[owner][None, :]] = 1.0
        best_mine = np.maximum.reduceat(match, starts, axis=1)  # my words x partners
        best_theirs = match.max(axis=0)  # each partner word's best among mine
        level = np.where(same, MATCH_SAME, MATCH_ACROSS)
        left_mine = best_mine < level[None, :]  # my words x partners: residue
        left_theirs = best_theirs < level[owner]
        left = left_mine.sum(axis=0) + np.add.reduceat(left_theirs, starts)
        share = left / (len(mine) + counts)
        # each side's residue, summed, against its own text and the other
        text_i = self.vectors[i].astype(np.float32)[None, :]
        text_j = self.vectors[others].astype(np.float32)
        residue_mine = left_mine.T.astype(np.float32) @ mine_w  # partners x DIMENSION
        residue_theirs = np.add.reduceat(theirs_w * left_theirs[:, None], starts, axis=0)
        salience = _salience(residue_mine, text_i, text_j) + _salience(
            residue_theirs, text_j, text_i
        )
        return salience, share.astype(np.float64)


def _salience(
    residue: npt.NDArray[np.float32],
    own: npt.NDArray[np.float32],
    other: npt.NDArray[np.float32],
) -> Floats:
    """Cosine of each residue with its own text minus with the other; 0 without residue."""
    norms = np.linalg.norm(residue, axis=1)
    gap = (residue * own).sum(axis=1) - (residue * other).sum(axis=1)
    out: Floats = np.divide(gap, norms, out=np.zeros_like(gap), where=norms > 0).astype(np.float64)
    return out
