"""A query the schema already knows clean is answered without strawberry's view, and
answered exactly as the view answers it (api/graphql/known_queries.py).

Each request is sent twice on one app: the first goes the standard way and makes its
document known, the second takes the short way when it is a known query. Both answers
must be the same, byte for byte once the request ids are set aside, whatever the
outcome: data, a resolver's refusal, a variable the schema refuses, an unexpected
failure masked in production."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.store import GraphStore
from tests.e2e.conftest import issue

AUDIT = "{ auditLog { totalCount } }"
TOPICS = "query($f: Int) { topics(first: $f) { totalCount edges { node { id } } } }"
TWO = "query A { topics { totalCount } } query B { __typename }"


@pytest.fixture(params=["development", "production"])
def app(request: pytest.FixtureRequest, store: GraphStore) -> Any:
    return create_app(Settings(env=request.param), store=store)


def twice(client: TestClient, body: dict[str, Any]) -> tuple[Any, Any]:
    first, second = (client.post("/graphql", json=body) for _ in range(2))
    return _comparable(first), _comparable(second)


def _comparable(reply: Any) -> tuple[int, dict[str, str], Any]:
    headers = {k: v for k, v in reply.headers.items() if k != "x-request-id"}
    if not reply.headers.get("content-type", "").startswith("application/json"):
        return reply.status_code, headers, reply.text
    body = reply.json()
    for error in body.get("errors", []):
        error.get("extensions", {}).pop("requestId", None)
    return reply.status_code, headers, body


@pytest.mark.parametrize(
    ("body", "short"),
    [
        ({"query": TOPICS, "variables": {"f": 2}}, True),
        ({"query": TOPICS}, True),
        ({"query": TOPICS, "variables": {"f": 10**30}}, True),  # refused when run
        ({"query": TOPICS, "variables": {"f": "two"}}, True),
        ({"query": TWO, "operationName": "B"}, True),
        ({"query": TWO}, False),  # which one: the view says
        ({"query": TWO, "operationName": "C"}, False),
        ({"query": "mutation { __typename }"}, False),
        ({"query": "{ topics { totalCount } ", "variables": {}}, False),  # not parsed
        ({"query": "{ topics { totalCoun } }"}, False),  # not valid
        ({"query": TOPICS, "extensions": {"x": 1}}, False),
    ],
)  # fmt: skip
def test_a_known_query_is_answered_as_the_view_answers_it(
    app: Any, body: dict[str, Any], short: bool
) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        before = app.state.schema.rules.clean.hits
        first, second = twice(client, body)
        assert first == second
        assert app.state.schema.rules.clean.hits - before == (1 if short else 0)


def test_a_refusal_by_the_read_rules_is_the_same_both_ways(app: Any, store: GraphStore) -> None:
    importer = {"Authorization": f"Bearer {issue(store, 'importer')}"}
    for headers, code in (({}, "UNAUTHENTICATED"), (importer, "FORBIDDEN")):
        with TestClient(app, headers=headers) as client:
            first, second = twice(client, {"query": AUDIT})
        assert first == second
        assert second[2]["errors"][0]["extensions"]["code"] == code
    assert app.state.schema.rules.clean.hits == 3  # one document: known after the first


def test_an_unexpected_failure_is_masked_the_same_both_ways(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.graphql import queries

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the registry's secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        client.post("/graphql", json={"query": TOPICS})  # known, then broken
        monkeypatch.setattr(queries, "lookup", broken, raising=False)
        monkeypatch.setattr(queries.ReadQueries, "topics", broken, raising=False)
        first, second = twice(client, {"query": "{ __typename topics { totalCount } }"})
    assert first == second


@pytest.fixture
def streams() -> Iterator[list[str]]:
    yield ["multipart/mixed;subscriptionSpec=1.0, application/json", "text/event-stream"]


def test_a_request_asking_for_a_stream_goes_the_standard_way(app: Any, streams: list[str]) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        client.post("/graphql", json={"query": TOPICS})
        before = app.state.schema.rules.clean.hits
        for accept in streams:
            client.post("/graphql", json={"query": TOPICS}, headers={"accept": accept})
        assert app.state.schema.rules.clean.hits == before
