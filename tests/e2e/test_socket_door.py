"""What only a socket has: a connection that outlives the token's state, a handshake, and
many sockets per caller. (The limits both doors share are in test_limits.py.)"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.access import repository as access
from graph.audit import repository as audit_log
from graph.store import GraphStore
from tests.e2e.conftest import issue
from tests.support.doors import SocketDoor
from tests.support.units import system

EVENTS = "subscription { events { kind targets } }"
TOPIC = (
    "mutation($id: ID!, $name: String!) { createTopic(input: {id: $id, nameEn: $name, "
    "nameFr: $name}) "
    "{ errors { __typename } } }"
)


def _app(store: GraphStore, **settings: object) -> TestClient:
    app = create_app(Settings(webhook_dispatch=False, **settings), store=store)  # type: ignore[arg-type]
    return TestClient(app)


def test_a_revoked_tokens_subscription_ends_without_waiting_for_a_message(
    store: GraphStore,
) -> None:
    """The socket sends nothing after subscribing: the server's own check of open
    sockets closes it (4403, with the reason) within its period."""
    leaving, secret = access.issue_token(
        system(store), name="Leaving", role="admin", now=datetime.now(UTC)
    )
    admin = issue(store, "admin")
    with (
        _app(store, socket_recheck_seconds=0.2) as client,
        SocketDoor(client, secret) as socket,
        SocketDoor(client, admin) as other,
    ):
        subscription = socket.subscribe(EVENTS)
        time.sleep(0.2)  # the subscription is registered before the change
        assert other.ask(TOPIC, id="before", name="Before").errors == []
        event = socket.receive()
        assert event is not None and event["id"] == subscription
        assert event["payload"]["data"]["events"]["targets"] == ["before"]
        access.revoke_token(system(store), leaving.id, at=datetime.now(UTC))
        revoked = time.monotonic()
        assert socket.receive(timeout=5) is None
        assert time.monotonic() - revoked < 3
        assert socket.closed == (4403, "API token 'Leaving' was revoked")


def test_an_expired_token_is_refused_at_its_next_message(store: GraphStore) -> None:
    with _app(store) as client:  # started first: the token lives one second from now
        expires = datetime.now(UTC) + timedelta(seconds=1)
        _, secret = access.issue_token(
            system(store), name="Short", role="admin", now=datetime.now(UTC), expires_at=expires
        )
        with SocketDoor(client, secret) as socket:
            answer = socket.ask("{ topics { totalCount } }")
            assert answer.data == {"topics": {"totalCount": 0}}
            time.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()) + 0.05)
            socket.send({"type": "ping"})
            assert socket.receive() is None
            assert socket.closed == (4403, "API token 'Short' expired")


def test_sockets_are_capped_per_token_and_per_address(store: GraphStore) -> None:
    one, other = issue(store, "admin"), issue(store, "importer")
    with (
        _app(store, max_sockets_per_token=2, max_sockets_per_address=3) as client,
        SocketDoor(client, one) as first,
    ):
        second = SocketDoor(client, one)
        with second, SocketDoor(client, one) as third:  # a third for the same token
            assert first.acknowledged and second.acknowledged
            assert not third.acknowledged
            assert third.closed == (4429, "too many sockets open for this token (at most 2)")
            with SocketDoor(client, other) as fourth, SocketDoor(client, None) as fifth:
                assert fourth.acknowledged  # the address's third
                assert not fifth.acknowledged
                assert fifth.closed == (
                    4429, "too many sockets open from this address (at most 3)"
                )  # fmt: skip
        with SocketDoor(client, one) as again:  # closed sockets freed their places
            assert again.acknowledged
            assert again.ask("{ topics { totalCount } }").data == {"topics": {"totalCount": 0}}


def test_a_socket_signs_in_at_connection_init_when_anonymous_reading_is_off(
    store: GraphStore,
) -> None:
    """The handshake carries no token (a browser cannot add a header to it): it is
    accepted, and connection_init signs the socket in or closes it with the reason."""
    secret = issue(store, "admin")
    with _app(store, anonymous_read=False) as client:
        with SocketDoor(client, secret) as signed:
            assert signed.acknowledged
            assert signed.ask("{ topics { totalCount } }").data == {"topics": {"totalCount": 0}}
        with SocketDoor(client, None) as anonymous:
            assert not anonymous.acknowledged
            assert anonymous.closed is not None and anonymous.closed[0] == 4403
            assert "needs an API token" in anonymous.closed[1]
        with SocketDoor(client, "pct_wrong") as wrong:
            assert wrong.closed == (4403, "unknown API token")


def test_each_socket_operation_has_a_request_id_of_its_own(store: GraphStore) -> None:
    """As each HTTP request has: in its errors and in the audit events it writes."""
    secret = issue(store, "admin")
    with _app(store) as client, SocketDoor(client, secret) as socket:
        assert socket.ask(TOPIC, id="t1", name="T1").errors == []
        assert socket.ask(TOPIC, id="t2", name="T2").errors == []
        refused = socket.ask('{ initiative(id: "x") { titel } }')
    ids = [audit_log.events(store, target=t)[0]["request_id"] for t in ("t1", "t2")]
    assert len(set(ids)) == 2
    assert all(i and len(i) == 32 for i in ids)
    error_id = refused.errors[0]["extensions"]["requestId"]
    assert len(error_id) == 32 and error_id not in ids
