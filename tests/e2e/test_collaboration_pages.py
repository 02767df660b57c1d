"""The collaboration flow in real Chromium on the demo data: a co-chair opens a call, a
signatory proposes its initiative in answer, the co-chair discusses and accepts it, and
the initiative appears in the group, with each step in the group's activity; meanwhile
the proposer's subscription hears each step, and the group's webhook receiver (on
loopback, which the operator allowed) gets each one signed, a replay refused.

On both engines: a server on the embedded engine, and one on the test Neo4j (events stay
in its one process there)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from schema.webhooks import verify
from tests.processes import cli_env, free_port, graph_env, graphql, run_cli, start_server
from tests.support.browser import ARGS, ARTIFACTS, CHROMIUM, Site, new_page, sign_in
from tests.webhook_receiver import Receiver

pytestmark = [pytest.mark.slow]

NEW = "cartographie-dependances"
TITLE = "Cartographie des dépendances logicielles critiques"


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Site, str]]:
    data_dir = tmp_path_factory.mktemp("collaboration")
    extra = {
        "PARISCALL_RATE_LIMIT_PER_ADDRESS": "100000/minute",
        "PARISCALL_WEBHOOK_ALLOW": "127.0.0.1/32",
    }
    neo4j = None
    if request.param == "neo4j":
        neo4j = request.getfixturevalue("neo4j_session_store")
        neo4j.clear()
        env = graph_env(neo4j, data_dir, **extra)
    else:
        env = cli_env(data_dir, **extra)
    port = free_port()
    server = start_server(env, port, "--demo")
    try:
        chair = run_cli(
            ["tokens", "create", "--role", "co_chair", "--wg", "wg6", "--name", "Cigref"], env
        )
        signatory = run_cli(
            ["tokens", "create", "--role", "signatory", "--signatory", "cesin", "--name", "CESIN"],
            env,
        )
        assert chair.returncode == 0 and signatory.returncode == 0, chair.stderr + signatory.stderr
        yield Site(port, chair.stdout.strip(), ""), signatory.stdout.strip()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if neo4j is not None:
            neo4j.clear()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _ask(site: Site, token: str, query: str, **variables: Any) -> dict[str, Any]:
    body = graphql(site.port, query, variables, Authorization=f"Bearer {token}").json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


class Listener:
    """A subscription of its own, in a thread, recording the kinds of events it hears."""

    def __init__(self, port: int, token: str) -> None:
        self.events: list[str] = []
        ready = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._listen(port, token, ready)),
                         daemon=True).start()  # fmt: skip
        assert ready.wait(10)

    async def _listen(self, port: int, token: str, ready: threading.Event) -> None:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]
        ) as socket:
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
            await socket.send(json.dumps(init))
            await socket.recv()
            query = "subscription { events { kind } }"
            await socket.send(json.dumps({"id": "1", "type": "subscribe",
                                          "payload": {"query": query}}))  # fmt: skip
            await asyncio.sleep(0.3)
            ready.set()
            with contextlib.suppress(websockets.ConnectionClosed):  # the server stops
                async for message in socket:
                    self.events.append(json.loads(message)["payload"]["data"]["events"]["kind"])

    def kinds(self, count: int, timeout: float = 10) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.events)


def _submit(page: Any, form: str) -> None:
    """Submit a collaboration form and wait for the page it reloads, scripts loaded."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state("load")


def test_a_proposal_goes_from_a_signatory_to_the_group(
    site: tuple[Site, str], browser: Any
) -> None:
    web, signatory = site
    created = _ask(
        web, signatory,
        "mutation($i: CreateInitiativeInput!) { createInitiative(input: $i) { errors "
        "{ __typename } } }",
        i={"id": NEW, "title": TITLE, "language": "fr", "topics": ["sbom"],
           "contributors": [{"signatory": "cesin", "role": "LEAD"}]},
    )  # fmt: skip
    assert created["createInitiative"]["errors"] == []
    receiver = Receiver()
    hook = _ask(
        web, web.token,
        "mutation($i: WebhookInput!) { createWebhook(input: $i) { secret errors { __typename } } }",
        i={"workingGroup": "wg6", "url": receiver.url},
    )["createWebhook"]  # fmt: skip
    assert hook["errors"] == []
    heard = Listener(web.port, signatory)
    dialogs: list[str] = []

    chair = new_page(browser)
    chair.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(chair, web, "/wg/wg6")
    chair.get_by_text("Open a call for contributions").click()
    chair.get_by_label("Title").first.fill("Software bills of materials in practice")
    chair.locator("#call-topics").select_option(["sbom", "vulnerability-disclosure"])
    chair.get_by_label("Deadline").fill("2027-03-31")
    _submit(chair, "form[data-mutation=openCall]")
    call = chair.locator("article.call").first
    assert "Software bills of materials in practice" in call.inner_text()
    assert (
        "Still missing: Software bill of materials, Vulnerability disclosure" in call.inner_text()
    )

    proposer = new_page(browser)
    sign_in(proposer, web, "/wg/wg6?lang=fr", token=signatory)
    proposer.locator("#propose-initiative").select_option(NEW)
    proposer.locator("#propose-call").select_option(index=1)
    proposer.get_by_label("Message").fill("Notre cartographie couvre déjà 40 opérateurs.")
    _submit(proposer, "form[data-mutation=propose]")
    mine = proposer.locator("article.proposal").first
    assert TITLE in mine.inner_text() and "ouverte" in mine.inner_text()
    proposer.screenshot(path=str(ARTIFACTS / "proposal-signatory-fr.png"), full_page=True)

    # The co-chair's open page was told, live, without reloading.
    chair.wait_for_selector("#live:not([hidden])", timeout=10_000)
    assert "New activity in this group (CESIN)" in chair.locator("#live").inner_text()
    chair.reload()
    answered = chair.locator("article.call").first
    assert "Still missing: Vulnerability disclosure" in answered.inner_text()
    answers = answered.locator("ul.answers li").all_inner_texts()
    assert [" ".join(a.split()) for a in answers] == [f"{TITLE} open"]
    offered = chair.locator("article.proposal").first
    assert "Proposed by CESIN" in offered.inner_text()
    offered.locator("textarea[name=body]").fill(
        "Does it overlap the **SBOM pilot**? <script>alert('x')</script>"
    )
    _submit(chair, "article.proposal form[data-mutation=addComment]")
    comment = chair.locator("article.proposal .comment .body").first
    assert comment.locator("strong").inner_text() == "SBOM pilot"
    assert "<script>alert('x')</script>" in comment.inner_text()  # shown, not run
    chair.screenshot(path=str(ARTIFACTS / "proposal-co-chair.png"), full_page=True)
    _submit(chair, "article.proposal form[data-mutation=acceptProposal]")
    assert "accepted" in chair.locator("article.proposal").first.inner_text()
    assert TITLE in chair.locator("#initiatives").inner_text()
    assert dialogs == []

    tracked = _ask(web, web.token, f'{{ initiative(id: "{NEW}") {{ workingGroups {{ id }} }} }}')
    assert {"id": "wg6"} in tracked["initiative"]["workingGroups"]
    assert heard.kinds(3) == ["PROPOSAL_OPENED", "COMMENT_ADDED", "PROPOSAL_ACCEPTED"]
    deliveries = receiver.wait(4)
    kinds = [json.loads(body)["kind"] for _, body in deliveries]
    assert sorted(kinds) == ["call_opened", "comment_added", "proposal_accepted", "proposal_opened"]
    seen: set[str] = set()
    for headers, body in deliveries:
        check = {"timestamp": headers["X-Pariscall-Timestamp"],
                 "signature": headers["X-Pariscall-Signature"],
                 "delivery": headers["X-Pariscall-Delivery"]}  # fmt: skip
        assert verify(hook["secret"], body, now=time.time(), seen=seen, **check)
        assert not verify(hook["secret"], body, now=time.time(), seen=seen, **check)  # replay
    feed = chair.locator("#activity").inner_text()
    call = "opened a call for contributions: Software bills of materials in practice"
    for line in ("accepted a proposal: " + TITLE, "commented: " + TITLE,
                 "CESIN proposed an initiative: " + TITLE, call):  # fmt: skip
        assert line in feed, (line, feed)


def test_a_duplicate_pair_is_discussed_beside_its_review(
    site: tuple[Site, str], browser: Any
) -> None:
    web, _ = site
    page = new_page(browser)
    a, b = "charte-divulgation-coordonnee", "coordinated-disclosure-charter"
    sign_in(page, web, f"/review?a={a}&b={b}&wg=wg6")
    page.locator("textarea[name=body]").fill("Same charter, two languages: merge?")
    _submit(page, "form[data-mutation=addComment]")
    assert "Same charter, two languages: merge?" in page.locator(".thread").inner_text()
    thread = _ask(
        web, web.token,
        'query($p: [ID!]!) { comments(on: {pair: $p}) { edges { node { author body } } } }',
        p=[b, a],
    )  # fmt: skip
    assert thread["comments"]["edges"] == [
        {"node": {"author": "Cigref", "body": "Same charter, two languages: merge?"}}
    ]
