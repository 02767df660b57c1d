"""The words people use for our enumerations, in English and French, and reading them back.

A co-chair filling in a spreadsheet writes "PROPOSED" (as the API returns it), "Proposée"
(as a French page says it) or "co-chair": each means one stored value. The labels are data
in one table, so that a sheet template, an error message and a page can all show them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from schema.enums import ContributorRole, InitiativeStatus, MemberRole, SignatoryKind
from schema.text import fold

# The labels, one line per value: vocabulary, value, English label, French label.
LABELS_PATH = Path(__file__).with_name("vocabulary.tsv")
_LABELLED: tuple[type[StrEnum], ...] = (
    InitiativeStatus,
    SignatoryKind,
    MemberRole,
    ContributorRole,
)


def _labels() -> dict[type[StrEnum], dict[str, tuple[str, str]]]:
    """value -> (English label, French label), by vocabulary; a value that is none of its
    vocabulary's stops the import here, not a reading later."""
    by_name = {enum.__name__: enum for enum in _LABELLED}
    labels: dict[type[StrEnum], dict[str, tuple[str, str]]] = {}
    for line in LABELS_PATH.read_text(encoding="utf-8").splitlines()[1:]:  # 1st: the columns
        if line:
            name, value, english, french = line.split("\t")
            labels.setdefault(by_name[name], {})[by_name[name](value).value] = (english, french)
    return labels


LABELS = _labels()

# Languages a sheet may name in words as well as by ISO code.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "anglais"),
    "fr": ("french", "francais"),
}


def _key(text: str) -> str:
    """Case, accents, spaces, hyphens and underscores do not matter: 'CO_CHAIR', 'co-chair'
    and 'Co chair' are one word, and so are 'Proposée' and 'proposee'."""
    plain = fold(text.strip())
    return "_".join(plain.replace("-", " ").replace("_", " ").split())


def _readings(enum: type[StrEnum]) -> dict[str, str]:
    readings: dict[str, str] = {}
    for member in enum:
        readings[_key(member.value)] = member.value
        readings[_key(member.name)] = member.value
        for label in LABELS.get(enum, {}).get(member.value, ()):
            readings.setdefault(_key(label), member.value)
    return readings


def read(enum: type[StrEnum], text: str) -> str | None:
    """The stored value a person's word means, or None when it means none of them."""
    return _readings(enum).get(_key(text))


def read_language(text: str) -> str:
    """'FR', 'fr', 'French' and 'français' are 'fr'; anything else is left as written."""
    key = _key(text)
    for code, names in LANGUAGE_NAMES.items():
        if key == code or key in names:
            return code
    return text.strip().lower() if len(text.strip()) == 2 else text


def allowed(enum: type[StrEnum]) -> str:
    """Every value with its two labels, for templates and error messages."""
    parts = []
    for member in enum:
        english, french = LABELS.get(enum, {}).get(member.value, (member.value, member.value))
        parts.append(f"{member.value} ({english} / {french})")
    return ", ".join(parts)
