"""Live notifications over GraphQL subscriptions (the graphql-transport-ws protocol).

A subscriber hears the events its token may see (schema.events.may_hear), from the
moment it subscribes. Its socket is closed, and the subscription ended, at its next
message or within seconds when its token is revoked or expires (api/sockets.py); the
check below, while events flow, is a second line.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from api.delivery.events import stream
from api.graphql.building import copied
from api.graphql.context import Context
from schema.access_checks import Guarded, check
from schema.errors import GraphUnavailable
from schema.events import Event, EventKind, may_hear

strawberry.enum(EventKind)

RECHECK_SECONDS = 60.0


@strawberry.type(description="A change the subscriber may know of; query its targets for more.")
class Notification:
    id: strawberry.ID = strawberry.field(description="The audit event's id.")
    kind: EventKind
    at: datetime
    actor: str
    action: str
    targets: list[strawberry.ID]
    working_groups: list[strawberry.ID]


def notification(event: Event) -> Notification:
    return copied(
        Notification, event, targets=list(event.targets), working_groups=list(event.working_groups)
    )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Changes as they happen: proposals opened and decided, comments, "
        "duplicate decisions and merges, finished imports, and other edits, each to those "
        "who may read it (admins all; co-chairs their groups'; signatories what concerns "
        "their organisation; importers the imports). `kinds` narrows the list."
    )
    async def events(
        self, info: Info[Context, None], kinds: list[EventKind] | None = None
    ) -> AsyncGenerator[Notification, None]:
        ctx = info.context
        check(ctx.actor, Guarded.EVENTS)
        if ctx.events is None:
            raise GraphUnavailable("notifications are not running in this process")
        wanted = set(kinds) if kinds else None
        checked = time.monotonic()
        async for event in stream(ctx.events.hub):
            if wanted is not None and event.kind not in wanted:
                continue
            if not may_hear(ctx.actor, event):
                continue
            if time.monotonic() - checked > RECHECK_SECONDS:
                await ctx.recheck()
                checked = time.monotonic()
            yield notification(event)
