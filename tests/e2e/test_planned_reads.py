"""One statement per root field (graph/planning): the working-group dashboard, lists with
nested connections and point reads each cost one round trip per root field, on both
engines, and answer exactly what the relation fields answer when each reads through its
own DataLoader (the resolvers before the planner)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.graphql import planning
from api.settings import Settings
from bench.api_http import DASHBOARD, POINT
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore, count_round_trips
from schema.models import Recommendation
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support.matrix_graph import build
from tests.support.units import system

LISTS = """query($after: String) {
  topics { totalCount edges { cursor node { id nameEn
    initiatives(first: 2, after: $after) { totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id title
        workingGroups { id members { role since } }
        principles { id code initiatives(first: 1) { totalCount } } } } }
    recommendations(first: 5) { totalCount edges { node { id } } } } } }
  sources(orderBy: ID) { edges { node { id title
    recommendations(first: 3) { totalCount edges { node { id ref title
      source { id title } parent { id }
      initiatives { totalCount edges { node { id } } }
      mappings { relation recommendation { id } } } } } } } }
}"""

POINTS = """query($id: ID!) {
  initiative(id: $id) { id title status version
    workingGroups { id code initiatives(first: 3) { totalCount edges { node { id } } } }
    topics { id nameEn } principles { id code }
    recommendations { id ref source { id title } }
    contributors { role signatory { id name memberships { role workingGroup { id } } } }
    mergedInto { id }
    a: workingGroups { id } b: topics { id }
    ... on Initiative { more: recommendations { id initiatives(first: 1) { totalCount } } }
  }
}"""

ALIASED = """query($wg: ID!) {
  workingGroup(id: $wg) { id
    one: initiatives(first: 1) { totalCount edges { cursor node { id } } }
    two: initiatives(first: 2, after: "bzow") { pageInfo { hasNextPage } edges { node { id } } }
    members { role signatory { id contributions { role initiative { id } } } }
  }
  missing: workingGroup(id: "nope") { id members { role } }
}"""

FILTERED = """query {
  initiatives(where: {workingGroup: "wg6", status: [ACTIVE]}, orderBy: TITLE, direction: DESC,
              first: 2) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title topics { id } recommendations { id } } } }
  recommendations(where: {source: "s1"}) { edges { node { id initiatives(first: 1) {
    edges { node { id } } } } } }
}"""

# What a client library sends: __typename everywhere, fragments, conditions, aliases of
# leaves, enums, dates, nulls, cursors (each written from the plan's rows, or not at all)
TYPED = """query($wg: ID!, $more: Boolean!, $after: String) {
  workingGroup(id: $wg) { __typename ...group
    members { __typename role since who: signatory { __typename id joinedOn website kind } }
    initiatives(first: 2, after: $after) @include(if: $more) { __typename totalCount
      pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
      edges { __typename cursor node { __typename id status startedOn url } } }
    skipped: initiatives(first: 1) @skip(if: $more) { totalCount } }
  initiatives(where: {workingGroup: $wg}, first: 3) { __typename
    edges { __typename cursor node { ... on Initiative { id name: title } version
      contributors { __typename role signatory { id } initiative { id title } } } } }
}
fragment group on WorkingGroup { id code nameFr status forumYear verified }"""


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    build(store)
    now = datetime.now(UTC)
    for id, topics in (("t-a", ["sbom", "cvd"]), ("t-b", ["sbom"]), ("t-c", ["sbom"])):
        record = {
            "id": id, "title": f"Topical {id}", "language": "fr", "working_groups": ["wg8"],
            "topics": topics, "principles": ["p6"], "recommendations": ["s1:r6"],
            "contributors": [{"signatory_id": "anssi", "role": "partner"}],
        }  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    app = create_app(Settings(default_page_size=50, max_page_size=200), store=store)
    with TestClient(app) as made:
        yield made


def _ask(client: TestClient, query: str, **variables: Any) -> tuple[int, dict[str, Any]]:
    with count_round_trips() as trips:
        reply = client.post("/graphql", json={"query": query, "variables": variables})
    assert reply.status_code == 200, reply.text
    return trips.count, reply.json()


def _unplanned(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, query: str, **variables: Any
) -> dict[str, Any]:
    """The answer when no relation is planned: each relation field reads through its
    DataLoader, as every one did before the planner."""
    with monkeypatch.context() as patched:
        patched.setattr(planning, "branches", lambda *args: ())
        return _ask(client, query, **variables)[1]


@pytest.mark.parametrize(
    ("query", "variables", "statements"),
    [
        (DASHBOARD, {"wg": "wg6"}, 2),
        (LISTS, {}, 2),
        (LISTS, {"after": "bzow"}, 2),
        (POINT, {"id": "in6"}, 1),
        (POINTS, {"id": "in6"}, 1),
        (POINTS, {"id": "t-a"}, 1),
        (ALIASED, {"wg": "wg6"}, 2),
        (FILTERED, {}, 2),
        (TYPED, {"wg": "wg6", "more": True}, 2),
        (TYPED, {"wg": "wg6", "more": True, "after": "bzow"}, 2),
        (TYPED, {"wg": "wg6", "more": False}, 2),
    ],
    ids=[
        "dashboard",
        "lists",
        "lists-after",
        "point",
        "point-deep",
        "point-topics",
        "aliased",
        "filtered",
        "typed",
        "typed-after",
        "typed-skipped",
    ],
)
def test_one_statement_per_root_field_answering_as_the_loaders_do(
    client: TestClient,
    store: GraphStore,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    variables: dict[str, Any],
    statements: int,
) -> None:
    trips, planned = _ask(client, query, **variables)
    assert "errors" not in planned, planned
    # one statement per root field; on Neo4j one for all of them (graph/planning/cypher.together)
    assert trips == (1 if store.backend.can.reads_combined else statements)
    unplanned = _unplanned(client, monkeypatch, query, **variables)
    assert json.dumps(planned, sort_keys=True) == json.dumps(unplanned, sort_keys=True)


def test_the_dashboard_answers_its_data(client: TestClient) -> None:
    _, body = _ask(client, DASHBOARD, wg="wg6")
    group = body["data"]["workingGroup"]
    assert [(m["role"], m["signatory"]["id"]) for m in group["members"]] == [("MEMBER", "anssi")]
    nodes = [e["node"] for e in body["data"]["initiatives"]["edges"]]
    assert [n["id"] for n in nodes] == ["in6", "in67", "in6b", "in6c"]
    assert {n["id"]: [c["signatory"]["id"] for c in n["contributors"]] for n in nodes} == {
        "in67": ["kaspersky"], "in6": ["cigref"], "in6b": ["cigref"], "in6c": ["cesin"],
    }  # fmt: skip


def test_a_nested_page_and_its_count_come_from_the_plan(client: TestClient) -> None:
    _, body = _ask(client, LISTS)
    topics = {e["node"]["id"]: e["node"] for e in body["data"]["topics"]["edges"]}
    sbom = topics["sbom"]["initiatives"]
    assert sbom["totalCount"] == 3
    assert [e["node"]["id"] for e in sbom["edges"]] == ["t-a", "t-b"]
    assert sbom["pageInfo"]["hasNextPage"] is True
    _, after = _ask(client, LISTS, after=sbom["pageInfo"]["endCursor"])
    again = {e["node"]["id"]: e["node"] for e in after["data"]["topics"]["edges"]}
    assert [e["node"]["id"] for e in again["sbom"]["initiatives"]["edges"]] == ["t-c"]


def test_a_refused_window_below_fails_at_its_own_field(client: TestClient) -> None:
    query = '{ workingGroup(id: "wg6") { id initiatives(first: 100000) { totalCount } } }'
    trips, body = _ask(client, query)
    assert trips == 1
    assert body["data"] == {"workingGroup": None}  # a connection is never null: it bubbles
    assert body["errors"][0]["path"] == ["workingGroup", "initiatives"]
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_a_planned_read_brings_only_the_properties_its_selection_shows(
    client: TestClient,
) -> None:
    query = """query($wg: ID!) { workingGroup(id: $wg) { name
      initiatives(first: 5) { edges { node { title topics { nameFr } } } } } }"""
    with count_round_trips() as trips:
        reply = client.post("/graphql", json={"query": query, "variables": {"wg": "wg6"}})
    body = reply.json()
    assert "errors" not in body, body
    (text,) = trips.statements
    # the group, its initiatives and their topics: what is shown, and the ids the plan joins on
    assert "n {.id, .name}" in text
    assert "b {.id, .title}" in text and "b {.id, .name_fr}" in text
    assert "{.*" not in text.replace("r {.*}", "")  # relationship properties stay whole
    group = body["data"]["workingGroup"]
    assert group["name"] == "Working group wg6"
    nodes = [e["node"] for e in group["initiatives"]["edges"]]
    assert [n["title"] for n in nodes] == [
        "Initiative in6",
        "Initiative in67",
        "Initiative in6b",
        "Initiative in6c",
    ]


def test_a_field_computed_from_other_properties_reads_the_node_whole(
    client: TestClient, store: GraphStore
) -> None:
    # Recommendation.title falls back on its ref and text when the publisher gave none
    untitled = f.recommendation("s1:r9", source_id="s1", ref="R9", title=None, text="Keep a list")
    nodes.save(store, [untitled], model=Recommendation)
    query = '{ recommendation(id: "s1:r9") { title } }'
    with count_round_trips() as trips:
        body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    assert "n {.*" in trips.statements[0]
    assert body["data"]["recommendation"]["title"] == "R9 — Keep a list"


@pytest.mark.parametrize(
    "query",
    [DASHBOARD, LISTS, POINTS, ALIASED, FILTERED, TYPED],
    ids=["dashboard", "lists", "point-deep", "aliased", "filtered", "typed"],
)
def test_a_wholly_planned_read_is_written_without_building_objects(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # api/graphql/projection.py writes the answer from the plan's rows: the same answer
    # as the objects' (compared above), and not one object built on the way
    expected = _ask(client, query, wg="wg6", id="in6", more=True)[1]
    assert "errors" not in expected, expected
    with monkeypatch.context() as patched:
        patched.setattr(planning, "made", None)
        assert _ask(client, query, wg="wg6", id="in6", more=True)[1] == expected


def test_an_operations_root_fields_are_read_together_in_one_transaction(
    client: TestClient, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []
    together = type(store).read_together_async

    async def counted(self: GraphStore, reads: Any) -> Any:
        sent.append(len(reads))
        return await together(self, reads)

    monkeypatch.setattr(type(store), "read_together_async", counted)
    transactions: list[str] = []
    if store.backend.value == "neo4j":  # one session, one BEGIN and COMMIT for both
        opened = neo4j.AsyncSession.execute_read

        async def counted_tx(self: Any, work: Any, *args: Any, **kwargs: Any) -> Any:
            transactions.append(work.__name__)
            return await opened(self, work, *args, **kwargs)

        monkeypatch.setattr(neo4j.AsyncSession, "execute_read", counted_tx)
    trips, body = _ask(client, DASHBOARD, wg="wg6")
    # the group and the page of initiatives: one statement on Neo4j (a subquery each),
    # sent side by side on FalkorDB, whose threads run them in parallel
    combined = store.backend.can.reads_combined
    assert combined == (store.backend.value == "neo4j")
    assert "errors" not in body and trips == (1 if combined else 2)
    assert sent == ([] if combined else [2])
    assert len(transactions) == (1 if combined else 0)
    trips, _ = _ask(client, POINTS, id="in6")
    assert trips == 1 and sent == ([1] if combined else [2, 1])
