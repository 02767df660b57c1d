"""Live notifications over a real uvicorn and the graphql-transport-ws protocol, on both
engines (on the embedded engine events travel through its Redis channel; on Neo4j in
the process): each subscriber hears exactly what its token may read, as it happens."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Signatory, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.e2e.conftest import issue
from tests.processes import free_port, graph_env, graphql, run_cli, start_server
from tests.support.units import system

SUBSCRIBE = "subscription { events { kind actor targets workingGroups } }"
PROPOSE = (
    "mutation($i: ID!, $g: ID!) { propose(input: {initiative: $i, workingGroup: $g}) { proposal "
    "{ id } errors { __typename } } }"
)


class Live:
    def __init__(
        self, port: int, tokens: dict[str, str], env: dict[str, str], backend: str
    ) -> None:
        self.port = port
        self.tokens = tokens
        self.env = env
        self.backend = backend

    def ask(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        body = graphql(self.port, query, variables, Authorization=f"Bearer {self.tokens[who]}")
        reply: dict[str, Any] = body.json()
        assert "errors" not in reply, reply
        return reply["data"]  # type: ignore[no-any-return]


@pytest.fixture
def live(store: GraphStore, tmp_path: Path) -> Iterator[Live]:
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    now = datetime.now(UTC)
    for id, lead in (("mine", "cigref"), ("theirs", "kaspersky")):
        record = {"id": id, "title": f"Initiative {id}", "language": "en",
                  "contributors": [{"signatory_id": lead, "role": "lead"}]}  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    tokens = {
        "chair6": issue(store, "co_chair", working_groups=["wg6"]),
        "chair7": issue(store, "co_chair", working_groups=["wg7"]),
        "cigref": issue(store, "signatory", signatory="cigref"),
        "kaspersky": issue(store, "signatory", signatory="kaspersky"),
        "importer": issue(store, "importer"),
    }
    port = free_port()
    env = graph_env(store, tmp_path)
    server = start_server(env, port)
    try:
        yield Live(port, tokens, env, store.backend)
    finally:
        server.terminate()
        server.wait(timeout=30)


async def _subscribe(port: int, token: str | None) -> Any:
    """An open socket, acknowledged, with the events subscription started."""
    socket = await websockets.connect(
        f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]
    )
    init: dict[str, Any] = {"type": "connection_init"}
    if token:
        init["payload"] = {"Authorization": f"Bearer {token}"}
    await socket.send(json.dumps(init))
    ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert ack["type"] == "connection_ack", ack
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return socket


async def _next(socket: Any, timeout: float = 10) -> dict[str, Any]:
    raw = await asyncio.wait_for(socket.recv(), timeout)
    assert isinstance(raw, str), "graphql-transport-ws messages travel as text frames"
    message: dict[str, Any] = json.loads(raw)
    return message


def test_each_subscriber_hears_what_it_may_read_as_it_happens(live: Live) -> None:
    async def scenario() -> None:
        mine = await _subscribe(live.port, live.tokens["cigref"])
        chair = await _subscribe(live.port, live.tokens["chair6"])
        other = await _subscribe(live.port, live.tokens["chair7"])
        await asyncio.sleep(0.3)  # the subscriptions are registered before the changes

        made = await asyncio.to_thread(live.ask, "cigref", PROPOSE, i="mine", g="wg6")
        id = made["propose"]["proposal"]["id"]
        await asyncio.to_thread(
            live.ask, "chair6",
            'mutation($id: ID!) { addComment(on: {proposal: $id}, body: "Welcome") { errors '
            "{ __typename } } }",
            id=id,
        )  # fmt: skip
        await asyncio.to_thread(
            live.ask, "chair6",
            "mutation($id: ID!) { acceptProposal(id: $id) { errors { __typename } } }", id=id,
        )  # fmt: skip
        # Something the wg7 co-chair may hear (and the wg6 one, and cigref, may not).
        await asyncio.to_thread(live.ask, "kaspersky", PROPOSE, i="theirs", g="wg7")

        heard: dict[str, list[dict[str, Any]]] = {}
        for name, socket, expected in (
            ("cigref", mine, ["PROPOSAL_OPENED", "COMMENT_ADDED", "PROPOSAL_ACCEPTED"]),
            ("chair6", chair, ["PROPOSAL_OPENED", "COMMENT_ADDED", "PROPOSAL_ACCEPTED"]),
            ("chair7", other, ["PROPOSAL_OPENED"]),
        ):
            messages = [await _next(socket) for _ in expected]
            assert [m["type"] for m in messages] == ["next"] * len(expected)
            heard[name] = [m["payload"]["data"]["events"] for m in messages]
            assert [e["kind"] for e in heard[name]] == expected, name
        opened = heard["cigref"][0]
        assert {id, "mine"} <= set(opened["targets"]) and opened["workingGroups"] == ["wg6"]
        assert opened["actor"] == "signatory-token"
        assert "theirs" in heard["chair7"][0]["targets"]
        for socket in (mine, chair, other):
            with pytest.raises(TimeoutError):  # nothing else was meant for them
                await _next(socket, timeout=0.5)
            await socket.close()

    asyncio.run(scenario())


def test_subscriptions_need_a_valid_token(live: Live) -> None:
    async def scenario() -> None:
        anonymous = await _subscribe(live.port, None)
        refused = await _next(anonymous)
        error = refused["payload"]["errors"][0]
        assert "API token" in error["message"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        await anonymous.close()
        bad = await websockets.connect(
            f"ws://127.0.0.1:{live.port}/graphql", subprotocols=["graphql-transport-ws"]
        )
        await bad.send(json.dumps({"type": "connection_init",
                                   "payload": {"Authorization": "Bearer pct_wrong"}}))  # fmt: skip
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(bad.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
        await bad.close()
        # A message over the HTTP body limit (2 MB by default) closes the socket: the
        # server does not even buffer it whole.
        big = await _subscribe(live.port, live.tokens["cigref"])
        await big.send(json.dumps({"id": "2", "type": "subscribe", "payload": {
            "query": "query($x: ID!) { initiative(id: $x) { id } }",
            "variables": {"x": "a" * 2_100_000}}}))  # fmt: skip
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(big.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009

    asyncio.run(scenario())


DATA = Path(__file__).resolve().parents[1] / "data"


def test_finished_imports_are_heard_from_an_upload_and_from_the_command_line(live: Live) -> None:
    """An upload is heard on both engines; an import run by `pariscall import` in its own
    process is heard through the shared channel (the embedded engine's; on Neo4j a
    deployment names one with PARISCALL_EVENTS_URL, which this test does not set up)."""

    async def scenario() -> None:
        importer = await _subscribe(live.port, live.tokens["importer"])
        signatory = await _subscribe(live.port, live.tokens["cigref"])
        await asyncio.sleep(0.3)
        body = (DATA / "oecd-themes.yaml").read_bytes()
        reply = await asyncio.to_thread(
            httpx.post, f"http://127.0.0.1:{live.port}/imports", content=body,
            params={"filename": "oecd-themes.yaml"}, timeout=60,
            headers={"Authorization": f"Bearer {live.tokens['importer']}",
                     "content-type": "application/octet-stream"},
        )  # fmt: skip
        assert reply.status_code == 200, reply.text
        heard = (await _next(importer))["payload"]["data"]["events"]
        assert heard["kind"] == "IMPORT_FINISHED" and heard["actor"] == "importer-token"
        if live.backend == "falkordb":
            path = DATA / "catalog-v1.json"
            done = await asyncio.to_thread(
                run_cli, ["import", str(path), "--actor", "loader"], live.env
            )
            assert done.returncode == 0, done.stderr
            heard = (await _next(importer))["payload"]["data"]["events"]
            assert heard["kind"] == "IMPORT_FINISHED" and heard["actor"] == "loader"
        with pytest.raises(TimeoutError):  # a signatory is not told of imports
            await _next(signatory, timeout=0.5)
        for socket in (importer, signatory):
            await socket.close()

    asyncio.run(scenario())


def test_every_worker_delivers_every_change(falkor_store: GraphStore, tmp_path: Path) -> None:
    """With `serve --workers 2` the kernel spreads subscribers over both processes; a
    change made in either reaches all of them through the engine's channel. (Embedded
    engine only: on Neo4j the channel is a Redis server the deployment names.)"""
    secret = issue(falkor_store, "admin")
    port = free_port()
    server = start_server(graph_env(falkor_store, tmp_path), port, "--workers", "2")

    async def scenario() -> None:
        sockets = [await _subscribe(port, secret) for _ in range(16)]
        await asyncio.sleep(0.5)
        for n in range(4):  # four changes, each handled by whichever worker takes it
            await asyncio.to_thread(
                graphql, port,
                'mutation($i: TopicInput!) { createTopic(input: $i) { errors { __typename } } }',
                {"i": {"id": f"t{n}", "nameEn": f"T{n}", "nameFr": f"T{n}"}},
                Authorization=f"Bearer {secret}",
            )  # fmt: skip
        for socket in sockets:
            heard = [(await _next(socket))["payload"]["data"]["events"] for _ in range(4)]
            assert [e["targets"] for e in heard] == [["t0"], ["t1"], ["t2"], ["t3"]]
            await socket.close()

    try:
        asyncio.run(scenario())
    finally:
        server.terminate()
        server.wait(timeout=30)
