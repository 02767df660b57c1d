"""Every refusal is JSON with a code, production gives no schema hints, client mistakes
are not logged as server errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.store import GraphStore


@pytest.fixture
def production(store: GraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(env="production"), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def first_error(client: TestClient, query: str, **variables: object) -> dict[str, object]:
    reply = client.post("/graphql", json={"query": query, "variables": variables})
    error: dict[str, object] = reply.json()["errors"][0]
    return error


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ topics { totalCount ", {}, "GRAPHQL_PARSE"),
        ("query($f: Int) { topics(firs: $f) { totalCount } }", {"f": 1}, "GRAPHQL_VALIDATION"),
        ('{ initiatives(where: {workingGroupp: "x"}) { totalCount } }', {}, "GRAPHQL_VALIDATION"),
        ('{ initiative(id: "x") { titel } }', {}, "GRAPHQL_VALIDATION"),
        ("{ topics(first: 1000000000000000000000000000000) { totalCount } }", {},
         "GRAPHQL_VALIDATION"),
        ("query($f: Int) { topics(first: $f) { totalCount } }", {"f": 10**30},
         "GRAPHQL_VALIDATION"),
        ("{ topics(first: 2147483647) { totalCount } }", {}, "VALIDATION"),
        ("{ topics(first: -1) { totalCount } }", {}, "VALIDATION"),
    ],
)  # fmt: skip
def test_refusals_have_codes_and_no_suggestions_in_production(
    production: TestClient, query: str, variables: dict[str, object], code: str
) -> None:
    error = first_error(production, query, **variables)
    extensions = error["extensions"]
    assert isinstance(extensions, dict)
    assert extensions["code"] == code
    assert extensions["requestId"]
    assert "Did you mean" not in str(error["message"])


def test_development_keeps_its_suggestions(store: GraphStore) -> None:
    with TestClient(create_app(Settings(), store=store)) as client:
        error = first_error(client, "query($f: Int) { topics(firs: $f) { totalCount } }", f=1)
    assert "Did you mean 'first'?" in str(error["message"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"query": "{ topics { totalCount } }", "variables": {"x": '
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}}",
            "nests JSON more than 1,024 levels deep",
        ),
        (b'{"query": "{ topics { totalCount } }", ', "not valid JSON"),
    ],
)
def test_unreadable_bodies_get_a_json_400(
    production: TestClient, body: bytes, message: str
) -> None:
    reply = production.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert reply.headers["content-type"] == "application/json"
    error = reply.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert message in error["message"]


def test_client_mistakes_are_not_logged_as_errors(
    production: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        first_error(production, '{ initiative(id: "x") { titel } }')
        first_error(production, "{ topics(first: -1) { totalCount } }")
        first_error(production, "{ topics { totalCount ")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any("refused request" in r.getMessage() for r in caplog.records)
