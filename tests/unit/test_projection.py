"""Answers written from a plan's rows (api/graphql/projection.py): a link's fields are
worked out once per distinct relationship properties, and show exactly what the link
object made by its type's `between` shows, value for value, type for type."""

from __future__ import annotations

import json
from typing import Any

import pytest
from strawberry.types.nodes import SelectedField

from api.graphql.projection import Unplanned, _link
from api.graphql.relations import ORDERS
from api.graphql.schema import build_schema
from schema import enums, kinds


def _field(name: str, *below: str) -> SelectedField:
    return SelectedField(name, {}, {}, [SelectedField(b, {}, {}, []) for b in below])


def _writer(label: str, relation: str, *fields: SelectedField) -> Any:
    schema = build_schema()._schema
    shown = kinds.BY_LABEL[label].relation(relation)
    of = schema.type_map[str(shown.shown_as_link)]
    return _link(None, of, label, shown, fields)  # type: ignore[arg-type]


def test_a_links_fields_are_what_between_shows_for_each_relationship() -> None:
    write = _writer(
        "WorkingGroup", "members", _field("role"), _field("since"), _field("signatory", "id")
    )
    group, signatory = {"id": "wg1"}, {"id": "s1"}
    rels = [{"role": "co_chair", "since": "2024-02-01"}, {"role": "member"}, {}, {"role": "member"}]
    shown = [write(group, signatory, rel) for rel in rels * 2]
    assert shown[:4] == shown[4:]
    assert shown[:4] == [
        {"role": "CO_CHAIR", "since": "2024-02-01", "signatory": {"id": "s1"}},
        {"role": "MEMBER", "since": None, "signatory": {"id": "s1"}},
        {"role": "MEMBER", "since": None, "signatory": {"id": "s1"}},
        {"role": "MEMBER", "since": None, "signatory": {"id": "s1"}},
    ]


def test_a_relationship_between_refuses_gives_up_each_time() -> None:
    write = _writer("WorkingGroup", "members", _field("role"))
    for _ in range(2):
        with pytest.raises(Unplanned):
            write({"id": "wg1"}, {"id": "s1"}, {"role": "chair"})
    assert write({"id": "wg1"}, {"id": "s1"}, {"role": "observer"}) == {"role": "OBSERVER"}


def test_equal_properties_of_other_types_are_not_taken_for_each_other() -> None:
    fields = (_field("relation"), _field("confidence"))
    write = _writer("Recommendation", "mappings", *fields)
    rels = [{"relation": "subset_of", "confidence": c} for c in (1, True, 1.0, -0.0, 0.0, 0)]
    shown = [json.dumps(write({"id": "r1"}, {"id": "r2"}, rel)) for rel in rels]
    alone = [
        json.dumps(_writer("Recommendation", "mappings", *fields)({"id": "r1"}, {"id": "r2"}, rel))
        for rel in rels
    ]
    assert shown == alone
    assert [json.loads(s)["confidence"] for s in shown[:2]] == [1.0, 1]  # Float shows True as 1


def test_members_come_in_role_order_whatever_the_stored_role_looks_like() -> None:
    order = ORDERS[("WorkingGroup", "members")]
    pairs = [
        ({"id": "b"}, {"role": "member"}),
        ({"id": "a"}, {}),
        ({"id": "c"}, {"role": "co_chair"}),
    ]
    assert sorted(pairs, key=order) == [pairs[2], pairs[1], pairs[0]]
    assert order(({"id": "x"}, {"role": enums.MemberRole.OBSERVER})) == (2, "x")
    with pytest.raises(ValueError, match="is not a valid MemberRole"):
        order(({"id": "x"}, {"role": "chair"}))
