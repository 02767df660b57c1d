"""Abuse limits and hostile input: refused with a clear message, or kept byte for byte."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.store import GraphStore
from tests.e2e.conftest import issue


def _client(store: GraphStore, **settings: object) -> TestClient:
    secret = issue(store)
    app = create_app(Settings(**settings), store=store)  # type: ignore[arg-type]
    return TestClient(app, headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    with _client(store) as test_client:
        yield test_client


def _errors(client: TestClient, query: str, **variables: object) -> list[str]:
    reply = client.post("/graphql", json={"query": query, "variables": variables})
    return [e["message"] for e in reply.json().get("errors", [])]


def test_depth_aliases_tokens_and_cost_are_bounded(client: TestClient) -> None:
    nested = "id"
    for _ in range(4):
        nested = f"topics {{ initiatives(first: 1) {{ edges {{ node {{ {nested} }} }} }} }}"
    deep = "{ initiatives(first: 1) { edges { node { " + nested + " } } } }"
    assert any("exceeds maximum operation depth" in m for m in _errors(client, deep))
    shallow = (
        "{ initiatives { edges { node { topics { initiatives { totalCount "
        "edges { node { id } } } } } } } }"
    )
    assert _errors(client, shallow) == []
    aliases = "{ " + " ".join(f"a{i}: topics {{ totalCount }}" for i in range(16)) + " }"
    assert any("aliases" in m for m in _errors(client, aliases))
    many = "{ topics { totalCount " + "__typename " * 2100 + "} }"
    assert any("token" in m.lower() for m in _errors(client, many))
    costly = (
        "{ initiatives(first: 200) { edges { node { topics { initiatives(first: 50) { "
        "edges { node { topics { id } } } } } contributors { signatory { id } } } } } }"
    )
    assert any("would resolve about" in m for m in _errors(client, costly))
    hidden = (
        "query { ...q } fragment q on Query { initiatives(first: 200) { edges { node { "
        "topics { initiatives(first: 50) { edges { node { topics { id nameEn } } } } } } } } }"
    )
    assert any("would resolve about" in m for m in _errors(client, hidden))


def test_page_size_is_capped(client: TestClient) -> None:
    reply = client.post("/graphql", json={"query": "{ topics(first: 5000) { totalCount } }"})
    assert reply.json()["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_bodies_over_the_limit_get_413(store: GraphStore) -> None:
    with _client(store, max_body_bytes=50_000) as client:
        reply = client.post(
            "/graphql",
            content=b'{"query": "{ topics { totalCount } }", "x": "' + b"a" * 60_000 + b'"}',
            headers={"content-type": "application/json"},
        )
    assert reply.status_code == 413
    assert reply.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_rate_limits_answer_429_with_retry_after(store: GraphStore) -> None:
    with _client(store, rate_limit_per_address="5/minute") as client:
        codes = [
            client.post("/graphql", json={"query": "{ topics { totalCount } }"}).status_code
            for _ in range(6)
        ]
        assert codes == [200] * 5 + [429]
        refused = client.post("/graphql", json={"query": "{ topics { totalCount } }"})
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert client.get("/health").status_code == 200  # only the API is limited
    with _client(store, rate_limit_per_token="2/minute") as client:
        codes = [
            client.post("/graphql", json={"query": "{ topics { totalCount } }"}).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]


def test_production_mode_hides_the_schema(store: GraphStore) -> None:
    with _client(store, env="production") as client:
        intro = _errors(client, "{ __schema { types { name } } }")
        assert any("introspection" in m.lower() for m in intro)
        typo = _errors(client, '{ initiative(id: "x") { titel } }')
        assert typo and not any("Did you mean" in m for m in typo)
        assert client.get("/graphql", headers={"accept": "text/html"}).status_code != 200
    with _client(store) as client:
        assert any(
            "Did you mean" in m for m in _errors(client, '{ initiative(id: "x") { titel } }')
        )
        # development serves GraphiQL, where co-chairs explore and curate
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()


HOSTILE = [
    "x' }) MATCH (n) DETACH DELETE n //",
    'quote " and \\ backslash',
    "back`tick` and $param {brace}",
    "עברית RTL \u202e override \u200b zero-width \u200d joiner",
    "emoji 🛡️ and combining é",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_are_stored_byte_for_byte(client: TestClient, text: str) -> None:
    created = client.post(
        "/graphql",
        json={
            "query": "mutation($t: String!) { createInitiative(input: "
            '{title: $t, summary: $t, language: "en"}) '
            "{ initiative { id title summary } errors { __typename } } }",
            "variables": {"t": text},
        },
    ).json()["data"]["createInitiative"]
    assert created["errors"] == []
    assert created["initiative"]["title"] == text
    again = client.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { initiative(id: $id) { title summary } }",
            "variables": {"id": created["initiative"]["id"]},
        },
    ).json()["data"]["initiative"]
    assert again == {"title": text, "summary": text}
    found = client.post(
        "/graphql",
        json={
            "query": "query($q: String!) { search(text: $q) { score } }",
            "variables": {"q": text},
        },
    ).json()
    assert "errors" not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nul \x00 byte", "control character U+0000"),
        ("x" * 1_000_000, "at most 300 characters"),
    ],
)
def test_unstorable_input_is_refused_with_where_and_why(
    client: TestClient, text: str, expected: str
) -> None:
    reply = client.post(
        "/graphql",
        json={
            "query": "mutation($t: String!) { createInitiative(input: "
            '{title: $t, language: "en"}) '
            "{ errors { ... on ValidationError { field message } } } }",
            "variables": {"t": text},
        },
    ).json()["data"]["createInitiative"]
    assert reply["errors"][0]["field"] == ["title"]
    assert expected in reply["errors"][0]["message"]


def test_pages_need_a_session_when_anonymous_read_is_off(store: GraphStore) -> None:
    from fastapi.testclient import TestClient as Client

    app = create_app(Settings(anonymous_read=False, webhook_dispatch=False), store=store)
    with Client(app, follow_redirects=False) as anonymous:
        home = anonymous.get("/")
        assert home.status_code == 303 and home.headers["location"] == "/signin?next=/"
        assert anonymous.get("/signin").status_code == 200
        assert anonymous.get("/wg/wg6/graph.json").status_code == 303
    secret = issue(store)
    with Client(app, follow_redirects=False, cookies={"pariscall_token": secret}) as signed:
        before = store.round_trips
        page = signed.get("/")
        assert page.status_code == 200
        assert "admin-token" in page.text  # the page knows who signed in
        # the token is looked up once, by the session check, not again by the page
        tokens = store.round_trips - before
        # No webhook dispatcher: its first look at the queue would count in the trips.
        open_app = create_app(Settings(webhook_dispatch=False), store=store)
        with Client(open_app, cookies={"pariscall_token": secret}) as open_registry:
            before = store.round_trips
            assert open_registry.get("/").status_code == 200
            assert store.round_trips - before == tokens


def test_the_standard_introspection_query_passes_the_limits(client: TestClient) -> None:
    from graphql import get_introspection_query

    reply = client.post("/graphql", json={"query": get_introspection_query()}).json()
    assert "errors" not in reply, reply.get("errors")
    assert reply["data"]["__schema"]["queryType"]["name"] == "Query"


def test_search_text_is_bounded_before_any_work(store: GraphStore) -> None:
    """`search`, a list's `where.search` and the search page refuse a text longer than
    the limit with a VALIDATION error naming it, before any read."""
    app = create_app(Settings(webhook_dispatch=False), store=store)
    long = "sbom " * 100 + "x"  # 501 characters
    with TestClient(app) as anonymous:  # no token: nothing is looked up for it
        before = store.round_trips
        for query, field in (
            ("query($q: String!) { search(text: $q) { score } }", "text"),
            ("query($q: String) { initiatives(where: {search: $q}) { totalCount } }",
             "where.search"),
        ):  # fmt: skip
            reply = anonymous.post("/graphql", json={"query": query, "variables": {"q": long}})
            error = reply.json()["errors"][0]
            assert error["extensions"]["code"] == "VALIDATION"
            assert error["extensions"]["problems"] == [
                {"field": field,
                 "message": "a search text has at most 500 characters; this one has 501"}
            ]  # fmt: skip
        assert store.round_trips == before
        found = anonymous.post(
            "/graphql",
            json={"query": "query($q: String!) { search(text: $q) { score } }",
                  "variables": {"q": long[:500]}},
        ).json()  # fmt: skip
        assert found == {"data": {"search": []}}
        for lang, said in (("en", "at most 500 characters"), ("fr", "500 caractères au plus")):
            page = anonymous.get("/search", params={"q": long, "lang": lang})
            assert page.status_code == 400 and said in page.text
