"""Webhooks in GraphQL: registration (the secret is shown once), the delivery log, and
disabling. Admins see every hook; co-chairs their groups'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.delivery.addresses import AddressRefused, check_address
from api.graphql.building import copied
from api.graphql.context import Context
from api.graphql.guard import Change, Payload, change, guard
from api.graphql.outcomes import (
    MutationError,
    NotFoundError,
    ValidationError,
    attempt,
)
from api.graphql.pagination import Connection, Listing
from api.graphql.queries import linked
from graph import usecases
from graph.access.facts import Scope
from graph.audit import UnitOfWork
from graph.webhooks import repository as repo
from schema import webhooks as w
from schema.access import Action, Role
from schema.access_checks import Guarded, check
from schema.events import AuditAction as A
from schema.events import EventKind

strawberry.enum(w.DeliveryState)


@strawberry.type(description="One event sent (or being sent) to a hook.")
class WebhookDelivery:
    id: strawberry.ID
    event_id: strawberry.ID
    kind: EventKind
    state: w.DeliveryState
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: datetime
    next_at: datetime
    delivered_at: datetime | None


def delivery(d: w.Delivery) -> WebhookDelivery:
    return copied(WebhookDelivery, d)


DELIVERIES = Listing(repo.deliveries, repo.delivery_count, delivery)


@strawberry.type(description="An endpoint hearing a working group's events (or every event).")
class Webhook:
    id: strawberry.ID
    url: str
    kinds: list[EventKind] = strawberry.field(description="Empty: every kind.")
    created_by: str
    created_at: datetime
    active: bool
    working_group_id: strawberry.Private[str | None]
    stored: strawberry.Private[w.Webhook]

    @strawberry.field(
        description="Whether it is sent events now: active, and the token that registered "
        "it is still valid and still manages its group's hooks (else it stays silent)."
    )
    async def delivering(self, info: Info[Context, None]) -> bool:
        found = await info.context.run(repo.delivering, [self.stored], now=datetime.now(UTC))
        return found.get(self.stored.id, False)

    working_group = linked("WorkingGroup", "working_group_id")

    @strawberry.field(description="Deliveries, newest first.")
    async def deliveries(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        return await DELIVERIES.page(info.context, first, after, {}, self.id)


def hook(h: w.Webhook) -> Webhook:
    return copied(Webhook, h, kinds=list(h.kinds), stored=h)


HOOKS = Listing(repo.hooks, repo.hook_count, hook)


@strawberry.input
class WebhookInput:
    url: str
    working_group: strawberry.ID | None = strawberry.field(
        default=None, description="Whose events it hears; none: every event (admins only)."
    )
    kinds: list[EventKind] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookPayload(Payload):
    webhook: Webhook | None
    secret: str | None = strawberry.field(
        description="The signing secret: shown here once, never again."
    )
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> WebhookPayload:
        """Only a hook just created shows its secret, once; any other answer none."""
        if isinstance(result, Created):
            return cls(webhook=hook(result.hook), secret=result.hook.secret, errors=errors)
        return cls(webhook=hook(result) if result else None, secret=None, errors=errors)


@dataclass(frozen=True)
class Created:
    """A hook registered by this request: the one answer that carries its secret."""

    hook: w.Webhook


def _create(work: UnitOfWork, **given: Any) -> Created:
    return Created(repo.create(work, **given))


def _group_of(input: WebhookInput, **_: Any) -> Scope:
    return Scope(groups=(input.working_group,) if input.working_group else ())


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="Registered hooks (admins: all; co-chairs: their groups').")
    async def webhooks(
        self,
        info: Info[Context, None],
        working_group: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Webhook]:
        actor = info.context.actor
        check(actor, Guarded.WEBHOOKS)
        filters = {
            "all": actor.role is Role.ADMIN, "groups": sorted(actor.working_groups),
            "group": working_group,
        }  # fmt: skip
        return await HOOKS.page(info.context, first, after, filters)


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        description="Register a hook: its deliveries are signed with the secret returned "
        "once here; only addresses the operator allows are reached."
    )
    @guard(Action.MANAGE_WEBHOOKS, _group_of, records=A.CREATE_WEBHOOK, returns=WebhookPayload)
    async def create_webhook(
        self, info: Info[Context, None], input: WebhookInput
    ) -> Change | Payload:
        ctx = info.context
        if not ctx.actor.anonymous:
            # Rights first, so that nobody learns how the operator's addresses resolve.
            _, refused = await attempt(
                ctx, usecases.permit, ctx.actor, Action.MANAGE_WEBHOOKS, _group_of(input)
            )
            if refused:
                return WebhookPayload.of(None, refused)
            try:
                await check_address(input.url, ctx.settings.webhook_networks())
            except AddressRefused as exc:
                return WebhookPayload.of(None, [ValidationError.at(str(exc), "url")])
        return change(
            _create, working_group_id=input.working_group, url=input.url,
            kinds=[k.value for k in input.kinds], created_by=ctx.actor.name,
            owner_token=ctx.actor.token_id, now=datetime.now(UTC),
        )  # fmt: skip

    @strawberry.mutation(description="Stop a hook; its delivery log stays.")
    @guard(Action.MANAGE_WEBHOOKS, records=A.DISABLE_WEBHOOK, returns=WebhookPayload)
    async def disable_webhook(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> Change | Payload:
        exists, group = await info.context.run(repo.group_of, id)
        if not exists:
            missing = NotFoundError(message=f"unknown webhook '{id}'", kind="webhook", id=id)
            return WebhookPayload.of(None, [missing])
        scope = Scope(groups=(group,) if group else ())
        return change(repo.disable, id, now=datetime.now(UTC)).within(scope)
