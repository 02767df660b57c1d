"""A query the schema already knows clean is answered without strawberry's view, and
answered exactly as the view answers it (api/graphql/known_queries.py).

Each request is sent twice on one app: the first goes the standard way and makes its
document known, the second takes the short way when it is a known query. Both answers
must be the same, byte for byte once the request ids are set aside, whatever the
outcome: data, a resolver's refusal, a variable the schema refuses, an unexpected
failure masked in production."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
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
    app: Any, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store fails under a known query: masked in production (INTERNAL, no text of
    the failure), the same both ways."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the registry's secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        client.post("/graphql", json={"query": TOPICS})  # known before the store breaks
        for read in ("read", "read_async", "read_together_async"):
            monkeypatch.setattr(store, read, broken)
        first, second = twice(client, {"query": TOPICS})
    assert first == second
    assert second[2]["errors"][0]["extensions"]["code"] == "INTERNAL"
    if app.state.schema.production:
        assert "secret" not in json.dumps(second[2])
    assert app.state.schema.rules.clean.hits == 2  # known by the first request


def test_a_content_type_the_view_refuses_is_refused_for_a_known_query(app: Any) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        client.post("/graphql", json={"query": TOPICS})
        for content_type in ("text/plain; x=application/json", "multipart/form-data; b=json"):
            reply = client.post(
                "/graphql",
                content=json.dumps({"query": TOPICS}),
                headers={"content-type": content_type},
            )
            assert reply.status_code == 400, (content_type, reply.text)
        assert app.state.schema.rules.clean.hits == 0


def test_a_long_document_is_kept_by_no_cache(app: Any) -> None:
    """The body limit lets megabytes of document through: kept, a few hundred would pin
    gigabytes. A long one is parsed and validated at each request instead."""
    long = "{ topics { totalCount } }" + " " * 30_000
    rules = app.state.schema.rules
    with TestClient(app) as client:
        first, second = twice(client, {"query": long})
    assert first == second and first[2] == {"data": {"topics": {"totalCount": 0}}}
    assert rules.clean.hits == 0 and not rules.clean.known
    assert rules.parse.cache_info().currsize == 0


def test_a_streamed_body_over_the_limit_is_refused_with_413(store: GraphStore) -> None:
    """Sent without a length, in one piece over the limit: the body limit refuses it
    while it is read. Read inside the short way's fallback, the refusal was swallowed,
    the view read the body again and the request hung."""
    app = create_app(Settings(max_body_bytes=10_000), store=store)
    body = json.dumps({"query": TOPICS, "variables": {"pad": "x" * 30_000}}).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def scenario() -> None:
        given = False

        async def receive() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)  # a client waiting for its answer
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(dict(message))

        async with app.router.lifespan_context(app):
            await asyncio.wait_for(app(scope, receive, send), timeout=10)

    asyncio.run(scenario())
    assert sent[0]["status"] == 413
