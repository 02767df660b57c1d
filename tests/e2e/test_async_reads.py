"""A served worker waiting on the engine still answers: over a real uvicorn on both
engines, GraphQL reads whose statements the engine is slow to answer (held back by a
relay, tests/support/relay.py) do not delay /health nor a fast read asked meanwhile.

A planned read awaits the engine's async client (graph/store.py, `read_async`). When it
ran in a worker thread instead, each waiting request held one of the worker's 40
threads: 40 slow reads and every other request, /health included, queued behind them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import WorkingGroup
from tests import factories as f
from tests.processes import free_port, graph_env, graphql, start_server
from tests.support.relay import Relay

HELD = "wg-held-back"  # the marker the relay watches for: the slow reads' id
QUERY = "query($id: ID!) { workingGroup(id: $id) { id name } }"
# More slow requests than a worker has threads (anyio's default limiter: 40).
SLOW = 48


def _through(location: str, port: int) -> str:
    """The store's URL, pointed at the relay (Bolt: a routing URL would name the server)."""
    parts = urlsplit(location)
    scheme = "bolt" if parts.scheme.startswith("neo4j") else parts.scheme
    return urlunsplit((scheme, f"127.0.0.1:{port}", parts.path, "", ""))


@pytest.fixture
def served(store: GraphStore, tmp_path: Path) -> Iterator[tuple[int, Relay]]:
    """`pariscall serve` on the test's graph, reaching its engine through a relay."""
    nodes.save(
        store, [f.working_group("wg6"), f.working_group(HELD, code="wg9")], model=WorkingGroup
    )
    engine = urlsplit(store.location)
    with Relay(engine.hostname or "127.0.0.1", engine.port or 0, HELD.encode()) as relay:
        port = free_port()
        env = graph_env(store, tmp_path)
        env["PARISCALL_GRAPH_URL"] = _through(store.location, relay.port)
        server = start_server(env, port)
        try:
            yield port, relay
        finally:
            relay.release()
            server.terminate()
            server.wait(timeout=30)


def test_slow_reads_do_not_delay_health_nor_a_fast_read(served: tuple[int, Relay]) -> None:
    port, relay = served
    url = f"http://127.0.0.1:{port}/graphql"
    answers: list[dict[str, Any]] = []

    def slow() -> None:
        try:
            answers.append(httpx.post(url, json={"query": QUERY, "variables": {"id": HELD}},
                                      timeout=60).json())  # fmt: skip
        except httpx.HTTPError as exc:
            answers.append({"failed": repr(exc)})

    threads = [threading.Thread(target=slow) for _ in range(SLOW)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while relay.held < SLOW and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        # The worker answers, quickly, while the slow reads wait on the engine (with a
        # thread each, 40 of them waited on the engine, the others and /health on a thread).
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        fast = graphql(port, QUERY, {"id": "wg6"}).json()
        assert fast == {"data": {"workingGroup": {"id": "wg6", "name": "Working group wg6"}}}
        assert answers == []  # none of the slow ones answered before them
        assert relay.held == SLOW, f"{relay.held} of {SLOW} slow reads reached the engine"
    finally:
        relay.release()
        for thread in threads:
            thread.join(60)
    held = {"data": {"workingGroup": {"id": HELD, "name": f"Working group {HELD}"}}}
    assert answers == [held] * SLOW
