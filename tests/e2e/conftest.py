"""An HTTP client on the app (ASGI, lifespan run) over a fresh graph of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.repositories import access
from graph.store import GraphStore


def issue(store: GraphStore, role: str = "admin", **scope: Any) -> str:
    """A fresh API token's secret, for the Authorization header."""
    _, secret = access.issue_token(
        store, name=f"{role}-token", role=role, now=datetime.now(UTC), **scope
    )
    return secret


@pytest.fixture(params=["shortcuts", "standard"])
def shortcuts(request: pytest.FixtureRequest) -> bool:
    """Each GraphQL test runs on the executor shortcuts and on the standard executor, so
    turning them off (PARISCALL_GRAPHQL_SHORTCUTS=false) is known to answer the same."""
    return bool(request.param == "shortcuts")


@pytest.fixture
def client(store: GraphStore, shortcuts: bool) -> Iterator[TestClient]:
    """A client signed in with an admin token."""
    settings = Settings(default_page_size=50, max_page_size=200, graphql_shortcuts=shortcuts)
    app = create_app(settings, store=store)
    secret = issue(store)
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as test_client:
        yield test_client


@pytest.fixture
def anonymous(store: GraphStore, shortcuts: bool) -> Iterator[TestClient]:
    settings = Settings(default_page_size=50, max_page_size=200, graphql_shortcuts=shortcuts)
    app = create_app(settings, store=store)
    with TestClient(app) as test_client:
        yield test_client


def ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL request; the HTTP status must be 200 whatever the GraphQL outcome."""
    reply = client.post("/graphql", json={"query": query, "variables": variables})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body
