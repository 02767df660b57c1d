"""Curation mutations: each resolver turns its input into a use-case call; `guard` checks
the actor against the records it touches, runs it and builds the payload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import strawberry
from pydantic import BaseModel
from strawberry.types import Info

from api.graphql.building import build
from api.graphql.context import Context
from api.graphql.guard import Change, Payload, change, guard, record_payload
from api.graphql.mutation_inputs import (
    CreateInitiativeInput,
    InitiativeChanges,
    LinkTarget,
    SignatoryChanges,
    SignatoryInput,
    TopicChanges,
    TopicInput,
    WorkingGroupChanges,
    WorkingGroupInput,
    given,
)
from api.graphql.nodes import Initiative, Signatory, Topic, WorkingGroup
from api.graphql.outcomes import MutationError
from graph.access.facts import Scope
from graph.curation import service
from schema import enums
from schema import models as m
from schema.access import Action
from schema.events import AuditAction as A


def _node(cls: type[Any]) -> Any:
    """The GraphQL object of a use case's resulting record."""
    return lambda result: build(cls, type(result), result.model_dump())


@strawberry.type(
    description="Result of a change of an initiative; `changed` is false when it already "
    "held every value asked for: nothing was written and its version did not move."
)
class InitiativePayload(Payload):
    initiative: Initiative | None
    changed: bool
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> InitiativePayload:
        # Creating answers the new initiative; updating and archiving answer an Edit.
        edit = result if isinstance(result, service.Edit) else None
        made = edit.initiative if edit is not None else result
        changed = (edit.changed if edit is not None else made is not None) and not errors
        shown = _node(Initiative)(made) if made is not None else None
        return cls(initiative=shown, changed=changed, errors=errors)


SignatoryPayload = record_payload("Signatory", "signatory", Signatory, _node(Signatory))
WorkingGroupPayload = record_payload(
    "WorkingGroup", "working_group", WorkingGroup, _node(WorkingGroup)
)
TopicPayload = record_payload("Topic", "topic", Topic, _node(Topic))


@strawberry.type(description="Result of a link change; `changed` is false when it was already so.")
class LinkPayload(Payload):
    changed: bool
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> LinkPayload:
        # Setting a link answers None (it is so now); removing one answers whether it was.
        return cls(changed=result is not False and not errors, errors=errors)


def _now() -> datetime:
    return datetime.now(UTC)


def _initiative(id: str, **_: Any) -> Scope:
    return Scope(initiatives=(id,))


def _group(working_group: str, **_: Any) -> Scope:
    return Scope(groups=(working_group,))


def _the_group(id: str, **_: Any) -> Scope:
    return Scope(groups=(id,))


def _the_signatory(id: str, **_: Any) -> Scope:
    return Scope(signatory=id)


def _creation(input: CreateInitiativeInput, **_: Any) -> Scope:
    """A new initiative's groups and single lead: whom it will belong to."""
    leads = [c.signatory for c in input.contributors if c.role is enums.ContributorRole.LEAD]
    return Scope(
        new_groups=tuple(input.working_groups or ()),
        new_lead=leads[0] if len(leads) == 1 else None,
        new_contributors=tuple(c.signatory for c in input.contributors),
        proposing=input.status in (None, enums.InitiativeStatus.PROPOSED),
    )


# Linking an initiative to a working group is that group tracking it.
_TRACKED_BY = "WorkingGroup"


def _link_rule(
    initiative: str, target: LinkTarget, target_id: str, **_: Any
) -> tuple[Action, Scope]:
    """Tracking by a group is that group's decision, and needs authority over the
    initiative too (a group already tracking it): a co-chair must not pull another
    group's initiative into its own scope. Other links are edits of the initiative."""
    if target.value == _TRACKED_BY:
        return Action.TRACK_INITIATIVE, Scope(initiatives=(initiative,), groups=(target_id,))
    return Action.EDIT_INITIATIVE, Scope(initiatives=(initiative,))


def _link_mutation(use_case: Callable[..., Any], records: A, *, tracking: A) -> Any:
    """The link or unlink mutation, recorded under `tracking` when it is a working
    group's tracking of the initiative."""

    @guard(_link_rule, records=records, returns=LinkPayload)
    async def resolve(
        self: Any,
        info: Info[Context, None],
        initiative: strawberry.ID,
        target: LinkTarget,
        target_id: strawberry.ID,
    ) -> Change:
        found = change(use_case, initiative_id=initiative, label=target.value, target_id=target_id)
        return found.named(tracking) if target.value == _TRACKED_BY else found

    return strawberry.mutation(resolve)


def _record_mutations(
    model: type[BaseModel],
    input: type,
    changes: type,
    returns: type[Payload],
    *,
    create: tuple[Action, A],
    edit: tuple[Action, Callable[..., Scope] | None, A],
) -> tuple[Any, Any]:
    """The create and update mutations of a record curated by id: `input` creates one,
    `changes` updates one; `create` is the permission a creation needs and the name the
    audit trail gives it, `edit` an update's, with whom it touches (None: no one)."""

    async def create_record(self: Any, info: Info[Context, None], input: Any) -> Change:
        return change(service.create_record, model, given(input))

    async def update_record(
        self: Any, info: Info[Context, None], id: strawberry.ID, changes: Any
    ) -> Change:
        return change(service.update_record, model, id, given(changes))

    # The types the schema shows for the inputs (the guard reads the signature).
    create_record.__annotations__["input"] = input
    update_record.__annotations__["changes"] = changes
    (creating, made), (editing, scope, edited) = create, edit
    touched = (scope,) if scope is not None else ()
    created = guard(creating, records=made, returns=returns)(create_record)
    updated = guard(editing, *touched, records=edited, returns=returns)(update_record)
    return strawberry.mutation(created), strawberry.mutation(updated)


@strawberry.type
class CurationMutations:
    @strawberry.mutation(description="Propose or record an initiative, with its links.")
    @guard(
        Action.CREATE_INITIATIVE, _creation, records=A.CREATE_INITIATIVE, returns=InitiativePayload
    )
    async def create_initiative(
        self, info: Info[Context, None], input: CreateInitiativeInput
    ) -> Change:
        data = given(input)
        data["contributors"] = [
            {"signatory_id": c.signatory, "role": c.role} for c in input.contributors
        ]
        return change(service.create_initiative, data, _now())

    @strawberry.mutation(
        description="Change fields of an initiative read at `version`; a stale version is a "
        "ConflictError carrying the current version, and nothing is written."
    )
    @guard(
        Action.EDIT_INITIATIVE, _initiative, records=A.EDIT_INITIATIVE, returns=InitiativePayload
    )
    async def update_initiative(
        self, info: Info[Context, None], id: strawberry.ID, version: int, changes: InitiativeChanges
    ) -> Change:
        return change(
            service.update_initiative, id, version=version, changes=given(changes), now=_now()
        )

    @strawberry.mutation(description="Set an initiative's status to archived (never deleted).")
    @guard(
        Action.EDIT_INITIATIVE, _initiative, records=A.ARCHIVE_INITIATIVE, returns=InitiativePayload
    )
    async def archive_initiative(
        self, info: Info[Context, None], id: strawberry.ID, version: int
    ) -> Change:
        return change(service.archive_initiative, id, version=version, now=_now())

    link_initiative = _link_mutation(
        service.link_initiative, A.LINK_INITIATIVE, tracking=A.TRACK_INITIATIVE
    )
    unlink_initiative = _link_mutation(
        service.unlink_initiative, A.UNLINK_INITIATIVE, tracking=A.UNTRACK_INITIATIVE
    )

    @strawberry.mutation(description="Add a member to a working group, or change its role.")
    @guard(Action.MANAGE_MEMBERS, _group, records=A.ADD_MEMBER, returns=LinkPayload)
    async def add_member(
        self,
        info: Info[Context, None],
        working_group: strawberry.ID,
        signatory: strawberry.ID,
        role: enums.MemberRole,
        since: str | None = None,
    ) -> Change:
        return change(
            service.add_member,
            working_group_id=working_group,
            signatory_id=signatory,
            role=role,
            since=since,
        )

    @strawberry.mutation
    @guard(Action.MANAGE_MEMBERS, _group, records=A.REMOVE_MEMBER, returns=LinkPayload)
    async def remove_member(
        self, info: Info[Context, None], working_group: strawberry.ID, signatory: strawberry.ID
    ) -> Change:
        return change(service.remove_member, working_group_id=working_group, signatory_id=signatory)

    create_signatory, update_signatory = _record_mutations(
        m.Signatory, SignatoryInput, SignatoryChanges, SignatoryPayload,
        create=(Action.CREATE_SIGNATORY, A.CREATE_SIGNATORY),
        edit=(Action.EDIT_SIGNATORY, _the_signatory, A.EDIT_SIGNATORY),
    )  # fmt: skip
    create_working_group, update_working_group = _record_mutations(
        m.WorkingGroup, WorkingGroupInput, WorkingGroupChanges, WorkingGroupPayload,
        create=(Action.CREATE_WORKING_GROUP, A.CREATE_WORKING_GROUP),
        edit=(Action.EDIT_WORKING_GROUP, _the_group, A.EDIT_WORKING_GROUP),
    )  # fmt: skip
    create_topic, update_topic = _record_mutations(
        m.Topic, TopicInput, TopicChanges, TopicPayload,
        create=(Action.EDIT_TOPIC, A.CREATE_TOPIC),
        edit=(Action.EDIT_TOPIC, None, A.EDIT_TOPIC),
    )  # fmt: skip
