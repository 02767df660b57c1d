"""Domain validation rules: ids, codes, text, URLs, closed vocabularies."""

from __future__ import annotations

from typing import Any

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


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (f.initiative, "language", "fr"),
        (f.signatory, "country", "MA"),
        (f.initiative, "title", "  Titre avec espaces  "),  # text is kept exactly
        (f.initiative, "url", "https://example.org/a?b=c"),
    ],
)
def test_valid_values_are_kept_as_written(make: Any, field: str, value: str) -> None:
    assert getattr(make(**{field: value}), field) == value


@pytest.mark.parametrize(
    ("make", "field", "value", "why"),
    [
        (f.initiative, "language", "fra", "ISO 639-1"),
        (f.signatory, "country", "XX", "ISO 3166-1"),
        (f.signatory, "kind", "club", "kind"),  # a closed enum
        (f.working_group, "code", "group6", None),
        (f.initiative, "title", "a\x00b", "U\\+0000"),  # controls are refused
        (f.initiative, "title", "   ", "blank"),
        (f.initiative, "url", "javascript:alert(1)", "http"),  # absolute http(s) only
    ],
)
def test_invalid_values_are_refused_saying_why(
    make: Any, field: str, value: str, why: str | None
) -> None:
    with pytest.raises(ValidationError, match=why):
        make(**{field: value})


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Signatory.model_validate({"id": "x", "name": "X", "kind": "company", "colour": "red"})


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
