"""Domain validation rules: ids, codes, text, URLs, closed vocabularies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from importers.validation import field_path
from schema.models import Initiative, Signatory, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f


@pytest.mark.parametrize("good", ["wg6", "oecd-0481:duty-of-care", "nist-ssdf:po.1.1", "a_b"])
def test_slugs_accepted(good: str) -> None:
    assert f.topic(good).id == good


@pytest.mark.parametrize("bad", ["WG6", "a b", "-a", "a--b", "", "é", "a:", "a/b"])
def test_slugs_refused_with_an_example(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        f.topic(bad)
    assert f"'{bad}' is not a valid id" in str(caught.value)


def test_language_and_country_codes() -> None:
    assert f.initiative(language="fr").language == "fr"
    with pytest.raises(ValidationError, match="ISO 639-1"):
        f.initiative(language="fra")
    assert f.signatory(country="MA").country == "MA"
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        f.signatory(country="XX")


def test_closed_enums_and_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="kind"):
        f.signatory(kind="club")
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Signatory.model_validate({"id": "x", "name": "X", "kind": "company", "colour": "red"})
    with pytest.raises(ValidationError):
        f.working_group(code="group6")


def test_text_is_kept_exactly_but_controls_are_refused() -> None:
    spaced = "  Titre avec espaces  "
    assert f.initiative(title=spaced).title == spaced
    with pytest.raises(ValidationError, match="U\\+0000"):
        f.initiative(title="a\x00b")
    with pytest.raises(ValidationError, match="blank"):
        f.initiative(title="   ")


def test_urls_are_absolute_http_and_kept_as_written() -> None:
    url = "https://example.org/a?b=c"
    assert f.initiative(url=url).url == url
    with pytest.raises(ValidationError, match="http"):
        f.initiative(url="javascript:alert(1)")


def test_initiative_record_splits_into_node_and_links() -> None:
    record = InitiativeRecord.model_validate(
        f.initiative().model_dump()
        | {"topics": ["sbom"], "contributors": [{"signatory_id": "cigref"}]}
    )
    assert record.initiative() == f.initiative()
    assert record.contributors[0].role == "partner"


def test_field_paths_read_like_json_paths() -> None:
    assert field_path(("contributors", 0, "role")) == "contributors[0].role"
    assert field_path(("title",)) == "title"


@given(st.text(max_size=200))
def test_any_text_is_either_refused_or_kept_exactly(text: str) -> None:
    try:
        model = Initiative.model_validate({"id": "x", "title": text, "language": "en"})
    except ValidationError:
        return
    assert model.title == text
    assert "\x00" not in model.title


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=30))
def test_slug_rule_matches_its_description(text: str) -> None:
    try:
        WorkingGroup.model_validate({"id": text, "code": "wg1", "name": "n"})
    except ValidationError:
        return
    assert text == text.lower() and " " not in text and text[0].isalnum() and text[-1].isalnum()


@pytest.mark.parametrize("bad", ["wg6\n", "a\nb", "\nwg6"])
def test_ids_with_line_breaks_are_refused(bad: str) -> None:
    """Found by the property test: '$' in Python regexes also matches before a final '\\n'."""
    with pytest.raises(ValidationError, match="not a valid id"):
        f.topic(bad)
