"""The one description of the node kinds (schema/kinds.py) is consistent, and what is
derived from it follows it: a typo in a relation or filter fails here, not in a query."""

from __future__ import annotations

import inspect
from dataclasses import replace
from functools import cache
from types import SimpleNamespace
from typing import Any

import pytest
from strawberry.utils.str_converters import to_camel_case

from api.graphql import inputs, planning
from api.graphql.executor import SPECULATIVE, STRAWBERRY_FIELD
from api.graphql.pagination import Connection
from api.graphql.schema import build_schema
from graph.browse.neighbours import NEIGHBOURS
from graph.browse.queries import SPECS
from graph.planning.plan import Window
from graph.planning.reading import Found
from graph.registry.queries import RELATIONSHIPS
from schema import kinds
from schema.graph_shape import LABELS, RELATIONSHIP_TYPES
from schema.kinds import BY_LABEL, KINDS, LISTED, Shown


def test_relations_name_known_kinds_and_types_once_per_kind() -> None:
    for kind in KINDS:
        assert kind.label in LABELS
        names = [r.name for r in kind.relations]
        assert len(names) == len(set(names)), kind.label
        for relation in kind.relations:
            assert relation.far in BY_LABEL, (kind.label, relation.name)
            assert relation.type.isupper(), (kind.label, relation.name)


def test_a_relation_declared_at_both_ends_agrees_and_every_type_has_an_outgoing_end() -> None:
    ends = [(k.label, r.type, r.far, r.direction) for k in KINDS for r in k.relations]
    for label, rel, far, direction in ends:
        for other, rel2, far2, direction2 in ends:
            if rel2 == rel and other == far and far2 == label and label != far:
                assert direction2 != direction, (label, rel, far)
    # the linter's vocabulary: every type the registry stores, from the description
    assert set(RELATIONSHIP_TYPES) >= {
        "MEMBER_OF",
        "TRACKS",
        "MAPS_TO",
        "DUPLICATE_OF",
        "MERGED_INTO",
        "PROPOSES",
        "ANSWERS",
        "ISSUED_BY",
    }
    assert {rel for _, rel, _ in RELATIONSHIPS} == set(RELATIONSHIP_TYPES)


def test_every_filter_names_a_relation_or_a_property_of_its_kind() -> None:
    for kind in LISTED:
        assert kind.listing is not None
        fields = set(kind.model.model_fields)
        for item in kind.listing.filters:
            if item.via is not None:
                far = BY_LABEL[kind.relation(item.via).far]
                assert item.key in far.model.model_fields, (kind.label, item.name)
            else:
                assert item.property in fields, (kind.label, item.name)
        assert set(kind.listing.sortable) <= fields, kind.label


def test_derived_tables_cover_the_description() -> None:
    assert set(SPECS) == {k.label for k in LISTED}
    assert SPECS["Initiative"].patterns["source"] == (
        "(n)-[:IMPLEMENTS]->(:Recommendation {source_id: $source})"
    )
    assert SPECS["Signatory"].patterns["working_group"] == (
        "(n)-[:MEMBER_OF]->(:WorkingGroup {id: $working_group})"
    )
    assert SPECS["Recommendation"].where["source"] == "n.source_id = $source"
    assert NEIGHBOURS["working_group_members"] == ("WorkingGroup", "in", "MEMBER_OF", "Signatory")
    assert len(NEIGHBOURS) == sum(len(k.relations) for k in KINDS)
    assert [m.value for m in inputs.ORDER_FIELDS["Source"]] == ["title", "publisher", "year", "id"]
    assert set(inputs.WHERE) == {"Initiative", "Signatory", "WorkingGroup", "Recommendation",
                                 "Source", "Topic"}  # fmt: skip


@cache
def relation_fields() -> dict[tuple[str, str], Any]:
    """(GraphQL type, field) -> resolver, for every resolver marked speculative."""
    schema = build_schema()._schema
    out = {}
    for type_name, graphql_type in schema.type_map.items():
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            definition = (field.extensions or {}).get(STRAWBERRY_FIELD)
            resolver = definition.base_resolver if definition is not None else None
            if resolver is not None and getattr(resolver.wrapped_func, SPECULATIVE, False):
                out[(type_name, field_name)] = resolver.wrapped_func
    return out


def test_every_shown_relation_is_a_planned_field() -> None:
    shown = {
        (k.label, to_camel_case(r.name))
        for k in LISTED
        for r in k.relations
        if r.shown is not Shown.HIDDEN
    }
    fields = relation_fields()
    assert len(fields) == len(shown) == 21
    assert {(t, f) for t, entries in planning.FIELDS.items() for f in entries} == set(fields)
    assert set(fields) == shown


@pytest.mark.parametrize("type_and_field", sorted(relation_fields()))
def test_each_relation_field_answers_from_the_plan_at_once(
    type_and_field: tuple[str, str],
) -> None:
    type_name, field_name = type_and_field
    resolve = relation_fields()[type_and_field]
    shown = planning.FIELDS[type_name][field_name].shown
    settings = SimpleNamespace(default_page_size=50, max_page_size=200)
    window = {Shown.PAGE: Window(0, 51), Shown.ONE: Window(0, 1)}.get(shown)
    # what the plan found under the field's response key: no neighbours
    source = SimpleNamespace(id="n1", _planned={field_name: Found([], 0, window)})
    info = SimpleNamespace(
        context=SimpleNamespace(settings=settings), path=SimpleNamespace(key=field_name)
    )
    answer = resolve(source, info)
    if isinstance(answer, Connection):  # a paged relation: its first page
        answer = answer.edges
    assert answer == ([] if shown is not Shown.ONE else None), f"{type_name}.{field_name}"
    # under another response key the plan has nothing: the DataLoader reads it
    source._planned = {}
    later = resolve(source, info)
    assert inspect.iscoroutine(later), f"{type_name}.{field_name}"
    later.close()


def test_what_a_relationship_carries_is_keyed_on_its_ends_not_its_type_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A relationship's properties (schema.kinds.Link) are known by (from label, type, to
    label): a second MEMBER_OF towards another kind carries nothing unless it says so, and
    two ends of one relationship that disagree on what it carries are refused."""
    carried = kinds.carried()
    assert carried[("Signatory", "MEMBER_OF", "WorkingGroup")] is kinds.MEMBERSHIP
    assert {t for t, link in carried.items() if link.shown_as} == {
        ("Signatory", "MEMBER_OF", "WorkingGroup"),
        ("Signatory", "CONTRIBUTES_TO", "Initiative"),
        ("Recommendation", "MAPS_TO", "Recommendation"),
    }
    topic = BY_LABEL["Topic"]
    elsewhere = kinds.Relation("members", "MEMBER_OF", kinds.IN, "Signatory")
    scratch = [*KINDS, replace(topic, relations=(*topic.relations, elsewhere))]
    monkeypatch.setattr(kinds, "KINDS", scratch)
    assert ("Signatory", "MEMBER_OF", "Topic") not in kinds.carried()
    assert elsewhere.shown_as_link is None
    clash = kinds.Relation("members", "MEMBER_OF", kinds.IN, "Signatory", link=kinds.MAPPING)
    group = BY_LABEL["WorkingGroup"]
    monkeypatch.setattr(kinds, "KINDS", [*KINDS, replace(group, relations=(clash,))])
    with pytest.raises(ValueError, match="two different links"):
        kinds.carried()
