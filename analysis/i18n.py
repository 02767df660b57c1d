"""The words of the web pages and reports, in English and French, from gettext catalogs.

The words live in `analysis/locale/<lang>/LC_MESSAGES/messages.po`, the files translators
edit with the usual tools (Poedit, Weblate, pybabel; see "Translating the pages" in the
README). Each message's id is a stable key (`sign_in`, `status_proposed`), not the English
text: pages and reports look words up by key (`text(lang)["sign_in"]`, `{{ t.sign_in }}`,
`label(lang, "status", value)`), English has its own catalog like French, and a change of
English wording leaves the French alone instead of orphaning it.

The catalogs are compiled in the process, once, when first used (babel's .po reader and
.mo writer, then the standard library's gettext), so a fresh clone needs no build step.

Why here and not under api/: the Markdown and XLSX reports (analysis/report*.py) speak these
words too, and analysis may not import api (tests/unit/test_layers.py); this module holds
no words itself, only the loader, the key extractor Babel runs, and the list of keys built
at run time.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LANGUAGES = ("en", "fr")
DOMAIN = "messages"
LOCALE = Path(__file__).resolve().parent / "locale"


def catalog_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(lang: str) -> Catalog:
    """The language's .po file as Babel reads it (fuzzy and empty messages included)."""
    from babel.messages.pofile import read_po

    with catalog_path(lang).open("rb") as source:
        return read_po(source, locale=lang, domain=DOMAIN)


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The language's catalog compiled in memory, fuzzy and empty messages left out as
    `pybabel compile` leaves them out."""
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, catalog(lang), use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def _words(lang: str) -> Mapping[str, str]:
    found = translations(lang)
    kept = [m.id for m in catalog(lang) if m.string and not m.fuzzy]
    return {key: found.gettext(key) for key in kept if key and isinstance(key, str)}


def text(lang: str) -> Mapping[str, str]:
    """Every word of the pages in `lang` by key (English for an unknown language)."""
    return _words(lang if lang in LANGUAGES else "en")


def label(lang: str, prefix: str, value: str | None) -> str:
    """An enumeration's value in `lang` (the value itself if the catalog lacks it, which a
    test reports as a key missing from the catalog)."""
    if value is None:
        return ""
    return text(lang).get(f"{prefix}_{value}", value)


def missing_keys() -> dict[str, set[str]]:
    """Keys translated in one language and not the other (empty when complete)."""
    keys = {lang: set(text(lang)) for lang in LANGUAGES}
    every = set().union(*keys.values())
    return {lang: every - found for lang, found in keys.items() if every - found}


# Keys the code builds at run time, so no extractor can read them in the source: an
# enumeration's value after its prefix (`label(lang, "status", value)`, `|label('status')`),
# the sentence of an audit action (`act_<action>`), and the words pages pick from data.
# A new prefix or built key goes here; a new value of an enumeration listed in built_keys
# is picked up by itself, and the catalog test then asks for its words in both languages.
_LEGACY_ACTIONS = (  # actions recorded by earlier versions, still in stored histories
    "decide_duplicate", "decide_mapping", "manage_members", "import_registry_data",
    "import_spreadsheet", "decide_proposal", "manage_calls", "comment", "moderate_comments",
    "manage_webhooks",
)  # fmt: skip
_BUILT: dict[str, tuple[str, ...]] = {
    "run": ("staging", "published", "unchanged", "failed", "abandoned"),
    "language": LANGUAGES,
    "state": ("open", "accepted", "declined", "withdrawn"),  # a proposal's state
    "node": ("Initiative", "Recommendation", "Signatory", "Topic", "WorkingGroup", "Source"),
    "graph": ("initiative", "recommendation", "topic"),
    "sheet": ("initiatives", "signatories", "memberships"),
    # pydantic's error types an uploaded file's problems are said in (api/uploads.py)
    "problem": (
        "missing", "string_type", "string_too_short", "string_too_long", "enum",
        "literal_error", "date_type", "date_parsing", "date_from_datetime_parsing",
        "datetime_type", "datetime_parsing", "datetime_from_date_parsing", "url_type",
        "url_parsing", "url_scheme", "int_type", "int_parsing", "float_type", "float_parsing",
        "bool_type", "bool_parsing", "list_type", "too_short", "too_long", "extra_forbidden",
        "greater_than_equal", "less_than_equal", "string_pattern_mismatch",
    ),
}  # fmt: skip
_SHEET_PROBLEMS = (
    "column_missing", "repeated", "group_not_yours", "new_not_yours", "initiative_not_yours",
    "link_not_yours", "needs_admin",
)  # fmt: skip

_PLAIN = (
    # stakeholder kinds and world regions a group lacks (analysis/gaps.py)
    "state", "company", "civil_society", "academia",
    "africa", "americas", "asia", "europe", "oceania",
    # headings of an initiative card's links (_initiative_card.html)
    "principles", "topics", "recommendations_implemented",
    # the report workbook's sheets and columns (analysis/report_sheets.py)
    "xlsx_summary", "xlsx_initiatives", "xlsx_duplicates", "xlsx_uncovered", "xlsx_crosswalks",
    "xlsx_provenance", "xlsx_what", "xlsx_value", "xlsx_id", "xlsx_first", "xlsx_second",
    "xlsx_reference", "xlsx_total", "xlsx_share", "xlsx_publisher", "xlsx_version",
    "xlsx_imported", "title", "language", "status", "score", "explanation", "source",
    "recommendation", "target", "mapped", "recommendations", "sha256",
)  # fmt: skip


def built_keys() -> set[str]:
    """Every key the code makes at run time (see _BUILT and _PLAIN)."""
    from analysis.explanations import REASON_KINDS
    from schema.access import Role
    from schema.enums import (
        ContributorRole,
        DecisionStatus,
        InitiativeStatus,
        MappingRelation,
        MemberRole,
        SignatoryKind,
        WorkingGroupStatus,
    )
    from schema.events import AuditAction
    from schema.kinds import NOUNS

    values: dict[str, list[str]] = {prefix: list(v) for prefix, v in _BUILT.items()}
    values["kind"] = [v.value for v in SignatoryKind]
    values["status"] = [v.value for v in InitiativeStatus]
    values["wg_status"] = [v.value for v in WorkingGroupStatus]
    values["decision"] = [v.value for v in DecisionStatus] + ["merged"]
    values["relation"] = [v.value for v in MappingRelation]
    values["role"] = [v.value for v in (*MemberRole, *ContributorRole)]
    values["act"] = [v.value for v in AuditAction] + list(_LEGACY_ACTIONS)
    values["token_role"] = [v.value for v in Role]  # an API token's role
    values["why"] = list(REASON_KINDS)  # why a pair was suggested (analysis/explanations.py)
    # the project's own coded problems of an uploaded sheet (importers, schema.access)
    values["problem"] += [f"unknown_{noun.replace(' ', '_')}" for noun in NOUNS.values()]
    values["problem"] += ["invalid_id", *(f"sheet_{k}" for k in _SHEET_PROBLEMS)]
    return {f"{p}_{v}" for p, vs in values.items() for v in vs} | set(_PLAIN)


# What the extractor reads as a key: `{{ t.key }}` in templates; `t["key"]`,
# `t.get("key"`, `words["key"]` and `text(lang)["key"]` in templates, and in the Python
# modules that import this one.
_TEMPLATE_KEY = re.compile(r"\bt\.([a-z][a-z0-9_]*)\b(?!\s*\()")
_INDEXED_KEY = re.compile(
    r"\b(?:t|words|text\([^()]*\))(?:\[\s*|\.get\(\s*)"
    r"[\"']([a-z][a-z0-9_]*)[\"']\s*[\]),]"
)


def keys_in(source: str, *, template: bool) -> Iterator[tuple[int, str]]:
    """(line, key) of every key `source` looks up."""
    if not template and "analysis.i18n import" not in source:
        return
    patterns = (_TEMPLATE_KEY, _INDEXED_KEY) if template else (_INDEXED_KEY,)
    for pattern in patterns:
        for match in pattern.finditer(source):
            yield source.count("\n", 0, match.start()) + 1, match.group(1)


def extract_keys(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method (babel.cfg): the keys a file looks up, each with its English
    words as a comment for translators; the catalog's own module also yields the keys
    built at run time."""
    source = fileobj.read().decode("utf-8")
    name = str(getattr(fileobj, "name", ""))
    english = text("en") if catalog_path("en").exists() else {}
    if Path(name).resolve() == Path(__file__).resolve():
        found = [(1, key) for key in sorted(built_keys())]
    else:
        found = list(keys_in(source, template=name.endswith(".html")))
    for line, key in found:
        yield line, None, key, [f"en: {english[key]}"] if key in english else []
