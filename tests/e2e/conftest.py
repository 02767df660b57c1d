"""An HTTP client on the app (ASGI, lifespan run) over a fresh graph of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.access import repository as access
from graph.store import GraphStore
from tests.support.units import system


def issue(store: GraphStore, role: str = "admin", **scope: Any) -> str:
    """A fresh API token's secret, for the Authorization header."""
    _, secret = access.issue_token(
        system(store), name=f"{role}-token", role=role, now=datetime.now(UTC), **scope
    )
    return secret


def cast(store: GraphStore, *signatories: str, importer: bool = False) -> dict[str, str]:
    """The usual cast's token secrets, by name: `admin`, the co-chairs of wg6 and wg7
    (`chair6`, `chair7`), one signatory token per id in `signatories` (named by it) and,
    with `importer`, an `importer`."""
    secrets = {
        "admin": issue(store, "admin"),
        "chair6": issue(store, "co_chair", working_groups=["wg6"]),
        "chair7": issue(store, "co_chair", working_groups=["wg7"]),
    }
    secrets |= {id: issue(store, "signatory", signatory=id) for id in signatories}
    return secrets | ({"importer": issue(store, "importer")} if importer else {})


# The GraphQL suite runs on the executor shortcuts and on strawberry's standard executor,
# so turning them off (PARISCALL_GRAPHQL_SHORTCUTS=false) is known to answer the same.
GRAPHQL_SUITE = frozenset(
    {
        "test_graphql_read",
        "test_graphql_mutations",
        "test_graphql_analysis",
        "test_error_shapes",
        "test_hostile_queries",
    }
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in GRAPHQL_SUITE and "executor" in metafunc.fixturenames:
        metafunc.parametrize("executor", ["shortcuts", "standard"])


@pytest.fixture(autouse=True)
def executor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which executor the test's app runs on (its Settings read the environment)."""
    mode = str(getattr(request, "param", "shortcuts"))
    monkeypatch.setenv("PARISCALL_GRAPHQL_SHORTCUTS", "true" if mode == "shortcuts" else "false")
    return mode


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    """A client signed in with an admin token."""
    app = create_app(Settings(default_page_size=50, max_page_size=200), store=store)
    secret = issue(store)
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as test_client:
        yield test_client


@pytest.fixture
def anonymous(store: GraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(default_page_size=50, max_page_size=200), store=store)
    with TestClient(app) as test_client:
        yield test_client


def ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL request; the HTTP status must be 200 whatever the GraphQL outcome."""
    reply = client.post("/graphql", json={"query": query, "variables": variables})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


@contextmanager
def signed_in(app: Any, secrets: dict[str, str]) -> Iterator[dict[str, TestClient]]:
    """One client per token (by name), plus "anonymous", all on one app."""
    made = {
        name: TestClient(app, headers={"Authorization": f"Bearer {secret}"})
        for name, secret in secrets.items()
    }
    made["anonymous"] = TestClient(app)
    with ExitStack() as stack:
        for client in made.values():
            stack.enter_context(client)
        yield made


def payload(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """The one mutation's (or field's) answer, with no top-level GraphQL error."""
    body = ask(client, query, **variables)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))  # type: ignore[no-any-return]


def error_kinds(answer: dict[str, Any]) -> list[str]:
    return [e["__typename"] for e in answer["errors"]]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo with real publishers' shapes imported, for the page tests in Chromium
    (test_pages*.py; test_collaboration_pages.py has its own, on both engines)."""
    from tests.support.browser import demo_with_publishers

    with demo_with_publishers(tmp_path_factory.mktemp("pages")) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright, for one test module: Playwright's sync API
    runs an event loop in this thread until it stops, and tests of other modules start
    their own (asyncio.run), which cannot run inside another."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import ARGS, ARTIFACTS, CHROMIUM

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
