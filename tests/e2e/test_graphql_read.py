"""The read side of the GraphQL API over HTTP (ASGI), on the embedded engine."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.app import create_app
from api.graphql.context import Context
from api.graphql.schema import build_schema
from api.settings import Settings
from graph.links import repository as links
from graph.nodes import repository as nodes
from graph.relationships import repository as relationships
from graph.store import GraphStore, count_round_trips
from schema.models import Initiative, Recommendation, Signatory, Topic, WorkingGroup
from schema.relationships import Contribution, Membership
from tests import factories as f
from tests.e2e.conftest import ask
from tests.support.executor import CountingWalk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    """Reading needs no token (anonymous read is on by default). The cost budget is raised:
    these tests walk three levels of lists on purpose, to count round trips."""
    settings = Settings(default_page_size=50, max_page_size=200, max_cost=500_000)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def build_graph(store: GraphStore, count: int) -> None:
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg5")], model=WorkingGroup)
    nodes.save(store, [f.topic("sbom"), f.topic("procurement")], model=Topic)
    nodes.save(store, [f.signatory(f"s{i}") for i in range(10)], model=Signatory)
    relationships.save_memberships(
        store, [Membership(signatory_id=f"s{i}", working_group_id="wg6") for i in range(10)]
    )
    initiatives = [
        f.initiative(
            f"i{i:03d}",
            title=f"Initiative {i:03d}",
            language="fr" if i % 3 == 0 else "en",
            status="active" if i % 2 else "proposed",
        )
        for i in range(count)
    ]
    nodes.save(store, initiatives, model=Initiative)
    links.link(store, "initiative_working_groups", [("wg6", i.id) for i in initiatives])
    links.link(
        store,
        "initiative_topics",
        [(i.id, "sbom" if n % 2 else "procurement") for n, i in enumerate(initiatives)],
    )
    relationships.save_contributions(
        store,
        [
            Contribution(signatory_id=f"s{n % 10}", initiative_id=i.id)
            for n, i in enumerate(initiatives)
        ],
    )


DEEP = """
query Deep($first: Int) {
  initiatives(first: $first) {
    edges { node { id
      topics { id initiatives(first: 5) { totalCount edges { node { id } } } }
      contributors { role signatory { id memberships { role workingGroup { id } } } }
      workingGroups { code members { signatory { id } } }
    } }
  }
}
"""


def round_trips_for(
    client: TestClient, store: GraphStore, first: int
) -> tuple[int, dict[str, Any]]:
    # counted in the request's own context: the service's background reads (webhook
    # deliveries, the event relay) on the same store are not the request's
    with count_round_trips() as trips:
        body = ask(client, DEEP, first=first)
    return trips.count, body


def test_round_trips_bounded_by_depth_not_list_size(client: TestClient, store: GraphStore) -> None:
    build_graph(store, 100)
    small, _ = round_trips_for(client, store, 5)
    large, body = round_trips_for(client, store, 100)
    edges = body["data"]["initiatives"]["edges"]
    assert len(edges) == 100
    neighbours = edges[0]["node"]["topics"][0]["initiatives"]
    assert neighbours["totalCount"] == 50 and len(neighbours["edges"]) == 5
    assert (
        edges[0]["node"]["contributors"][0]["signatory"]["memberships"][0]["workingGroup"]["id"]
        == "wg6"
    )
    # one planned statement for the root field and every level below it (graph/planning),
    # whatever the number of initiatives on the page
    assert large == small == 1


THROUGH_FRAGMENTS = """
fragment People on Initiative { contributors { role signatory { id } } }
query {
  initiatives(first: 30) {
    edges { node { id ...People ... on Initiative { topics { id } } } }
  }
}
"""

ONE_BY_ONE = (
    "query($id: ID!) { initiative(id: $id) "
    "{ contributors { role signatory { id } } topics { id } } }"
)


def test_page_plan_sees_fragments_and_matches_single_lookups(
    client: TestClient, store: GraphStore
) -> None:
    """A page plans its selected relations (graph/planning), also when they are asked
    through fragments; what it returns must equal what each initiative's own lookup
    returns."""
    build_graph(store, 30)
    with count_round_trips() as trips:
        page = ask(client, THROUGH_FRAGMENTS)["data"]["initiatives"]["edges"]
    # the page with contributors and topics for all 30, in one statement
    assert trips.count == 1
    context = Context(store=store, settings=Settings(), request_id="test")
    result = asyncio.run(build_schema().execute(THROUGH_FRAGMENTS, context_value=context))
    assert result.errors is None
    assert context.loaders == {}  # nothing went through a DataLoader
    assert len(page) == 30
    for edge in page:
        alone = ask(client, ONE_BY_ONE, id=edge["node"]["id"])["data"]["initiative"]
        assert edge["node"]["contributors"] == alone["contributors"]
        assert edge["node"]["topics"] == alone["topics"]
    n = int(page[7]["node"]["id"][1:])
    assert page[7]["node"]["contributors"] == [
        {"role": "PARTNER", "signatory": {"id": f"s{n % 10}"}}
    ]
    assert page[7]["node"]["topics"] == [{"id": "sbom" if n % 2 else "procurement"}]


def test_paging_walks_every_record_once(client: TestClient, store: GraphStore) -> None:
    build_graph(store, 23)
    seen: list[str] = []
    after = None
    while True:
        data = ask(
            client,
            "query($a: String){ initiatives(first: 10, after: $a, orderBy: ID) { totalCount "
            "edges { node { id } } pageInfo { hasNextPage endCursor } } }",
            a=after,
        )["data"]["initiatives"]
        assert data["totalCount"] == 23
        seen += [e["node"]["id"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == [f"i{i:03d}" for i in range(23)]


def test_filters_and_order(client: TestClient, store: GraphStore) -> None:
    build_graph(store, 12)
    query = """{ initiatives(
        where: {workingGroup: "wg6", topic: "sbom", language: ["fr"], status: [ACTIVE]},
        orderBy: TITLE, direction: DESC
      ) { totalCount edges { node { id language status } } } }"""
    data = ask(client, query)["data"]["initiatives"]
    # odd i (sbom) and active, i % 3 == 0 (fr): 3 and 9
    assert [e["node"]["id"] for e in data["edges"]] == ["i009", "i003"]
    assert data["totalCount"] == 2


def test_relationship_filter_counts_each_initiative_once(
    client: TestClient, store: GraphStore
) -> None:
    nodes.save(store, [f.initiative("a"), f.initiative("b")], model=Initiative)
    nodes.save(
        store,
        [f.recommendation("nist-ssdf:po.1.1"), f.recommendation("nist-ssdf:po.1.2", ref="PO.1.2")],
        model=Recommendation,
    )
    links.link(
        store,
        "initiative_recommendations",
        [("a", "nist-ssdf:po.1.1"), ("a", "nist-ssdf:po.1.2"), ("b", "nist-ssdf:po.1.2")],
    )
    data = ask(
        client, '{ initiatives(where: {source: "nist-ssdf"}) { totalCount edges { node { id } } } }'
    )["data"]["initiatives"]
    assert [e["node"]["id"] for e in data["edges"]] == ["a", "b"]
    assert data["totalCount"] == 2


def test_search_ranks_mixed_results(client: TestClient, store: GraphStore) -> None:
    nodes.save(
        store := store,
        [
            f.initiative("a", title="Nomenclature logicielle des fournisseurs"),
            f.initiative("b", title="Cloud procurement clauses", summary="Contract clauses"),
        ],
        model=Initiative,
    )
    nodes.save(store, [f.topic("sbom", name_fr="Nomenclature logicielle")], model=Topic)
    hits = ask(
        client,
        '{ search(text: "nomenclature") { score node { __typename '
        "... on Initiative { id } ... on Topic { id } } } }",
    )
    found = {(h["node"]["__typename"], h["node"]["id"]) for h in hits["data"]["search"]}
    assert found == {("Initiative", "a"), ("Topic", "sbom")}
    # the same field on several kinds reads the same way: no alias needed
    named = ask(
        client,
        '{ search(text: "nomenclature") { node { ... on Initiative { title } '
        "... on Recommendation { title } ... on Source { title } ... on Topic { nameFr } "
        "... on WorkingGroup { nameFr } } } }",
    )
    assert "errors" not in named, named
    assert {h["node"].get("title") or h["node"].get("nameFr") for h in named["data"]["search"]} == {
        "Nomenclature logicielle des fournisseurs",
        "Nomenclature logicielle",
    }
    with count_round_trips() as trips:
        listed = ask(
            client,
            '{ initiatives(where: {search: "clauses"}) { totalCount edges { node { id } } } }',
        )
    # the full-text query runs once, then one statement for the page and the count
    assert trips.count == 2
    assert listed["data"]["initiatives"]["totalCount"] == 1
    assert listed["data"]["initiatives"]["edges"][0]["node"]["id"] == "b"


def test_lookups_and_missing_ids(client: TestClient, store: GraphStore) -> None:
    build_graph(store, 1)
    data = ask(
        client,
        '{ initiative(id: "i000") { title workingGroups { id } } signatory(id: "nobody") { id } }',
    )["data"]
    assert data == {
        "initiative": {"title": "Initiative 000", "workingGroups": [{"id": "wg6"}]},
        "signatory": None,
    }


def test_page_size_is_capped_and_bad_cursor_is_a_validation_error(client: TestClient) -> None:
    too_big = ask(client, "{ initiatives(first: 500) { totalCount } }")
    assert too_big["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert too_big["errors"][0]["extensions"]["problems"] == [
        {"field": "first", "message": "must be between 0 and 200"}
    ]
    bad_cursor = ask(client, '{ initiatives(after: "not-a-cursor") { totalCount } }')
    assert bad_cursor["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_committed_sdl_matches_the_code() -> None:
    committed = (ROOT / "api" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == str(build_schema()) + "\n", "run `pariscall schema -o api/schema.graphql`"


DASHBOARD = """
query Dashboard($first: Int) {
  workingGroup(id: "wg6") { id name members { role signatory { id name kind } } }
  initiatives(first: $first) {
    edges { node { id title status topics { id nameEn } contributors { role signatory { id } } } }
  }
}
"""


@pytest.mark.parametrize("query", [DEEP, DASHBOARD], ids=["deep", "dashboard"])
def test_shortcuts_match_the_standard_executor_on_the_registry(
    store: GraphStore, query: str
) -> None:
    """The read schema with and without the shortcuts: three levels deep and a dashboard,
    each written whole from the plan's rows with the shortcuts."""
    build_graph(store, 30)
    settings = Settings(max_cost=500_000)
    answers = []
    for executor in (CountingWalk, StrawberryGraphQLCoreExecutionContext):
        schema = build_schema(settings)
        schema.execution_context_class = executor
        context = Context(store=store, settings=settings, request_id="test")
        CountingWalk.filled = CountingWalk.gave_up = CountingWalk.written = 0
        result = asyncio.run(
            schema.execute(query, variable_values={"first": 30}, context_value=context)
        )
        assert result.errors is None
        answers.append(result.data)
        if executor is CountingWalk:
            walked, written = CountingWalk.filled, CountingWalk.written
    assert answers[0] == answers[1]
    assert answers[0] is not None and len(answers[0]["initiatives"]["edges"]) == 30
    if query is DASHBOARD:
        assert len(answers[0]["workingGroup"]["members"]) == 10
    # every root field written from its plan's rows (api/graphql/projection.py), three
    # levels down too: nothing left for the walk
    assert (written, walked) == (2 if query is DASHBOARD else 1, 0)


PAGED_NEIGHBOURS = """query($after: String) { workingGroup(id: "wg6") {
  initiatives(first: 7, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }"""


def test_a_groups_initiatives_come_in_pages_like_the_top_level_lists(
    client: TestClient, store: GraphStore
) -> None:
    build_graph(store, 30)
    seen: list[str] = []
    after = None
    for _ in range(10):
        page = ask(client, PAGED_NEIGHBOURS, after=after)["data"]["workingGroup"]["initiatives"]
        assert page["totalCount"] == 30
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(set(seen)) == 30  # each once, by id
    too_many = ask(client, '{ topic(id: "sbom") { initiatives(first: 5000) { totalCount } } }')
    assert too_many["errors"][0]["extensions"]["code"] == "VALIDATION"
