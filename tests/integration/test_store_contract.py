"""The GraphStore contract (graph/store.py), on every available backend."""

from __future__ import annotations

import pytest

from graph.errors import ConstraintViolation, GraphQueryError, UnsafeParameter
from graph.nodes import repository as nodes
from graph.relationships import repository as relationships
from graph.store import GraphStore, count_round_trips
from schema.errors import GraphUnavailable, ValidationFailed
from schema.graph_shape import SCHEMA_VERSION
from schema.models import (
    Initiative,
    Principle,
    Recommendation,
    Signatory,
    Source,
    Topic,
    WorkingGroup,
)
from schema.relationships import Contribution, DuplicateLink, Mapping, Membership
from tests import factories as f
from tests.support import stored

EXAMPLES = [
    (Signatory, f.signatory()),
    (WorkingGroup, f.working_group()),
    (
        Initiative,
        f.initiative(summary="Résumé en français : chaîne d'approvisionnement", language="fr"),
    ),
    (Source, f.source()),
    (Recommendation, f.recommendation(parent_id="nist-ssdf:po.1")),
    (Topic, f.topic()),
    (Principle, f.principle()),
]


@pytest.mark.parametrize(("model", "example"), EXAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_model_round_trips(store: GraphStore, model: type, example: object) -> None:
    nodes.save(store, [example], model=model)
    loaded = nodes.load(store, model, [example.id])  # type: ignore[attr-defined]
    assert loaded == {example.id: example}  # type: ignore[attr-defined]


def test_update_replaces_values_and_removes_nulls(store: GraphStore) -> None:
    nodes.save(store, [f.initiative(url="https://example.org/old")], model=Initiative)
    nodes.save(store, [f.initiative(url=None, title="Renamed")], model=Initiative)
    loaded = nodes.load(store, Initiative, ["sbom-charter"])["sbom-charter"]
    assert loaded.title == "Renamed"
    assert loaded.url is None


def test_unique_key_violation_is_a_conflict_and_writes_nothing(store: GraphStore) -> None:
    nodes.create(store, [f.topic("sbom")], model=Topic)
    with pytest.raises(ConstraintViolation):
        nodes.create(store, [f.topic("certification"), f.topic("sbom")], model=Topic)
    assert sorted(nodes.load(store, Topic, ["sbom", "certification"])) == ["sbom"]
    assert nodes.count(store, Topic) == 1


def test_batched_write_sends_one_round_trip_per_batch(store: GraphStore) -> None:
    rows = ({"id": f"t{i}", "name_en": f"T{i}", "name_fr": f"T{i}"} for i in range(2500))
    with count_round_trips() as trips:
        sent = store.write_batched(
            "UNWIND $rows AS row MERGE (n:Topic {id: row.id}) SET n += row", rows, batch_size=1000
        )
    assert sent == 2500
    assert trips.count == 3
    assert nodes.count(store, Topic) == 2500


def test_schema_is_idempotent_and_versioned(store: GraphStore) -> None:
    store.apply_schema()
    store.apply_schema()
    assert store.health().schema_version == SCHEMA_VERSION
    nodes.create(store, [f.signatory("kaspersky")], model=Signatory)
    with pytest.raises(ConstraintViolation):
        nodes.create(store, [f.signatory("kaspersky")], model=Signatory)


def test_results_are_plain_values(store: GraphStore) -> None:
    nodes.save(store, [f.working_group()], model=WorkingGroup)
    rows = store.read(
        "MATCH (w:WorkingGroup {id: $id}) RETURN w, w.forum_year AS year", {"id": "wg6"}
    )
    expected = {k: v for k, v in f.working_group().model_dump(mode="json").items() if v is not None}
    assert rows == [{"w": expected, "year": 2021}]


def test_refused_statement_is_a_query_error_without_the_statement(store: GraphStore) -> None:
    with pytest.raises(GraphQueryError) as caught:
        store.read("MATCH (n RETURN n")
    assert "MATCH" not in str(caught.value)


def test_write_through_read_is_refused(store: GraphStore) -> None:
    with pytest.raises(GraphQueryError):
        store.read("CREATE (t:Topic {id: 'x', name_en: 'x', name_fr: 'x'})")
    assert nodes.count(store, Topic) == 0


def test_nul_byte_is_refused_before_the_engine(store: GraphStore) -> None:
    with pytest.raises(UnsafeParameter) as caught:
        store.write("MERGE (t:Topic {id: $id})", {"id": "a\x00b"})
    assert caught.value.problems[0].field == "$.id"


@pytest.mark.parametrize(
    "text",
    [
        "'; MATCH (n) DETACH DELETE n //",
        '"quoted"',
        "back`tick",
        "\u202eRTL\u200bzero",
        "é" * 10_000,
    ],
)
def test_hostile_strings_round_trip_byte_for_byte(store: GraphStore, text: str) -> None:
    store.write("MERGE (t:Topic {id: 'x'}) SET t.name_en = $text", {"text": text})
    assert store.read("MATCH (t:Topic {id: 'x'}) RETURN t.name_en AS v") == [{"v": text}]


def test_relationships_round_trip(store: GraphStore) -> None:
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    nodes.save(store, [f.working_group()], model=WorkingGroup)
    nodes.save(store, [f.initiative("a"), f.initiative("b")], model=Initiative)
    nodes.save(
        store,
        [f.recommendation("r:1"), f.recommendation("r:2", ref="PO.1.2")],
        model=Recommendation,
    )
    members = [
        Membership(signatory_id="cigref", working_group_id="wg6", role="co_chair"),
        Membership(signatory_id="kaspersky", working_group_id="wg6", role="co_chair"),
    ]
    assert relationships.save_memberships(store, members) == 2
    assert relationships.memberships(store, "wg6") == members
    contribution = Contribution(signatory_id="cigref", initiative_id="a", role="lead")
    relationships.save_contributions(store, [contribution])
    assert relationships.contributions(store, "a") == [contribution]
    mapping = Mapping(from_id="r:1", to_id="r:2", relation="subset_of", confidence=0.7)
    stored.save_mappings(store, [mapping])
    assert stored.mappings_from(store, "r:1") == [mapping]
    duplicate = DuplicateLink(a_id="a", b_id="b", score=0.91)
    stored.save_duplicates(store, [duplicate])
    assert stored.duplicates_from(store, "a") == [duplicate]


def test_link_to_missing_record_is_reported(store: GraphStore) -> None:
    nodes.save(store, [f.working_group()], model=WorkingGroup)
    with pytest.raises(ValidationFailed):
        relationships.save_memberships(
            store, [Membership(signatory_id="nobody", working_group_id="wg6")]
        )


def test_unreachable_engine_is_graph_unavailable(engine_port: int) -> None:
    import socket

    from graph.falkordb_store import FalkorStore

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(GraphUnavailable):
        FalkorStore(host="127.0.0.1", port=closed_port, graph="x")
