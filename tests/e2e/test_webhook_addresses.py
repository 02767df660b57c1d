"""Where webhook deliveries may go, on both engines: IPv6 forms that carry a private IPv4
address are refused when a hook is registered and again when it is delivered, and a
delivery connects to the very address it checked, so a name that changes its answer
between the check and the connection (DNS rebinding) never reaches a refused address.
What a receiver answers is never read beyond its status (a gzip bomb stays packed).

Names are answered by the event loop's resolver, which the tests own (`NamesLoop`):
the dispatcher, httpx and anyio all resolve through it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from api.app import create_app
from api.delivery.addresses import check_address
from api.delivery.webhooks import Dispatcher
from api.settings import Settings
from graph.access import repository as access
from graph.store import GraphStore
from graph.webhooks import repository as webhooks
from schema.events import Event, EventKind
from schema.webhooks import DeliveryState, Network, networks
from tests.e2e.conftest import ask, issue
from tests.processes import free_port
from tests.support.units import system
from tests.webhook_receiver import Receiver

# IPv6 forms of addresses the operator's network keeps to itself; Python 3.11 calls the
# first five global.
WRAPPED = (
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",  # NAT64 of 169.254.169.254
    "http://[64:ff9b:1::7f00:1]:9999/hook",  # local-use NAT64 of 127.0.0.1
    "http://[2002:7f00:1::]:9999/hook",  # 6to4 of 127.0.0.1
    "http://[::7f00:1]:9999/hook",  # IPv4-compatible 127.0.0.1
    "http://[::ffff:0:a00:8]/hook",  # IPv4-translated 10.0.0.8
    "http://[::ffff:7f00:1]:9999/hook",  # IPv4-mapped 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:9999/hook",  # Teredo, client 127.0.0.1
)
CREATE = (
    "mutation($i: WebhookInput!) { createWebhook(input: $i) { secret webhook { id } "
    "errors { __typename ... on ValidationError { field message } } } }"
)


class NamesLoop(asyncio.SelectorEventLoop):
    """An event loop whose resolver answers some names from a script: each lookup of a
    name takes its next answer (the last one stays); other names resolve as usual."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        super().__init__()
        self.names = {name: list(answers) for name, answers in names.items()}
        self.asked: list[str] = []

    async def getaddrinfo(  # type: ignore[override]
        self, host: Any, port: Any, *, family: int = 0, type: int = 0, proto: int = 0,
        flags: int = 0,
    ) -> list[tuple[Any, ...]]:  # fmt: skip
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.names:
            return await super().getaddrinfo(
                host, port, family=family, type=type, proto=proto, flags=flags
            )
        self.asked.append(name)
        answers = self.names[name]
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        number = int(port)
        if ":" in address:
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, number, 0, 0))]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, number))]


def _run(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, Any]) -> Any:
    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        return runner.run(work)


async def _dispatch(store: GraphStore, allowed: list[Network]) -> None:
    """One round of a dispatcher, as an API worker runs it."""
    dispatcher = Dispatcher(store, allowed)
    try:
        await dispatcher.round()
    finally:
        await dispatcher.stop()


def _hook(store: GraphStore, url: str) -> str:
    """A hook stored as it is (registered before today's rules, or by an older version)."""
    now = datetime.now(UTC)
    owner, _ = access.issue_token(system(store), name="Registry admin", role="admin", now=now)
    hook = webhooks.create(
        system(store), working_group_id=None, url=url, kinds=[], created_by="test",
        owner_token=owner.id, now=now,
    )  # fmt: skip
    return hook.id


def _event() -> Event:
    return Event(
        id="e1",
        kind=EventKind.COMMENT_ADDED,
        at=datetime.now(UTC),
        actor="a",
        action="add_comment",
    )


def _outcome(store: GraphStore, hook: str) -> list[tuple[str, int, str | None]]:
    found = webhooks.deliveries(store, hook, skip=0, limit=10)
    return [(d.state.value, d.attempts, d.last_error) for d in found]


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for receiver in made:
        receiver.close()


def test_ipv6_forms_of_private_addresses_are_refused_at_registration(store: GraphStore) -> None:
    token = issue(store, "admin")
    app = create_app(Settings(webhook_dispatch=False), store=store)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        replies = {url: ask(client, CREATE, i={"url": url}) for url in WRAPPED}
    for url, answer in replies.items():
        reply = answer["data"]["createWebhook"]
        assert reply["webhook"] is None and reply["secret"] is None, url
        [error] = reply["errors"]
        assert error["field"] == ["url"] and "not allowed" in error["message"], url
    assert webhooks.hook_count(store, all=True, groups=[], group=None) == 0


def test_ipv6_forms_of_private_addresses_are_refused_at_delivery(store: GraphStore) -> None:
    hooks = {url: _hook(store, url) for url in WRAPPED}
    assert webhooks.enqueue(store, _event(), now=datetime.now(UTC)) == len(WRAPPED)
    _run(asyncio.new_event_loop(), _dispatch(store, []))
    for url, hook in hooks.items():
        [(state, attempts, error)] = _outcome(store, hook)
        # Refused before any connection, and not retried: the address stays refused.
        assert (state, attempts) == (DeliveryState.FAILED.value, 1), (url, error)
        assert error is not None and "which is not allowed" in error, url


@pytest.mark.parametrize("private", ["127.0.0.1", "64:ff9b::7f00:1", "::ffff:127.0.0.1"])
def test_a_name_public_at_registration_and_private_at_delivery_is_refused(
    store: GraphStore, receivers: list[Receiver], private: str
) -> None:
    receivers.append(receiver := Receiver())
    url = f"http://rebind.example.test:{receiver.port}/hook"
    loop = NamesLoop({"rebind.example.test": ["93.184.215.14", private]})

    async def register_then_deliver() -> str:
        await check_address(url, [])  # registration: the name is public now
        hook = _hook(store, url)
        webhooks.enqueue(store, _event(), now=datetime.now(UTC))
        await _dispatch(store, [])
        return hook

    hook = _run(loop, register_then_deliver())
    [(state, attempts, error)] = _outcome(store, hook)
    assert (state, attempts) == (DeliveryState.FAILED.value, 1)
    assert error == (
        f"rebind.example.test resolves to {private}, which is not allowed (loopback, "
        "private and other special ranges need PARISCALL_WEBHOOK_ALLOW)"
    )
    assert receiver.received == []


def test_a_delivery_connects_to_the_address_it_checked(
    store: GraphStore, receivers: list[Receiver]
) -> None:
    """The name answers an allowed address, then a refused one: the delivery is checked
    and sent on the first answer, with one lookup, and the Host header of the name."""
    port = free_port()
    receivers.append(checked := Receiver(host="127.0.0.1", port=port))
    receivers.append(rebound := Receiver(host="127.0.0.2", port=port))
    hook = _hook(store, f"http://hooks.example.test:{port}/hook")
    webhooks.enqueue(store, _event(), now=datetime.now(UTC))
    loop = NamesLoop({"hooks.example.test": ["127.0.0.1", "127.0.0.2"]})
    _run(loop, _dispatch(store, networks(["127.0.0.1/32"])))
    assert rebound.received == []
    [(headers, _)] = checked.received
    assert headers["Host"] == f"hooks.example.test:{port}"
    assert _outcome(store, hook) == [(DeliveryState.DELIVERED.value, 1, None)]
    assert loop.asked == ["hooks.example.test"]


def _tls_server(tmp_path: Path, seen: list[str | None]) -> int:
    """A loopback TLS endpoint with a self-signed certificate that records the name each
    client asks for (SNI) and accepts one connection."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hooks.example.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    context.sni_callback = lambda _socket, server_name, _context: seen.append(server_name)
    listener = socket.create_server(("127.0.0.1", 0))

    def accept_one() -> None:
        with listener:
            connection, _ = listener.accept()
            with connection, contextlib.suppress(ssl.SSLError, OSError):
                context.wrap_socket(connection, server_side=True)  # the client gives up

    threading.Thread(target=accept_one, daemon=True).start()
    return int(listener.getsockname()[1])


def test_tls_names_the_host_while_the_socket_goes_to_the_checked_address(
    store: GraphStore, tmp_path: Path
) -> None:
    """SNI and the certificate check use the hook's host name: a certificate nobody
    vouches for is refused, and the endpoint was asked for the name, not the address."""
    seen: list[str | None] = []
    port = _tls_server(tmp_path, seen)
    hook = _hook(store, f"https://hooks.example.test:{port}/hook")
    webhooks.enqueue(store, _event(), now=datetime.now(UTC))
    loop = NamesLoop({"hooks.example.test": ["127.0.0.1"]})
    _run(loop, _dispatch(store, networks(["127.0.0.1/32"])))
    [(state, attempts, error)] = _outcome(store, hook)
    assert (state, attempts) == (DeliveryState.PENDING.value, 1)  # retried later
    assert error is not None and "CERTIFICATE_VERIFY_FAILED" in error
    assert seen == ["hooks.example.test"]


class GzipReply(BaseHTTPRequestHandler):
    """Answers 200 with a body announced as gzip that no gzip reader could inflate: a
    client that decodes replies fails on it, as it would run out of memory on a bomb."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        body = b"\x1f\x8b\x08\x00" + b"\xff" * 64
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_receivers_reply_is_never_decompressed(store: GraphStore) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), GzipReply)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}).start()
    try:
        hook = _hook(store, f"http://127.0.0.1:{server.server_address[1]}/hook")
        webhooks.enqueue(store, _event(), now=datetime.now(UTC))
        _run(asyncio.new_event_loop(), _dispatch(store, networks(["127.0.0.1/32"])))
    finally:
        server.shutdown()
        server.server_close()
    assert _outcome(store, hook) == [(DeliveryState.DELIVERED.value, 1, None)]
