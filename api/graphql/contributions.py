"""Who contributes to an initiative, in GraphQL: contributors named by admins and the
co-chairs concerned, and invitations (schema.collaboration.Invitation) when a lead
names another organisation, which that organisation accepts or declines. A pending
invitation is nobody's contribution: `Initiative.contributors` never lists it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.building import copied
from api.graphql.context import Context
from api.graphql.guard import Change, Payload, change, guard
from api.graphql.outcomes import ForbiddenError, MutationError, NotFoundError
from api.graphql.queries import linked
from graph.access.facts import Scope
from graph.audit import reading
from graph.curation import service
from graph.invitations import repository as repo
from graph.usecases import refusal
from schema import collaboration as c
from schema import enums
from schema.access import Action, Role
from schema.access_checks import Guarded, check
from schema.events import AuditAction as A

strawberry.enum(c.InvitationState)


@strawberry.type(description="An organisation invited to contribute to an initiative.")
class Invitation:
    id: strawberry.ID
    role: enums.ContributorRole = strawberry.field(description="The role it is invited to.")
    state: c.InvitationState
    invited_by: str = strawberry.field(description="The token holder who invited it.")
    created_at: datetime
    decided_at: datetime | None
    initiative_id: strawberry.Private[str]
    signatory_id: strawberry.Private[str]

    initiative = linked("Initiative", "initiative_id")
    signatory = linked("Signatory", "signatory_id", description="The organisation invited.")


def invitation(v: c.Invitation) -> Invitation:
    return copied(Invitation, v)


@strawberry.type(
    description="Result of a contributor change: `changed` when the contributors changed; "
    "`invitation` when another organisation was invited (it contributes once it accepts)."
)
class ContributorPayload(Payload):
    changed: bool
    invitation: Invitation | None
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> ContributorPayload:
        if isinstance(result, c.Invitation):
            accepted = result.state is c.InvitationState.ACCEPTED
            return cls(changed=accepted, invitation=invitation(result), errors=errors)
        # Setting a link answers None (it is so now); removing one answers whether it was.
        return cls(changed=result is not False and not errors, invitation=None, errors=errors)


def _now() -> datetime:
    return datetime.now(UTC)


def _named(initiative: str, signatory: str, **_: Any) -> Scope:
    """The initiative, and the organisation named (who hears of it)."""
    return Scope(initiatives=(initiative,), signatory=signatory)


def _for_another(info: Info[Context, None], signatory: str) -> bool:
    """A signatory's token naming an organisation other than its own."""
    actor = info.context.actor
    return actor.role is Role.SIGNATORY and signatory != actor.signatory


def _invited(info: Info[Context, None]) -> str:
    """The organisation answering an invitation: the caller's own."""
    actor = info.context.actor
    check(actor, Guarded.CHANGE)
    return actor.signatory or ""


def _refused(message: str) -> ContributorPayload:
    return ContributorPayload.of(None, [ForbiddenError(message=message)])


def _no_invitation(initiative: str, signatory: str) -> ContributorPayload:
    message = f"no pending invitation of '{signatory}' to initiative '{initiative}'"
    missing = NotFoundError(message=message, kind="invitation", id=strawberry.ID(initiative))
    return ContributorPayload.of(None, [missing])


@strawberry.type
class ContributionQueries:
    @strawberry.field(
        description="Invitations the caller may read, newest first: those made to its "
        "organisation or on initiatives it leads, and, for co-chairs, on initiatives their "
        "groups track (admins: all)."
    )
    async def invitations(
        self,
        info: Info[Context, None],
        initiative: strawberry.ID | None = None,
        signatory: strawberry.ID | None = None,
        state: c.InvitationState | None = c.InvitationState.PENDING,
    ) -> list[Invitation]:
        check(info.context.actor, Guarded.INVITATIONS)
        found = await info.context.run(
            reading.invitations, info.context.actor, initiative=initiative,
            signatory=signatory, state=state.value if state else None,
        )  # fmt: skip
        return [invitation(v) for v in found]


@strawberry.type
class ContributionMutations:
    @strawberry.mutation(
        description="Make a signatory a contributor of an initiative, or change its role. "
        "Admins and co-chairs of a group tracking it do so directly; a lead names its own "
        "organisation directly and invites any other, which contributes once it accepts."
    )
    @guard(Action.EDIT_INITIATIVE, _named, records=A.SET_CONTRIBUTOR, returns=ContributorPayload)
    async def set_contributor(
        self,
        info: Info[Context, None],
        initiative: strawberry.ID,
        signatory: strawberry.ID,
        role: enums.ContributorRole,
    ) -> Change:
        actor = info.context.actor
        if _for_another(info, signatory):
            return change(
                repo.invite, initiative_id=initiative, signatory_id=signatory, role=role,
                invited_by=actor.name, inviting=actor.signatory, now=_now(),
            ).named(A.INVITE_CONTRIBUTOR)  # fmt: skip
        return change(
            service.set_contributor, initiative_id=initiative, signatory_id=signatory, role=role
        )

    @strawberry.mutation(
        description="Remove a contributor (admins, co-chairs concerned, or the organisation "
        "itself as a lead); a lead removing an organisation it invited cancels the invitation."
    )
    @guard(Action.EDIT_INITIATIVE, _named, records=A.REMOVE_CONTRIBUTOR, returns=ContributorPayload)
    async def remove_contributor(
        self, info: Info[Context, None], initiative: strawberry.ID, signatory: strawberry.ID
    ) -> Change | Payload:
        if _for_another(info, signatory):
            found = await info.context.run(repo.pending, initiative, signatory)
            if found is None:
                return _refused(
                    f"only '{signatory}' itself, a co-chair of a group tracking initiative "
                    f"'{initiative}' or an admin removes it from the contributors"
                )
            closing = c.InvitationState.CANCELLED
            return change(repo.close, found.id, state=closing, now=_now()).named(
                A.CANCEL_INVITATION
            )
        return change(service.remove_contributor, initiative_id=initiative, signatory_id=signatory)

    @strawberry.mutation(
        description="Accept the caller's organisation's pending invitation to an initiative: "
        "it contributes in the role it was invited to."
    )
    @guard(Action.ANSWER_INVITATION, records=A.ACCEPT_CONTRIBUTION, returns=ContributorPayload)
    async def accept_contribution(
        self, info: Info[Context, None], initiative: strawberry.ID
    ) -> Change | Payload:
        return await _answer(info, initiative, accept=True)

    @strawberry.mutation(description="Decline the caller's organisation's pending invitation.")
    @guard(Action.ANSWER_INVITATION, records=A.DECLINE_CONTRIBUTION, returns=ContributorPayload)
    async def decline_contribution(
        self, info: Info[Context, None], initiative: strawberry.ID
    ) -> Change | Payload:
        return await _answer(info, initiative, accept=False)


async def _answer(info: Info[Context, None], initiative: str, *, accept: bool) -> Change | Payload:
    """The invited organisation's answer; only a token of that organisation gives it."""
    signatory = _invited(info)
    if not signatory:  # only a signatory's token answers for its organisation
        return _refused(refusal(info.context.actor, Action.ANSWER_INVITATION, set()))
    found = await info.context.run(repo.pending, initiative, signatory)
    if found is None:
        return _no_invitation(initiative, signatory)
    scope = Scope(initiatives=(initiative,), signatory=signatory)
    if accept:
        return change(repo.accept, found.id, now=_now()).within(scope)
    declined = c.InvitationState.DECLINED
    return change(repo.close, found.id, state=declined, now=_now()).within(scope)
