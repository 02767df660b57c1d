"""Abuse limits and hostile input: refused with a clear message, or kept byte for byte."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.access import repository as access
from graph.store import GraphStore
from tests.e2e.conftest import ask, issue
from tests.support.doors import Door, HttpDoor, SocketDoor, open_door
from tests.support.units import system


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


# The abuse cases run through both doors: HTTP and a graphql-transport-ws socket
# (tests/support/doors.py), which must refuse what HTTP refuses.
DOORS = ["http", "ws"]


@contextmanager
def _door(store: GraphStore, kind: str, **settings: object) -> Iterator[Door]:
    """A door of `kind` signed in with an admin token, on an app with `settings`."""
    secret = issue(store)
    app = create_app(Settings(webhook_dispatch=False, **settings), store=store)  # type: ignore[arg-type]
    with TestClient(app) as client:
        door = open_door(kind, client, secret)
        try:
            yield door
        finally:
            door.close()


@pytest.mark.parametrize("kind", DOORS)
def test_depth_aliases_tokens_and_cost_are_bounded(store: GraphStore, kind: str) -> None:
    nested = "id"
    for _ in range(4):
        nested = f"topics {{ initiatives(first: 1) {{ edges {{ node {{ {nested} }} }} }} }}"
    deep = "{ initiatives(first: 1) { edges { node { " + nested + " } } } }"
    shallow = (
        "{ initiatives { edges { node { topics { initiatives { totalCount "
        "edges { node { id } } } } } } } }"
    )
    aliases = "{ " + " ".join(f"a{i}: topics {{ totalCount }}" for i in range(16)) + " }"
    many = "{ topics { totalCount " + "__typename " * 2100 + "} }"
    costly = (
        "{ initiatives(first: 200) { edges { node { topics { initiatives(first: 50) { "
        "edges { node { topics { id } } } } } contributors { signatory { id } } } } } }"
    )
    hidden = (
        "query { ...q } fragment q on Query { initiatives(first: 200) { edges { node { "
        "topics { initiatives(first: 50) { edges { node { topics { id nameEn } } } } } } } } }"
    )
    with _door(store, kind) as door:
        assert any("exceeds maximum operation depth" in m for m in door.ask(deep).messages)
        assert door.ask(shallow).errors == []
        assert any("aliases" in m for m in door.ask(aliases).messages)
        assert any("would resolve about" in m for m in door.ask(costly).messages)
        assert any("would resolve about" in m for m in door.ask(hidden).messages)
        assert door.ask("{ topics(first: 5000) { totalCount } }").codes == ["VALIDATION"]
        # last: a socket is closed (4400) on a document that does not parse
        assert any("more than 2000 tokens" in m for m in door.ask(many).messages)


@pytest.mark.parametrize("kind", DOORS)
def test_bodies_over_the_limit_are_refused(store: GraphStore, kind: str) -> None:
    """HTTP answers 413; a socket message over the same limit closes the socket (1009)."""
    with _door(store, kind, max_body_bytes=50_000) as door:
        big = {"query": "query($x: ID!) { initiative(id: $x) { id } }",
               "variables": {"x": "a" * 60_000}}  # fmt: skip
        if isinstance(door, HttpDoor):
            refused = door.send(big)
        else:
            refused = door.send_raw(json.dumps({"id": "big", "type": "subscribe", "payload": big}))
        assert refused.refused == "PAYLOAD_TOO_LARGE"
        assert "larger than 50000 bytes" in refused.detail


def test_a_socket_counts_a_message_in_bytes(store: GraphStore) -> None:
    """As HTTP counts a body: 20,000 "é" are 40,000 bytes, 30,000 are 60,000."""
    query = "query($x: ID!) { initiative(id: $x) { id } }"
    with _door(store, "ws", max_body_bytes=50_000) as door:
        answer = door.ask(query, x="é" * 20_000)
        assert answer.errors == [] and answer.data == {"initiative": None}
        assert door.ask(query, x="é" * 30_000).refused == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("kind", DOORS)
def test_rate_limits_refuse_with_a_time_to_wait(store: GraphStore, kind: str) -> None:
    query = "{ topics { totalCount } }"
    with _door(store, kind, rate_limit_per_address="5/minute") as door:
        answers = [door.ask(query) for _ in range(6)]
        assert [a.refused for a in answers] == [None] * 5 + ["RATE_LIMITED"]
        assert answers[0].data == {"topics": {"totalCount": 0}}
        refused = answers[-1]
        assert refused.retry_after is not None and 1 <= refused.retry_after <= 60
        assert f"try again in {refused.retry_after} s" in refused.detail
    with _door(store, kind, rate_limit_per_token="2/minute") as door:
        assert [door.ask(query).refused for _ in range(3)] == [None, None, "RATE_LIMITED"]


def test_http_and_sockets_share_one_budget(store: GraphStore) -> None:
    """An address's budget is one, whichever door its requests take."""
    secret = issue(store)
    app = create_app(
        Settings(webhook_dispatch=False, rate_limit_per_address="4/minute"), store=store
    )
    query = "{ topics { totalCount } }"
    with TestClient(app) as client, SocketDoor(client, secret) as socket:
        http = HttpDoor(client, secret)
        assert [d.ask(query).refused for d in (http, socket, http, socket)] == [None] * 4
        assert socket.ask(query).refused == "RATE_LIMITED"
        assert http.ask(query).refused == "RATE_LIMITED"
        assert client.get("/health").status_code == 200  # only the API is limited


@pytest.mark.parametrize("kind", DOORS)
def test_a_revoked_token_is_refused_at_its_next_request(store: GraphStore, kind: str) -> None:
    """HTTP answers 401; a socket opened before the revocation is closed (4403) at its
    next message, with the reason."""
    secret = issue(store, "importer")
    app = create_app(Settings(webhook_dispatch=False), store=store)
    with TestClient(app) as client:
        door = open_door(kind, client, secret)
        try:
            assert door.ask("{ topics { totalCount } }").refused is None
            (token,) = access.tokens(store)
            assert access.revoke_token(system(store), token.id, at=datetime.now(UTC))
            refused = door.ask("{ importRuns { totalCount } }")
            assert refused.refused == "UNAUTHENTICATED"
            assert refused.detail == "API token 'importer-token' was revoked"
        finally:
            door.close()


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
    created = ask(
        client,
        "mutation($t: String!) { createInitiative(input: "
        '{title: $t, summary: $t, language: "en"}) '
        "{ initiative { id title summary } errors { __typename } } }",
        t=text,
    )["data"]["createInitiative"]
    assert created["errors"] == []
    assert created["initiative"]["title"] == text
    query = "query($id: ID!) { initiative(id: $id) { title summary } }"
    again = ask(client, query, id=created["initiative"]["id"])["data"]["initiative"]
    assert again == {"title": text, "summary": text}
    found = ask(client, "query($q: String!) { search(text: $q) { score } }", q=text)
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
    reply = ask(
        client,
        "mutation($t: String!) { createInitiative(input: "
        '{title: $t, language: "en"}) '
        "{ errors { ... on ValidationError { field message } } } }",
        t=text,
    )["data"]["createInitiative"]
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


def test_the_search_page_spends_the_rate_budget(store: GraphStore) -> None:
    with _client(store, rate_limit_per_address="2/minute") as client:
        assert [client.get("/search").status_code for _ in range(3)] == [200, 200, 429]
