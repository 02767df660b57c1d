"""Both languages of the pages and reports are complete."""

from analysis.i18n import LANGUAGES, missing_keys, text


def test_every_key_exists_in_english_and_french() -> None:
    assert missing_keys() == {}
    assert set(LANGUAGES) == {"en", "fr"}
    assert text("fr")["sign_in"] == "Se connecter"
    assert text("xx") is text("en")  # unknown languages fall back to English
