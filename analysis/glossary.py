"""A French-English glossary of supply-chain security, mapping both languages onto concepts.

Two texts that say the same thing in two languages share few words but many concepts:
"nomenclature logicielle" and "SBOM" are one concept, so are "sous-traitant" and
"supplier". Each concept has a facet, because what differs between two initiatives on
one topic is usually what they deliver, for whom, or at what scale: a deliverable or an
audience that differs is evidence against a duplicate, a subject that matches is evidence
for one. Phrases are matched on Snowball stems with accents folded, so plurals and
inflections ("fournisseurs", "signalées", "updates") count as their base form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer

from schema.text import fold as text_fold


class Facet(StrEnum):
    SUBJECT = "subject"  # what the initiative is about
    DELIVERABLE = "deliverable"  # what it produces: a guide, a fund, a label, a platform
    AUDIENCE = "audience"  # whom it serves or binds
    SCOPE = "scope"  # national, European, international


@dataclass(frozen=True)
class Concept:
    key: str
    label: str  # English label shown in explanations
    facet: Facet
    en: tuple[str, ...]
    fr: tuple[str, ...]


# One line per concept: key, facet, English and French labels, English and French phrases
# (each "|"-separated). Loanwords used in French texts (SBOM, cloud, open source) appear on
# both sides. Data, not code: a concept is added by adding a line.
GLOSSARY_PATH = Path(__file__).with_name("glossary.tsv")


def _rows() -> list[list[str]]:
    lines = GLOSSARY_PATH.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line]  # the first line names columns


_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_CURLY_APOSTROPHE = "\u2019"
_STEMMERS = {"en": "english", "fr": "french"}


def fold(text: str) -> str:
    """Accents and case folded, and the typographic apostrophe made plain."""
    return text_fold(text).replace(_CURLY_APOSTROPHE, "'")


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(_STEMMERS.get(language, "english"))


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    result: str = _stemmer(language).stemWord(word)
    return result


def stems(text: str, language: str) -> tuple[str, ...]:
    """The text's words, accent-folded and stemmed in its language (elisions split off)."""
    out: list[str] = []
    for token in _WORD.findall(fold(text)):
        for word in re.split(r"[-']", token):
            if word and word not in _ELIDED:
                out.append(_stem(word, language))
    return tuple(out)


# What an apostrophe cuts off in French (d'eux, l'agence, qu'on): not words of their own.
_ELIDED = frozenset({"d", "l", "qu", "s", "j", "n", "m", "c", "t", ""})


@dataclass(frozen=True)
class _Phrase:
    concept: str
    stems: tuple[str, ...]


_ROWS = _rows()
CONCEPTS: Mapping[str, Concept] = {
    key: Concept(key, label, Facet(facet), tuple(en.split("|")), tuple(fr.split("|")))
    for key, facet, label, _, en, fr in _ROWS
}
# Each concept's column in the per-record concept matrices (analysis/pair_features.py).
COLUMNS: Mapping[str, int] = {key: n for n, key in enumerate(CONCEPTS)}


@lru_cache(maxsize=2)
def _index(language: str) -> dict[str, list[_Phrase]]:
    """Phrases of one language indexed by their first stem, longest first."""
    index: dict[str, list[_Phrase]] = {}
    for concept in CONCEPTS.values():
        for phrase in concept.en if language == "en" else concept.fr:
            stemmed = stems(phrase, language)
            if stemmed:
                index.setdefault(stemmed[0], []).append(_Phrase(concept.key, stemmed))
    for candidates in index.values():
        candidates.sort(key=lambda p: -len(p.stems))
    return index


def concepts(text: str, language: str) -> frozenset[str]:
    """Keys of the concepts a text mentions (longest phrase wins at each position)."""
    return concepts_of(stems(text, language), language)


def concepts_of(words: tuple[str, ...], language: str) -> frozenset[str]:
    """concepts() for a text already cut into stems (by stems(), in the same language)."""
    language = language if language in _STEMMERS else "en"
    index = _index(language)
    found: set[str] = set()
    n = 0
    while n < len(words):
        step = 1
        for phrase in index.get(words[n], ()):
            if words[n : n + len(phrase.stems)] == phrase.stems:
                found.add(phrase.concept)
                step = len(phrase.stems)
                break
        n += step
    return frozenset(found)


def by_facet(keys: Iterable[str], facet: Facet) -> frozenset[str]:
    return frozenset(k for k in keys if CONCEPTS[k].facet is facet)


def labels(keys: Iterable[str]) -> list[str]:
    return sorted(CONCEPTS[k].label for k in keys)


# What French pages show for each concept.
FRENCH_LABELS: dict[str, str] = {key: label_fr for key, _, _, label_fr, _, _ in _ROWS}


def label(key: str, lang: str = "en") -> str:
    """A concept as a person reads it, in `lang` (its key if unknown)."""
    concept = CONCEPTS.get(key)
    if concept is None:
        return key
    return FRENCH_LABELS.get(key, concept.label) if lang == "fr" else concept.label
