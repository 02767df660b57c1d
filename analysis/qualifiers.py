"""Contrasting qualifiers: words that, on two texts about one thing, say they are not one.

Two initiatives can share their core concept and most of their wording and still differ
by a qualifier: source-code escrow for public buyers or for private companies, a threat
bulletin for hospitals or for energy operators, a toolkit for small or for large firms.
The embedding and the glossary's concepts see the shared core and score such a pair as a
duplicate. Each line of qualifiers.tsv gives one value of a group of mutually exclusive
qualifiers (sector: public / private), with its words in English and French; a group in
which both texts name a value and share none is a contrast (pair_features.py counts them).
Words are matched on Snowball stems with accents folded, like the glossary, so the two
languages meet through the table, not through translation.

The groups come from the calibration data only (tests/labelled.load_calibration): the
calibration set's hard negatives (health and energy response teams, hospitals' and small
firms' bulletins, consumer and industrial devices) and the training batch of qualifier
hard negatives (tests/data/duplicates-contrasts.yaml: railways or air traffic, drug or
food plants, shop tills or ticket machines, wind or solar farms, small towns or large
cities, home routers or industrial gear, children or older people, students or
lecturers). Each word is in a calibration text or translates one that is; no held-out
batch was read to choose them. A word whose stem also means something else is left out:
French "grande" stems to "grand", as in "grand public" (the general public, not a large
organisation), so French names no large size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis import glossary

QUALIFIERS_PATH = Path(__file__).with_name("qualifiers.tsv")


def _load() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    lines = QUALIFIERS_PATH.read_text(encoding="utf-8").splitlines()[1:]  # the first names columns
    index: dict[str, dict[str, str]] = {"en": {}, "fr": {}}
    keys: list[str] = []
    for line in filter(None, lines):
        group, value, en, fr = line.split("\t")
        key = f"{group}:{value}"
        keys.append(key)
        for language, words in (("en", en), ("fr", fr)):
            for word in words.split("|"):
                for stem in glossary.stems(word, language):
                    index[language][stem] = key
    return index, tuple(keys)


_INDEX, KEYS = _load()
# Each qualifier's column, and each group's columns, for the per-record matrices.
COLUMNS: Mapping[str, int] = {key: n for n, key in enumerate(KEYS)}
GROUPS: Mapping[str, tuple[int, ...]] = {
    group: tuple(n for n, key in enumerate(KEYS) if key.split(":")[0] == group)
    for group in dict.fromkeys(key.split(":")[0] for key in KEYS)
}


def of(stems: Iterable[str], language: str) -> frozenset[str]:
    """The qualifiers (group:value) a text already cut into stems names."""
    index = _INDEX.get(language, _INDEX["en"])
    return frozenset(index[s] for s in stems if s in index)
