"""The lexical relation between the words two texts swap, from a lexicon (issue 28).

An experiment of bench/lexical_experiment.py, not in the product. A duplicate restates:
the words one side has and the other lacks are synonyms, translations or a more general
word. A hard negative substitutes a sibling concept under the same parent (pupils /
students, notaries / bailiffs, blood bags / tissue grafts): a co-hyponym. The relation is
read from offline lexicons, not from embeddings:

- WordNet 3.0 (Debian's `wordnet-base`, /usr/share/wordnet), through nltk's
  WordNetCorpusReader (PyPI `nltk`; its downloader's data is not used). The Debian folder
  has no `lexnames` file, which the reader needs: the files are copied to a temporary
  folder with that file written out.
- FreeDict French-English and English-French (Debian's `dict-freedict-fra-eng`,
  `dict-freedict-eng-fra`, /usr/share/dictd, dictd format) map a French word to English
  lemmas, after a few inflection rules (plural, feminine, verb endings); a French word
  neither dictionary has is tried as a cognate (-ique -> -ic, -ité -> -ity, ...) that WordNet
  knows. Both sides are then compared in one WordNet.

For a pair: each side's content words (bench/word_alignment.tokens) become English lemma
sets; a word is matched when the other side has its stem (one language) or shares one of
its lemmas (a translation). The rest is the residue; residue words of the two sides are
paired greedily, best relation first: synonym (a shared synset, or an adjective cluster),
hypernym (one an ancestor of the other within HYPER_DEPTH), co-hyponym (a shared parent
within two levels, or antonyms), and whatever is left is unexplained.
"""

from __future__ import annotations

import gzip
import itertools
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

WORDNET = Path("/usr/share/wordnet")
DICTD = Path("/usr/share/dictd")
SENSES = 3  # the first senses of each lemma and part of speech (WordNet orders by use)
HYPER_DEPTH = 3
COUSIN_DEPTH = 2
MIN_PARENT_DEPTH = 4  # a shared parent this close to the root ("entity") explains nothing
GATE = 0.4
# The parts of speech whose senses are compared; --nouns in bench/lexical_experiment.py
# leaves verbs out (a verb's senses relate it to almost anything).
PARTS = ["n", "a", "s", "v"]

RELATIONS = ("synonym", "hypernym", "cohyponym", "unrelated", "unknown")
FEATURES: tuple[str, ...] = (
    "lex_synonym",  # IDF mass of synonym swaps over the smaller side's mass
    "lex_hypernym",
    "lex_cohyponym",
    "lex_left_max",  # unexplained residue share, the larger side
    "lex_left_min",
    "lex_cohyp_alone",  # co-hyponym swaps and no synonym or hypernym swap: 0/1
)

_LEXNAMES = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
]
_LEX_POS = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}


@lru_cache(maxsize=1)
def wordnet() -> Any:
    """WordNet 3.0 from Debian's files, with the lexnames file they lack."""
    import nltk  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from nltk.corpus.reader.wordnet import WordNetCorpusReader  # type: ignore[import-untyped,import-not-found,unused-ignore]

    folder = Path(tempfile.gettempdir()) / "bench-wordnet"
    folder.mkdir(exist_ok=True)
    for source in WORDNET.iterdir():
        target = folder / source.name
        if source.is_file() and not target.exists():
            shutil.copyfile(source, target)  # nltk refuses a link out of its root
    lexnames = folder / "lexnames"
    if not lexnames.exists():
        lines = [
            f"{n:02d}\t{name}\t{_LEX_POS[name.split('.')[0]]}" for n, name in enumerate(_LEXNAMES)
        ]
        lexnames.write_text("\n".join(lines) + "\n", encoding="utf-8")
    nltk.data.path.append(str(folder))

    class Reader(WordNetCorpusReader):  # type: ignore[misc]
        def map_wn(self, version: str = "wordnet") -> None:
            return None  # the map to the multilingual wordnet's version: not used here

    return Reader(str(folder), None)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(text: str) -> int:
    n = 0
    for c in text:
        n = n * 64 + _B64.index(c)
    return n


def _entries(name: str) -> Iterable[tuple[str, str]]:
    with gzip.open(DICTD / f"freedict-{name}.dict.dz") as handle:
        body = handle.read()
    for line in (DICTD / f"freedict-{name}.index").read_text(encoding="utf-8").splitlines():
        head, offset, length = line.split("\t")
        if head.startswith("00database"):
            continue
        start = _b64(offset)
        yield head, body[start : start + _b64(length)].decode("utf-8")


def _translations(entry: str) -> list[str]:
    """The one-word translations of a dictd entry (its lines after the headword line)."""
    out = []
    for line in entry.splitlines()[1:]:
        line = line.strip()
        if line[:1].isdigit() and ". " in line:
            line = line.split(". ", 1)[1]
        for part in line.split(","):
            word = part.strip().lower()
            if word.startswith("to "):
                word = word[3:]
            if word and " " not in word and word.isalpha():
                out.append(word)
    return out


@lru_cache(maxsize=1)
def french_english() -> dict[str, frozenset[str]]:
    """French word -> English words, from both FreeDict directions."""
    table: dict[str, set[str]] = {}
    for head, entry in _entries("fra-eng"):
        if " " not in head:
            table.setdefault(head.lower(), set()).update(_translations(entry))
    for head, entry in _entries("eng-fra"):
        if " " in head or not head.isalpha():
            continue
        for french in _translations(entry):
            table.setdefault(french, set()).add(head.lower())
    return {k: frozenset(v) for k, v in table.items() if v}


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


_FR_INFLECTIONS = (
    ("aux", "al"), ("eaux", "eau"), ("s", ""), ("x", ""), ("es", ""), ("e", ""),
    ("ées", "é"), ("ée", "é"), ("és", "é"), ("ives", "if"), ("ive", "if"),
    ("euses", "eur"), ("euse", "eur"), ("elles", "el"), ("elle", "el"), ("ent", "er"),
    ("ons", "er"), ("ez", "er"), ("e", "er"), ("es", "er"), ("é", "er"), ("ée", "er"),
    ("és", "er"), ("ées", "er"), ("ant", "er"), ("it", "ir"), ("issent", "ir"),
    ("ales", "al"), ("ale", "al"), ("ques", "que"), ("ennes", "en"), ("enne", "en"),
)  # fmt: skip
_COGNATES = (
    ("ique", "ic"), ("ique", "ical"), ("ité", "ity"), ("eur", "or"), ("eur", "er"),
    ("iste", "ist"), ("isme", "ism"), ("ie", "y"), ("aire", "ary"), ("el", "al"),
    ("if", "ive"), ("eux", "ous"), ("iser", "ize"), ("er", ""), ("er", "e"), ("é", "ed"),
    ("é", "e"), ("ée", "ee"), ("e", ""), ("", ""),
)  # fmt: skip


def _french_lemmas(word: str) -> list[str]:
    out = [word]
    for end, repl in _FR_INFLECTIONS:
        if word.endswith(end) and len(word) - len(end) >= 3:
            out.append(word[: len(word) - len(end)] + repl)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Lemmas:
    words: frozenset[str]  # English lemmas WordNet knows
    source: str  # "wordnet" (English), "dictionary", "cognate", "none"


@lru_cache(maxsize=100_000)
def lemmas(word: str, language: str) -> Lemmas:
    wn = wordnet()
    found: set[str] = set()
    if language != "fr":
        for pos in ("n", "v", "a"):
            base = wn.morphy(word, pos)
            if base:
                found.add(base)
        return Lemmas(frozenset(found), "wordnet" if found else "none")
    table = french_english()
    candidates = _french_lemmas(word)
    for candidate in candidates:
        for english in table.get(candidate, ()):
            for pos in ("n", "v", "a"):
                base = wn.morphy(english, pos)
                if base:
                    found.add(base)
    if found:
        return Lemmas(frozenset(found), "dictionary")
    for candidate in candidates:
        folded = _fold(candidate)
        for end, repl in _COGNATES:
            if folded.endswith(_fold(end)) and len(folded) >= 5:
                english = folded[: len(folded) - len(_fold(end))] + repl
                if len(english) >= 5 and wn.synsets(english):
                    found.add(english)
        if found:
            break
    return Lemmas(frozenset(found), "cognate" if found else "none")


@lru_cache(maxsize=100_000)
def _synsets(lemma: str) -> tuple[Any, ...]:
    wn = wordnet()
    out: list[Any] = []
    for pos in PARTS:
        senses = [s for s in wn.synsets(lemma, pos) if s.pos() == pos][:SENSES]
        out.extend(senses)
        if pos in ("a", "s"):  # an adjective of a noun (european -> Europe): its noun too
            for s in senses:
                for lemma_ in s.lemmas():
                    out.extend(p.synset() for p in lemma_.pertainyms()[:1])
    return tuple(dict.fromkeys(out))


def _up(synset: Any, depth: int) -> dict[Any, int]:
    """Ancestors within `depth` levels, with their distance."""
    seen = {synset: 0}
    frontier = [synset]
    for level in range(1, depth + 1):
        nxt = []
        for s in frontier:
            for parent in s.hypernyms() + s.instance_hypernyms():
                if parent not in seen:
                    seen[parent] = level
                    nxt.append(parent)
        frontier = nxt
    return seen


@lru_cache(maxsize=500_000)
def relation(a: frozenset[str], b: frozenset[str]) -> str:
    """The closest relation between two words' English lemma sets (no lemma shared)."""
    sa = {s for lemma in a for s in _synsets(lemma)}
    sb = {s for lemma in b for s in _synsets(lemma)}
    if not sa or not sb:
        return "unknown"
    if sa & sb:
        return "synonym"
    for s in sa:
        similar = set(s.similar_tos()) | set(s.also_sees())
        if similar & sb:
            return "synonym"
    ups_a = {s: _up(s, HYPER_DEPTH) for s in sa}
    ups_b = {s: _up(s, HYPER_DEPTH) for s in sb}
    for ups in ups_a.values():
        if sb & set(ups):
            return "hypernym"
    for ups in ups_b.values():
        if sa & set(ups):
            return "hypernym"
    antonyms_a = {x.name() for s in sa for lem in s.lemmas() for x in lem.antonyms()}
    if antonyms_a & {lem.name() for s in sb for lem in s.lemmas()}:
        return "cohyponym"
    for s in sa:
        near_a = {p for p, d in ups_a[s].items() if 1 <= d <= COUSIN_DEPTH}
        for t in sb:
            common = near_a & {p for p, d in ups_b[t].items() if 1 <= d <= COUSIN_DEPTH}
            if any(p.min_depth() >= MIN_PARENT_DEPTH for p in common):
                return "cohyponym"
    return "unrelated"


_RANK = {"synonym": 0, "hypernym": 1, "cohyponym": 2}


@dataclass
class PairReading:
    """One pair's residue and how its words were paired."""

    swaps: list[tuple[str, str, str]] = field(default_factory=list)  # (word a, word b, rel)
    left: list[tuple[str, str]] = field(default_factory=list)  # (word, unrelated|unknown)
    mass: dict[str, float] = field(default_factory=dict)  # IDF mass of each relation's swaps
    left_shares: tuple[float, float] = (0.0, 0.0)  # unexplained residue share of each side
    smaller: float = 1.0  # the smaller side's IDF mass


class Lexical:
    """The records' words of one batch, and the lexical features of any of their pairs."""

    def __init__(
        self, words: Sequence[tuple[tuple[str, str], ...]], languages: Sequence[str]
    ) -> None:
        self.words = list(words)
        self.languages = list(languages)
        df: dict[tuple[str, str], int] = {}
        for record, language in zip(words, languages, strict=True):
            for stem, _ in record:
                df[(language, stem)] = df.get((language, stem), 0) + 1
        n = max(1, len(words))
        self.idf = {k: float(np.log((1 + n) / (1 + v)) + 1.0) for k, v in df.items()}
        self.lemmas = [
            [lemmas(word, language) for _, word in record]
            for record, language in zip(words, languages, strict=True)
        ]

    def read(self, i: int, j: int) -> PairReading:
        """The pair's residue, its words paired best relation first."""
        wi, wj = self.words[i], self.words[j]
        li, lj = self.lemmas[i], self.lemmas[j]
        same = self.languages[i] == self.languages[j]
        stems_i, stems_j = {s for s, _ in wi}, {s for s, _ in wj}
        all_i = set().union(*(x.words for x in li))
        all_j = set().union(*(x.words for x in lj))

        def residue(words: Any, lem: Any, stems: set[str], other: set[str]) -> list[int]:
            return [
                n
                for n, ((stem, _), x) in enumerate(zip(words, lem, strict=True))
                if not (same and stem in stems) and not (x.words & other)
            ]

        ri = residue(wi, li, stems_j, all_j)
        rj = residue(wj, lj, stems_i, all_i)
        idf_i = [self.idf[(self.languages[i], s)] for s, _ in wi]
        idf_j = [self.idf[(self.languages[j], s)] for s, _ in wj]
        links = []
        for a, b in itertools.product(ri, rj):
            rel = relation(li[a].words, lj[b].words)
            if rel in _RANK:
                links.append((_RANK[rel], -idf_i[a] * idf_j[b], a, b, rel))
        links.sort()
        used_i: set[int] = set()
        used_j: set[int] = set()
        reading = PairReading(mass=dict.fromkeys(_RANK, 0.0))
        for _, _, a, b, rel in links:
            if a in used_i or b in used_j:
                continue
            used_i.add(a)
            used_j.add(b)
            reading.swaps.append((wi[a][1], wj[b][1], rel))
            reading.mass[rel] += float(np.sqrt(idf_i[a] * idf_j[b]))
        for a in ri:
            if a not in used_i:
                reading.left.append((wi[a][1], "unknown" if not li[a].words else "unrelated"))
        for b in rj:
            if b not in used_j:
                reading.left.append((wj[b][1], "unknown" if not lj[b].words else "unrelated"))
        mass_i, mass_j = sum(idf_i), sum(idf_j)
        reading.left_shares = (
            sum(idf_i[a] for a in ri if a not in used_i) / mass_i,
            sum(idf_j[b] for b in rj if b not in used_j) / mass_j,
        )
        reading.smaller = min(mass_i, mass_j)
        return reading

    def features(
        self,
        low: npt.NDArray[np.int64],
        high: npt.NDArray[np.int64],
        cosines: npt.NDArray[np.floating[Any]],
    ) -> tuple[npt.NDArray[np.float64], list[PairReading | None]]:
        """The FEATURES of the pairs (low[n], high[n]), 0 below GATE, and their readings."""
        out = np.zeros((len(low), len(FEATURES)))
        readings: list[PairReading | None] = [None] * len(low)
        for n in np.flatnonzero(np.asarray(cosines) >= GATE).tolist():
            i, j = int(low[n]), int(high[n])
            if not self.words[i] or not self.words[j]:
                continue
            reading = readings[n] = self.read(i, j)
            mass = reading.mass
            out[n, 0] = mass["synonym"] / reading.smaller
            out[n, 1] = mass["hypernym"] / reading.smaller
            out[n, 2] = mass["cohyponym"] / reading.smaller
            out[n, 3] = max(reading.left_shares)
            out[n, 4] = min(reading.left_shares)
            out[n, 5] = float(mass["cohyponym"] > 0 and mass["synonym"] + mass["hypernym"] == 0)
        return out, readings
