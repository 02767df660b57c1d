"""Both languages of the pages and reports are complete."""

from analysis.i18n import LANGUAGES, missing_keys, text


def test_every_key_exists_in_english_and_french() -> None:
    assert missing_keys() == {}
    assert set(LANGUAGES) == {"en", "fr"}
    assert text("fr")["sign_in"] == "Se connecter"
    assert text("xx") is text("en")  # unknown languages fall back to English


def test_every_value_of_the_enumerations_pages_show_has_words_in_both_languages() -> None:
    from analysis.i18n import label
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
