"""The words people use for our enumerations, in English and French, and reading them back.

A co-chair filling in a spreadsheet writes "PROPOSED" (as the API returns it), "Proposée"
(as a French page says it) or "co-chair": each means one stored value. The labels are data
in one table, so that a sheet template, an error message and a page can all show them.
"""

from __future__ import annotations

from enum import StrEnum

from schema.enums import ContributorRole, InitiativeStatus, MemberRole, SignatoryKind
from schema.text import fold

# value -> (English label, French label)
LABELS: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    InitiativeStatus: {
        "proposed": ("proposed", "proposée"),
        "active": ("active", "active"),
        "completed": ("completed", "terminée"),
        "archived": ("archived", "archivée"),
    },
    SignatoryKind: {
        "state": ("state", "État"),
        "public_authority": ("public authority", "autorité publique"),
        "local_government": ("local government", "collectivité territoriale"),
        "company": ("company", "entreprise"),
        "civil_society": ("civil society", "société civile"),
        "academia": ("academia", "monde académique"),
        "international_org": ("international organisation", "organisation internationale"),
    },
    MemberRole: {
        "co_chair": ("co-chair", "coprésident"),
        "member": ("member", "membre"),
        "observer": ("observer", "observateur"),
    },
    ContributorRole: {
        "lead": ("lead", "pilote"),
        "partner": ("partner", "partenaire"),
        "supporter": ("supporter", "soutien"),
    },
}

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
