"""Per-request context: the process's store, settings, request id and DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from strawberry.fastapi import BaseContext

from api.auth import authenticate
from api.delivery.events import Broker
from api.settings import Settings
from api.sockets import Seat
from graph.planning.reading import Together
from graph.store import GraphStore
from schema.access import ANONYMOUS, Actor

T = TypeVar("T")


class Context(BaseContext):
    def __init__(
        self,
        *,
        store: GraphStore,
        settings: Settings,
        request_id: str,
        actor: Actor = ANONYMOUS,
        events: Broker | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.request_id = request_id
        self.actor = actor
        self.events = events
        # The presented token, kept for long-lived subscriptions to check it again.
        self.secret: str | None = None
        self.anonymous_read = settings.anonymous_read
        # The socket this context belongs to, counted by api/sockets.py (None over HTTP).
        self.seat: Seat | None = None
        self.loaders: dict[str, Any] = {}
        # The operation's planned root-field reads, sent together (graph/planning).
        self.planned = Together(store)
        # Set by the executor running the operation when it reads the answers written
        # from a plan's rows (api/graphql/executor.Completed); another executor would not.
        self.reads_completed = False

    def for_operation(self, request_id: str) -> Context:
        """The context of one operation on a socket, as an HTTP request gets its own: the
        socket's actor and token, a request id and loaders of its own."""
        fresh = Context(
            store=self.store,
            settings=self.settings,
            request_id=request_id,
            actor=self.actor,
            events=self.events,
        )
        fresh.secret = self.secret
        fresh.seat = self.seat
        fresh.request = self.request
        fresh.connection_params = self.connection_params
        return fresh

    def actor_name(self) -> str | None:
        """Who is acting, as recorded on decisions."""
        return None if self.actor.anonymous else self.actor.name

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking repository call in a worker thread (context vars carried)."""
        return await anyio.to_thread.run_sync(partial(fn, self.store, *args, **kwargs))

    async def recheck(self) -> None:
        """Raise Unauthenticated when the token used at the start no longer holds."""
        if self.secret is not None:
            await self.run(authenticate, self.secret, anonymous_read=self.anonymous_read)
