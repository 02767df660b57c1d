"""Webhooks in GraphQL: registration (the secret is shown once), the delivery log, and
disabling. Admins see every hook; co-chairs their groups'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.delivery.addresses import AddressRefused, check_address
from api.graphql.context import Context
from api.graphql.guard import Change, Payload, change, guard, refusal
from api.graphql.nodes import WorkingGroup
from api.graphql.outcomes import ForbiddenError, MutationError, NotFoundError, ValidationError
from api.graphql.pagination import Connection, paged
from api.graphql.queries import lookup
from graph.access.facts import Scope, facts_of
from graph.store import GraphStore
from graph.webhooks import repository as repo
from schema import webhooks as w
from schema.access import Action, Role, allowed
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
    return WebhookDelivery(
        id=strawberry.ID(d.id), event_id=strawberry.ID(d.event_id), kind=d.kind, state=d.state,
        attempts=d.attempts, last_status=d.last_status, last_error=d.last_error,
        created_at=d.created_at, next_at=d.next_at, delivered_at=d.delivered_at,
    )  # fmt: skip


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

    @strawberry.field
    async def working_group(self, info: Info[Context, None]) -> WorkingGroup | None:
        if self.working_group_id is None:
            return None
        return await lookup(info, "WorkingGroup", self.working_group_id)  # type: ignore[no-any-return]

    @strawberry.field(description="Deliveries, newest first.")
    async def deliveries(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        return await paged(
            info.context, first, after, rows=repo.deliveries, count=repo.delivery_count,
            make=delivery, filters={}, args=(self.id,),
        )  # fmt: skip


def hook(h: w.Webhook) -> Webhook:
    return Webhook(
        id=strawberry.ID(h.id), url=h.url, kinds=list(h.kinds), created_by=h.created_by,
        created_at=h.created_at, active=h.active, working_group_id=h.working_group_id, stored=h,
    )  # fmt: skip


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


def _create(store: GraphStore, **given: Any) -> Created:
    return Created(repo.create(store, **given))


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
        return await paged(
            info.context, first, after, rows=repo.hooks, count=repo.hook_count, make=hook,
            filters=filters,
        )  # fmt: skip


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
            scope = _group_of(input)
            facts = await ctx.run(facts_of, scope)
            if not allowed(ctx.actor, Action.MANAGE_WEBHOOKS, facts):
                message = refusal(ctx.actor, Action.MANAGE_WEBHOOKS, set(scope.groups))
                return WebhookPayload.of(None, [ForbiddenError(message=message)])
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
