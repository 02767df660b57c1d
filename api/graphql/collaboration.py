"""Proposals and calls for contributions in GraphQL.

Who reads which proposals follows `schema.access.proposal_readers`: admins all,
co-chairs those addressed to their groups, signatories those made for their own
organisation. Calls are public, like the groups that issue them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.building import copied
from api.graphql.context import Context
from api.graphql.guard import Change, change, guard, record_payload
from api.graphql.nodes import Topic
from api.graphql.pagination import Connection, Listing
from api.graphql.queries import linked, lookup
from graph.access.facts import Scope
from graph.collaboration import repository as repo
from schema import collaboration as c
from schema.access import Action, Role
from schema.events import AuditAction as A

strawberry.enum(c.ProposalState)
strawberry.enum(c.CallState)


@strawberry.type(description="An initiative offered to a working group, and what became of it.")
class Proposal:
    id: strawberry.ID
    state: c.ProposalState
    message: str | None = strawberry.field(description="The proposer's words to the group.")
    reason: str | None = strawberry.field(description="Why it was declined.")
    proposed_by: str = strawberry.field(description="The token holder who made it.")
    decided_by: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None
    initiative_id: strawberry.Private[str]
    working_group_id: strawberry.Private[str]
    proposer_id: strawberry.Private[str]
    call_id: strawberry.Private[str | None]

    initiative = linked("Initiative", "initiative_id")
    working_group = linked("WorkingGroup", "working_group_id")
    proposer = linked(
        "Signatory", "proposer_id", description="The signatory the proposal is made for."
    )

    @strawberry.field(description="The call for contributions it answers, if any.")
    async def call(self, info: Info[Context, None]) -> Call | None:
        if self.call_id is None:
            return None
        return _call(await info.context.run(repo.get_call, self.call_id))


@strawberry.type(description="What a call seeks, and how many live answers cover it.")
class CallTopic:
    topic: Topic | None
    answers: int = strawberry.field(description="Open or accepted proposals addressing it.")


@strawberry.type(description="A working group's call for contributions.")
class Call:
    id: strawberry.ID
    title: str
    description: str | None
    deadline: date | None
    state: c.CallState
    opened_by: str
    created_at: datetime
    closed_at: datetime | None
    working_group_id: strawberry.Private[str]
    topic_ids: strawberry.Private[list[str]]

    working_group = linked("WorkingGroup", "working_group_id")

    @strawberry.field(description="Each topic sought, with its answers; 0 is still missing.")
    async def topics(self, info: Info[Context, None]) -> list[CallTopic]:
        counts = await info.context.run(repo.call_coverage, self.id)
        return [
            CallTopic(topic=await lookup(info, "Topic", t), answers=counts.get(t, 0))
            for t in self.topic_ids
        ]

    @strawberry.field(description="Proposals answering the call that the caller may read.")
    async def answers(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Proposal]:
        return await _proposals(info, first, after, {"call": self.id})


def proposal(p: c.Proposal) -> Proposal:
    return copied(Proposal, p, proposer_id=p.proposer)


PROPOSALS = Listing(repo.proposals, repo.proposal_count, proposal)


def _call(x: c.Call) -> Call:
    return copied(Call, x, topic_ids=list(x.topics))


CALLS = Listing(repo.calls, repo.call_count, _call)


@strawberry.input(description="Filters of the proposals list; all given ones must hold.")
class ProposalWhere:
    working_group: strawberry.ID | None = None
    initiative: strawberry.ID | None = None
    state: c.ProposalState | None = None
    call: strawberry.ID | None = None
    proposer: strawberry.ID | None = None


@strawberry.input
class ProposeInput:
    initiative: strawberry.ID
    working_group: strawberry.ID
    message: str | None = None
    call: strawberry.ID | None = strawberry.field(
        default=None, description="The group's open call this proposal answers."
    )
    on_behalf_of: strawberry.ID | None = strawberry.field(
        default=None,
        description="The signatory it is made for (a contributor of the initiative); a "
        "signatory's token proposes for its own organisation.",
    )


@strawberry.input
class OpenCallInput:
    working_group: strawberry.ID
    title: str
    description: str | None = None
    topics: list[strawberry.ID] = strawberry.field(default_factory=list)
    deadline: date | None = None


async def _proposals(
    info: Info[Context, None], first: int | None, after: str | None, given: dict[str, Any]
) -> Connection[Proposal]:
    return await PROPOSALS.page(info.context, first, after, given, info.context.actor)


def _now() -> datetime:
    return datetime.now(UTC)


ProposalPayload = record_payload("Proposal", "proposal", Proposal, proposal)
CallPayload = record_payload("Call", "call", Call, _call)


def _proposal(id: str, **_: Any) -> Scope:
    return Scope(proposal=id)


def _call_scope(id: str, **_: Any) -> Scope:
    return Scope(call=id)


def _own_group(input: OpenCallInput, **_: Any) -> Scope:
    return Scope(groups=(input.working_group,))


@strawberry.type
class CollaborationQueries:
    @strawberry.field(
        description="Proposals the caller may read, newest first: admins all, co-chairs "
        "those addressed to their groups, signatories those made for their organisation."
    )
    async def proposals(
        self,
        info: Info[Context, None],
        where: ProposalWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Proposal]:
        given: dict[str, Any] = {}
        if where is not None:
            given = {
                "group": where.working_group, "initiative": where.initiative,
                "state": where.state.value if where.state else None, "call": where.call,
                "proposer": where.proposer,
            }  # fmt: skip
        return await _proposals(info, first, after, given)

    @strawberry.field(description="One proposal, when the caller may read it.")
    async def proposal(self, info: Info[Context, None], id: strawberry.ID) -> Proposal | None:
        found = await _proposals(info, 1, None, {"id": id})
        return found.edges[0].node if found.edges else None

    @strawberry.field(description="One call for contributions.")
    async def call(self, info: Info[Context, None], id: strawberry.ID) -> Call | None:
        found = await info.context.run(repo.find_call, id)
        return _call(found) if found else None

    @strawberry.field(description="Calls for contributions, newest first.")
    async def calls(
        self,
        info: Info[Context, None],
        working_group: strawberry.ID | None = None,
        state: c.CallState | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Call]:
        filters = {"group": working_group, "state": state.value if state else None}
        return await CALLS.page(info.context, first, after, filters)


@strawberry.type
class CollaborationMutations:
    @strawberry.mutation(
        description="Offer an initiative to a working group; its co-chairs decide. A "
        "signatory proposes initiatives it leads; a co-chair, on a contributor's behalf, "
        "initiatives its groups already track."
    )
    @guard(Action.PROPOSE_INITIATIVE, records=A.PROPOSE_INITIATIVE, returns=ProposalPayload)
    async def propose(self, info: Info[Context, None], input: ProposeInput) -> Change:
        actor = info.context.actor
        proposer: str | None = input.on_behalf_of
        if actor.role is Role.SIGNATORY:
            proposer = proposer or actor.signatory
        scope = Scope(
            initiatives=(input.initiative,),
            signatory=proposer,
            target_group=input.working_group,
        )
        return change(
            repo.propose,
            initiative_id=input.initiative,
            working_group_id=input.working_group,
            proposer=proposer or await _single_lead(info, input.initiative),
            proposed_by=actor.name,
            message=input.message,
            call_id=input.call,
            now=_now(),
        ).within(scope)

    @strawberry.mutation(description="Accept an open proposal: the group tracks the initiative.")
    @guard(Action.DECIDE_PROPOSAL, _proposal, records=A.ACCEPT_PROPOSAL, returns=ProposalPayload)
    async def accept_proposal(self, info: Info[Context, None], id: strawberry.ID) -> Change:
        return change(repo.accept, id, by=info.context.actor.name, now=_now())

    @strawberry.mutation(description="Decline an open proposal, saying why.")
    @guard(Action.DECIDE_PROPOSAL, _proposal, records=A.DECLINE_PROPOSAL, returns=ProposalPayload)
    async def decline_proposal(
        self, info: Info[Context, None], id: strawberry.ID, reason: str
    ) -> Change:
        return change(repo.decline, id, reason=reason, by=info.context.actor.name, now=_now())

    @strawberry.mutation(description="Withdraw an open proposal (its proposer).")
    @guard(
        Action.WITHDRAW_PROPOSAL, _proposal, records=A.WITHDRAW_PROPOSAL, returns=ProposalPayload
    )
    async def withdraw_proposal(self, info: Info[Context, None], id: strawberry.ID) -> Change:
        return change(repo.withdraw, id, now=_now())

    @strawberry.mutation(
        description="Give an open proposal a new message: only a token of the organisation "
        "it was made for (the proposer) puts new words in its name."
    )
    @guard(Action.REVISE_PROPOSAL, _proposal, records=A.REVISE_PROPOSAL, returns=ProposalPayload)
    async def revise_proposal(
        self, info: Info[Context, None], id: strawberry.ID, message: str
    ) -> Change:
        return change(repo.revise, id, message=message, now=_now())

    @strawberry.mutation(description="Open a call for contributions of one's own group.")
    @guard(Action.MANAGE_CALLS, _own_group, records=A.OPEN_CALL, returns=CallPayload)
    async def open_call(self, info: Info[Context, None], input: OpenCallInput) -> Change:
        return change(
            repo.open_call,
            working_group_id=input.working_group,
            title=input.title,
            description=input.description,
            topics=list(input.topics),
            deadline=input.deadline.isoformat() if input.deadline else None,
            opened_by=info.context.actor.name,
            now=_now(),
        )

    @strawberry.mutation(description="Close a call: it takes no more answers.")
    @guard(Action.MANAGE_CALLS, _call_scope, records=A.CLOSE_CALL, returns=CallPayload)
    async def close_call(self, info: Info[Context, None], id: strawberry.ID) -> Change:
        return change(repo.close_call, id, now=_now())


async def _single_lead(info: Info[Context, None], initiative: str) -> str | None:
    """The initiative's lead when it has exactly one: whom a co-chair proposes for."""
    leads = await info.context.run(repo.leads, initiative)
    return leads[0] if len(leads) == 1 else None
