"""Both languages of the pages and reports are complete, in gettext catalogs a translator
edits with standard tools, and French reads as French typography wants."""

from __future__ import annotations

import re
import string
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from analysis.i18n import LANGUAGES, catalog, label, missing_keys, text

ROOT = Path(__file__).resolve().parents[2]


def used_keys() -> set[str]:
    """What `pybabel extract -F babel.cfg` finds: the keys code and templates look up, and
    the ones built at run time."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        str(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
    }


def test_every_message_is_translated_in_english_and_french() -> None:
    for lang in LANGUAGES:
        untranslated = [m.id for m in catalog(lang) if m.id and not m.string]
        fuzzy = [m.id for m in catalog(lang) if m.id and m.fuzzy]
        assert (lang, untranslated, fuzzy) == (lang, [], [])
    assert missing_keys() == {}
    assert set(LANGUAGES) == {"en", "fr"}
    assert text("fr")["sign_in"] == "Se connecter"
    assert text("xx") is text("en")  # unknown languages fall back to English


def test_every_key_code_and_templates_use_is_in_both_catalogs_and_none_is_left_over() -> None:
    used = used_keys()
    assert len(used) > 300
    for lang in LANGUAGES:
        known = {str(m.id) for m in catalog(lang) if m.id}
        assert (lang, sorted(used - known), sorted(known - used)) == (lang, [], [])


def test_the_checks_catch_an_empty_or_fuzzy_message_and_a_key_missing_from_the_catalog(
    tmp_path: Path,
) -> None:
    from babel.messages.pofile import read_po

    po = (ROOT / "analysis/locale/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    po = po.replace('msgstr "Se connecter"', 'msgstr ""')
    po = po.replace('msgid "sign_out"', '#, fuzzy\nmsgid "sign_out"')
    broken = read_po(iter(po.encode().splitlines(keepends=True)), locale="fr")
    assert [m.id for m in broken if m.id and not m.string] == ["sign_in"]
    assert [m.id for m in broken if m.id and m.fuzzy] == ["sign_out"]
    from analysis.i18n import keys_in

    page = '{{ t.sign_in }} {{ t["not_a_key_yet"] }} {{ t.get("also_new", "") }}'
    assert {key for _, key in keys_in(page, template=True)} == {
        "sign_in",
        "not_a_key_yet",
        "also_new",
    }
    code = 'from analysis.i18n import text\nt = text(lang)\nx = t["report_title"]\n'
    assert list(keys_in(code, template=False)) == [(3, "report_title")]
    # a module that does not use the catalog is not read: its `t` is something else
    assert list(keys_in('t.get("name_fr")', template=False)) == []


def test_placeholders_are_the_same_in_both_languages() -> None:
    def fields(words: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(words) if name}

    english, french = text("en"), text("fr")
    differ = [k for k in english if fields(english[k]) != fields(french[k])]
    assert differ == []


def test_french_has_a_no_break_space_before_double_punctuation_and_english_none() -> None:
    """One rule, everywhere: U+00A0 before : ; ? ! and inside « », as the French catalog's
    `colon` has always been; English puts nothing before them."""
    wrong_fr = {
        key: words
        for key, words in text("fr").items()
        if re.search(r"(?<!\u00a0)[:;?!»](?=\s|$)|«(?!\u00a0)", words)
    }
    assert wrong_fr == {}
    assert text("fr")["colon"] == "\u00a0:"
    wrong_en = {k: w for k, w in text("en").items() if re.search(r"\s[:;?!]", w)}
    assert wrong_en == {}


def test_no_page_or_script_writes_its_own_colon_after_a_word() -> None:
    """A colon after a word of the page comes from the catalog (`t.colon`, the body's
    data-colon in scripts), so French gets its no-break space."""
    web = ROOT / "api/web"
    pages = {
        p.name: n
        for p in (web / "templates").glob("*.html")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\}\}\s?:", line)
    }
    scripts = {
        p.name: n
        for p in (web / "static").glob("*.js")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if '": "' in line and "+" in line
    }
    assert (pages, scripts) == ({}, {})


def test_every_value_of_the_enumerations_pages_show_has_words_in_both_languages() -> None:
    from schema.enums import DecisionStatus, InitiativeStatus, SignatoryKind, WorkingGroupStatus

    for prefix, enum in (
        ("kind", SignatoryKind),
        ("status", InitiativeStatus),
        ("wg_status", WorkingGroupStatus),
        ("decision", DecisionStatus),
    ):
        for value in enum:
            for lang in ("en", "fr"):
                assert f"{prefix}_{value.value}" in text(lang), (lang, prefix, value)
            assert label("fr", prefix, value.value) != label("en", prefix, value.value) or (
                value.value in ("active",) and prefix == "status"
            ), (prefix, value)
    assert label("fr", "kind", "local_government") == "Collectivité territoriale"
    assert label("fr", "status", "proposed") == "proposée"


def test_pages_take_their_words_from_the_catalog_not_from_inline_ifs() -> None:
    inline = {
        p.name: found
        for p in (ROOT / "api/web/templates").glob("*.html")
        if (found := re.findall(r"[\"'][^\"'{}]{3,}[\"'] if lang == [\"']fr", p.read_text()))
        or '{% if lang == "fr" %}' in p.read_text()
    }
    assert inline == {}
