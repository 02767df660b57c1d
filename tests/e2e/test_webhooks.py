"""Webhooks over a real uvicorn on both engines: signed deliveries reach a loopback
receiver the operator allowed, retries follow failures, the delivery log says what
happened, and the docs' verification helper refuses replays and forgeries."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Signatory, WorkingGroup
from schema.records import InitiativeRecord
from schema.webhooks import verify
from tests import factories as f
from tests.e2e.conftest import ask, cast
from tests.processes import free_port, graph_env, graphql, start_server
from tests.support.units import system
from tests.webhook_receiver import Receiver

CREATE = (
    "mutation($i: WebhookInput!) { createWebhook(input: $i) { secret webhook { id url } "
    "errors { __typename ... on ValidationError { field message } } } }"
)
PROPOSE = (
    "mutation($i: ID!, $g: ID!) { propose(input: {initiative: $i, workingGroup: $g}) "
    "{ errors { __typename } } }"
)
LOG = (
    "query { webhooks { edges { node { id deliveries { edges { node { kind state attempts "
    "lastStatus lastError } } } } } } }"
)


def _build(store: GraphStore) -> dict[str, str]:
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref")], model=Signatory)
    now = datetime.now(UTC)
    for id in ("mine", "other"):
        record = {"id": id, "title": f"Initiative {id}", "language": "en",
                  "contributors": [{"signatory_id": "cigref", "role": "lead"}]}  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    return cast(store, "cigref")


@pytest.fixture
def served(store: GraphStore, tmp_path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    tokens = _build(store)
    port = free_port()
    env = graph_env(store, tmp_path, PARISCALL_WEBHOOK_ALLOW="127.0.0.1/32")
    server = start_server(env, port)
    try:
        yield port, tokens
    finally:
        server.terminate()
        server.wait(timeout=30)


def _ask(port: int, token: str, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = graphql(port, query, variables, Authorization=f"Bearer {token}").json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def test_a_groups_events_reach_its_hook_signed_and_retried(
    served: tuple[int, dict[str, str]],
) -> None:
    port, tokens = served
    receiver = Receiver(failures=1)
    made = _ask(port, tokens["chair6"], CREATE, i={"workingGroup": "wg6", "url": receiver.url})
    secret = made["createWebhook"]["secret"]
    assert made["createWebhook"]["errors"] == [] and secret.startswith("whsec_")
    # Another group's event is not the hook's; its own group's is, after one failure.
    _ask(port, tokens["cigref"], PROPOSE, i="other", g="wg7")
    _ask(port, tokens["cigref"], PROPOSE, i="mine", g="wg6")
    got = receiver.wait(1)
    assert got, json.dumps(_ask(port, tokens["chair6"], LOG))
    [(headers, body)] = got
    event = json.loads(body)
    assert event["kind"] == "proposal_opened" and "mine" in event["targets"]
    assert event["working_groups"] == ["wg6"] and "signatories" not in event

    seen: set[str] = set()
    check = {
        "timestamp": headers["X-Pariscall-Timestamp"],
        "signature": headers["X-Pariscall-Signature"],
        "delivery": headers["X-Pariscall-Delivery"],
    }
    assert verify(secret, body, now=time.time(), seen=seen, **check)
    assert not verify(secret, body, now=time.time(), seen=seen, **check)  # a replay
    fresh: set[str] = set()
    assert not verify(secret, body + b" ", now=time.time(), seen=fresh, **check)  # tampered
    assert not verify("whsec_" + "x" * 40, body, now=time.time(), seen=fresh, **check)
    assert not verify(secret, body, now=time.time() + 600, seen=fresh, **check)  # too old

    log = _ask(port, tokens["chair6"], LOG)["webhooks"]["edges"][0]["node"]["deliveries"]
    assert [e["node"] for e in log["edges"]] == [
        {"kind": "PROPOSAL_OPENED", "state": "DELIVERED", "attempts": 2, "lastStatus": 204,
         "lastError": None}
    ]  # fmt: skip
    assert receiver.wait(2, timeout=1.5) == [(headers, body)]  # nothing else was sent
    # Another group's co-chair neither sees nor registers the hook.
    assert _ask(port, tokens["chair7"], LOG)["webhooks"]["edges"] == []
    refused = _ask(port, tokens["chair7"], CREATE, i={"workingGroup": "wg6", "url": receiver.url})
    assert [e["__typename"] for e in refused["createWebhook"]["errors"]] == ["ForbiddenError"]


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest",
     "http://[::1]/hook", "ftp://198.51.100.7/x"],
)  # fmt: skip
def test_addresses_the_operator_has_not_allowed_are_refused(store: GraphStore, url: str) -> None:
    tokens = _build(store)
    app = create_app(Settings(webhook_dispatch=False), store=store)
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['admin']}"}) as client:
        reply = ask(client, CREATE, i={"url": url})["data"]["createWebhook"]
    assert reply["webhook"] is None and reply["secret"] is None
    assert reply["errors"][0]["field"] == ["url"]


DISABLE = (
    "mutation($id: ID!) { disableWebhook(id: $id) { secret webhook { id } errors { __typename } } }"
)


def test_the_secret_is_shown_when_the_hook_is_made_and_never_again(store: GraphStore) -> None:
    tokens = _build(store)
    app = create_app(Settings(webhook_dispatch=False, webhook_allow="127.0.0.0/8"), store=store)
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['admin']}"}) as client:
        made = ask(client, CREATE, i={"url": "http://127.0.0.1:9/hook"})["data"]["createWebhook"]
        assert made["errors"] == [] and made["secret"].startswith("whsec_")
        gone = ask(client, DISABLE, id=made["webhook"]["id"])["data"]["disableWebhook"]
    assert gone["errors"] == [] and gone["webhook"]["id"] == made["webhook"]["id"]
    assert gone["secret"] is None
