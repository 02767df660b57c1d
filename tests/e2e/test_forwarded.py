"""X-Forwarded-For: ignored at every layer unless the deployment trusts named proxies;
rate limits shared by every worker of `pariscall serve --workers N`.

On the embedded engine only: the HTTP layer is the same on both, and the workers'
shared counters live in the embedded engine's Redis server."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
import redis

from api.forwarded import client_of, networks
from tests.processes import cli_env, engine_state, free_port, start_server

QUERY = {"query": "{ topics { totalCount } }"}


def test_the_client_is_the_peer_unless_a_trusted_proxy_forwarded_it() -> None:
    local = networks("127.0.0.1, 10.0.0.0/8")
    assert client_of("203.0.113.9", "198.51.100.1", local) == "203.0.113.9"  # not a proxy
    assert client_of("127.0.0.1", "198.51.100.1", local) == "198.51.100.1"
    # left of the nearest untrusted hop may be forged by the client itself
    assert client_of("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3", local) == "198.51.100.1"
    assert client_of("127.0.0.1", "not-an-address", local) == "127.0.0.1"
    assert client_of("127.0.0.1", None, local) == "127.0.0.1"


def _statuses(port: int, forwarded: list[str]) -> list[int]:
    with httpx.Client(timeout=30) as client:
        return [
            client.post(
                f"http://127.0.0.1:{port}/graphql", json=QUERY, headers={"x-forwarded-for": ip}
            ).status_code
            for ip in forwarded
        ]


@pytest.mark.parametrize("trust", [False, True])
def test_forged_addresses_do_not_escape_the_per_address_limit(data_dir: Path, trust: bool) -> None:
    extra = {"PARISCALL_RATE_LIMIT_PER_ADDRESS": "5/minute"}
    if trust:
        extra |= {"PARISCALL_TRUST_FORWARDED_FOR": "true", "PARISCALL_TRUSTED_PROXIES": "127.0.0.1"}
    port = free_port()
    server = start_server(cli_env(data_dir, **extra), port)
    try:
        forged = _statuses(port, [f"198.51.100.{i}" for i in range(6)])
        if trust:
            # behind a trusted proxy each forwarded client has its own budget...
            assert forged == [200] * 6
            assert _statuses(port, ["198.51.100.77"] * 6) == [200] * 5 + [429]
        else:
            # ...otherwise the header is ignored: one caller, one budget
            assert forged == [200] * 5 + [429]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


@pytest.mark.slow
def test_two_workers_share_one_rate_limit_budget(data_dir: Path) -> None:
    port = free_port()
    env = cli_env(data_dir, PARISCALL_RATE_LIMIT_PER_ADDRESS="8/minute")
    server = start_server(env, port, "--workers", "2")
    try:
        with httpx.Client(timeout=30) as client:
            codes = [
                client.post(f"http://127.0.0.1:{port}/graphql", json=QUERY).status_code
                for _ in range(12)
            ]
            assert client.get(f"http://127.0.0.1:{port}/health").status_code == 200
        assert codes == [200] * 8 + [429] * 4
        state = engine_state(data_dir)
        assert state is not None
        keys = redis.Redis(port=state["port"]).keys("LIMITS*")
        assert keys, "the counters live in the embedded engine, shared by the workers"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
