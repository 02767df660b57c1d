"""The audit trail in GraphQL: admins see every event, co-chairs those of their groups,
and a group's members its feed; each event's changes only as far as the reader may read
the object it describes (graph.audit.reading)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.pagination import Connection, Listing
from graph.audit import reading
from graph.relationships import repository as relationships
from schema.access import Role, may_follow
from schema.access_checks import Guarded, check


@strawberry.type(description="One field (or link) a change touched, before and after.")
class FieldChange:
    field: str
    before: JSON | None
    after: JSON | None


@strawberry.type(description="A change made through the API, written with the change itself.")
class AuditEvent:
    id: strawberry.ID
    at: str
    actor: str
    role: str
    action: str
    targets: list[strawberry.ID]
    working_groups: list[strawberry.ID]
    changes: list[FieldChange]
    request_id: str | None


def _event(row: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        id=strawberry.ID(row["id"]),
        at=row["at"],
        actor=row["actor"],
        role=row["role"],
        action=row["action"],
        targets=[strawberry.ID(t) for t in row.get("targets") or []],
        working_groups=[strawberry.ID(w) for w in row.get("working_groups") or []],
        changes=[
            FieldChange(field=name, before=values[0], after=values[1])
            for name, values in sorted(row.get("changes", {}).items())
        ],
        request_id=row.get("request_id"),
    )


EVENTS = Listing(reading.log, reading.count, _event)


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="Changes, newest first (admins: all; co-chairs: their groups'), each "
        "with its before/after values only when the reader may read what it describes."
    )
    async def audit_log(
        self,
        info: Info[Context, None],
        target: strawberry.ID | None = None,
        actor: str | None = None,
        since: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        ctx = info.context
        who = ctx.actor
        check(who, Guarded.AUDIT_TRAIL)
        scope = None if who.role is Role.ADMIN else sorted(who.working_groups)
        filters: dict[str, Any] = {"target": target, "actor": actor, "since": since, "scope": scope}
        return await EVENTS.page(ctx, first, after, filters, who)

    @strawberry.field(
        description="A working group's activity, newest first: the changes touching it "
        "(proposals, decisions, comments, imports), for admins, its co-chairs and members; "
        "each with its before/after values only when the reader may read what it describes."
    )
    async def activity(
        self,
        info: Info[Context, None],
        working_group: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        ctx = info.context
        check(ctx.actor, Guarded.GROUP_ACTIVITY)
        members = await ctx.run(relationships.memberships, working_group)
        follows = may_follow(ctx.actor, working_group, frozenset(m.signatory_id for m in members))
        check(ctx.actor, Guarded.GROUP_ACTIVITY, permitted=follows, subject=working_group)
        filters = {"target": None, "actor": None, "since": None, "scope": [working_group]}
        return await EVENTS.page(ctx, first, after, filters, ctx.actor)
