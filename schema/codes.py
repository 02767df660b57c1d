"""ISO codes for languages (639-1) and countries (3166-1 alpha-2), from pycountry."""

from __future__ import annotations

from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator


@cache
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def check_language(value: str) -> str:
    if value not in language_codes():
        raise ValueError(f"'{value}' is not an ISO 639-1 language code (e.g. 'en', 'fr')")
    return value


def check_country(value: str) -> str:
    if value not in country_codes():
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. 'FR')")
    return value


# The languages initiatives are written in: the registry's pages, templates and reports
# speak these two. Recommendation sets keep any ISO 639-1 language their publisher used.
INITIATIVE_LANGUAGES = ("en", "fr")


def check_initiative_language(value: str) -> str:
    if value not in INITIATIVE_LANGUAGES:
        raise ValueError(
            f"'{value}' is not a language of the registry's initiatives: en or fr "
            "(English, français)"
        )
    return value


Language = Annotated[str, AfterValidator(check_language)]
InitiativeLanguage = Annotated[str, AfterValidator(check_initiative_language)]
Country = Annotated[str, AfterValidator(check_country)]
