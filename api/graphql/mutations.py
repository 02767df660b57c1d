"""Curation mutations: each resolver turns its input into a use-case call and a payload."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry
from pydantic import BaseModel
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.guard import Scope, guarded
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
from api.graphql.nodes import Initiative, Signatory, Topic, WorkingGroup, build
from api.graphql.outcomes import MutationError
from graph.repositories import curation
from graph.store import GraphStore
from schema import enums
from schema import models as m
from schema.access import Action
from schema.ids import new_id
from schema.records import InitiativeRecord

T = TypeVar("T")


@strawberry.type
class InitiativePayload:
    initiative: Initiative | None
    errors: list[MutationError]


@strawberry.type
class SignatoryPayload:
    signatory: Signatory | None
    errors: list[MutationError]


@strawberry.type
class WorkingGroupPayload:
    working_group: WorkingGroup | None
    errors: list[MutationError]


@strawberry.type
class TopicPayload:
    topic: Topic | None
    errors: list[MutationError]


@strawberry.type(description="Result of a link change; `changed` is false when it was already so.")
class LinkPayload:
    changed: bool
    errors: list[MutationError]


def _now() -> datetime:
    return datetime.now(UTC)


def _create_initiative(store: GraphStore, data: dict[str, Any], now: datetime) -> m.Initiative:
    record = curation.validated(InitiativeRecord, data)
    return curation.create_initiative(store, record, now=now)


def _create(store: GraphStore, model: type[curation.M], data: dict[str, Any]) -> curation.M:
    return curation.create_record(store, curation.validated(model, data))


def _node(cls: type[T], result: BaseModel | None) -> T | None:
    """The GraphQL object for a use case's result, or None when it failed."""
    return build(cls, type(result), result.model_dump()) if result is not None else None


def _initiative_payload(
    result: m.Initiative | None, errors: list[MutationError]
) -> InitiativePayload:
    return InitiativePayload(initiative=_node(Initiative, result), errors=errors)


def _link_payload(result: bool | None, errors: list[MutationError]) -> LinkPayload:
    return LinkPayload(changed=bool(result) and not errors, errors=errors)


def _link_rule(initiative: str, target: LinkTarget, target_id: str) -> tuple[Action, Scope]:
    """Tracking by a group is that group's decision, and needs authority over the
    initiative too (a group already tracking it): a co-chair must not pull another
    group's initiative into its own scope. Other links are edits of the initiative."""
    if target is LinkTarget.WORKING_GROUP:
        return Action.TRACK_INITIATIVE, Scope(initiatives=(initiative,), groups=(target_id,))
    return Action.EDIT_INITIATIVE, Scope(initiatives=(initiative,))


@strawberry.type
class CurationMutations:
    @strawberry.mutation(description="Propose or record an initiative, with its links.")
    async def create_initiative(
        self, info: Info[Context, None], input: CreateInitiativeInput
    ) -> InitiativePayload:
        data = given(input)
        data["id"] = data.get("id") or new_id(input.title)
        data["contributors"] = [
            {"signatory_id": c.signatory, "role": c.role} for c in input.contributors
        ]
        leads = [c.signatory for c in input.contributors if c.role is enums.ContributorRole.LEAD]
        scope = Scope(
            new_groups=tuple(input.working_groups or ()),
            new_lead=leads[0] if len(leads) == 1 else None,
            proposing=input.status in (None, enums.InitiativeStatus.PROPOSED),
        )
        result, errors = await guarded(
            info.context, Action.CREATE_INITIATIVE, scope, _create_initiative, data, _now()
        )
        return _initiative_payload(result, errors)

    @strawberry.mutation(
        description="Change fields of an initiative read at `version`; a stale version is a "
        "ConflictError carrying the current version, and nothing is written."
    )
    async def update_initiative(
        self, info: Info[Context, None], id: strawberry.ID, version: int, changes: InitiativeChanges
    ) -> InitiativePayload:
        result, errors = await guarded(
            info.context,
            Action.EDIT_INITIATIVE,
            Scope(initiatives=(id,)),
            curation.update_initiative,
            id,
            version=version,
            changes=given(changes),
            now=_now(),
        )
        return _initiative_payload(result, errors)

    @strawberry.mutation(description="Set an initiative's status to archived (never deleted).")
    async def archive_initiative(
        self, info: Info[Context, None], id: strawberry.ID, version: int
    ) -> InitiativePayload:
        result, errors = await guarded(
            info.context,
            Action.EDIT_INITIATIVE,
            Scope(initiatives=(id,)),
            curation.archive_initiative,
            id,
            version=version,
            now=_now(),
        )
        return _initiative_payload(result, errors)

    @strawberry.mutation
    async def link_initiative(
        self,
        info: Info[Context, None],
        initiative: strawberry.ID,
        target: LinkTarget,
        target_id: strawberry.ID,
    ) -> LinkPayload:
        _, errors = await guarded(
            info.context,
            *_link_rule(initiative, target, target_id),
            curation.link_initiative,
            initiative_id=initiative,
            label=target.value,
            target_id=target_id,
        )
        return _link_payload(not errors, errors)

    @strawberry.mutation
    async def unlink_initiative(
        self,
        info: Info[Context, None],
        initiative: strawberry.ID,
        target: LinkTarget,
        target_id: strawberry.ID,
    ) -> LinkPayload:
        result, errors = await guarded(
            info.context,
            *_link_rule(initiative, target, target_id),
            curation.unlink_initiative,
            initiative_id=initiative,
            label=target.value,
            target_id=target_id,
        )
        return _link_payload(result, errors)

    @strawberry.mutation(description="Add a contributor to an initiative, or change its role.")
    async def set_contributor(
        self,
        info: Info[Context, None],
        initiative: strawberry.ID,
        signatory: strawberry.ID,
        role: enums.ContributorRole,
    ) -> LinkPayload:
        _, errors = await guarded(
            info.context,
            Action.EDIT_INITIATIVE,
            Scope(initiatives=(initiative,)),
            curation.set_contributor,
            initiative_id=initiative,
            signatory_id=signatory,
            role=role,
        )
        return _link_payload(not errors, errors)

    @strawberry.mutation
    async def remove_contributor(
        self, info: Info[Context, None], initiative: strawberry.ID, signatory: strawberry.ID
    ) -> LinkPayload:
        result, errors = await guarded(
            info.context,
            Action.EDIT_INITIATIVE,
            Scope(initiatives=(initiative,)),
            curation.remove_contributor,
            initiative_id=initiative,
            signatory_id=signatory,
        )
        return _link_payload(result, errors)

    @strawberry.mutation(description="Add a member to a working group, or change its role.")
    async def add_member(
        self,
        info: Info[Context, None],
        working_group: strawberry.ID,
        signatory: strawberry.ID,
        role: enums.MemberRole,
        since: str | None = None,
    ) -> LinkPayload:
        _, errors = await guarded(
            info.context,
            Action.MANAGE_MEMBERS,
            Scope(groups=(working_group,)),
            curation.add_member,
            working_group_id=working_group,
            signatory_id=signatory,
            role=role,
            since=since,
        )
        return _link_payload(not errors, errors)

    @strawberry.mutation
    async def remove_member(
        self, info: Info[Context, None], working_group: strawberry.ID, signatory: strawberry.ID
    ) -> LinkPayload:
        result, errors = await guarded(
            info.context,
            Action.MANAGE_MEMBERS,
            Scope(groups=(working_group,)),
            curation.remove_member,
            working_group_id=working_group,
            signatory_id=signatory,
        )
        return _link_payload(result, errors)

    @strawberry.mutation
    async def create_signatory(
        self, info: Info[Context, None], input: SignatoryInput
    ) -> SignatoryPayload:
        data = given(input)
        data["id"] = data.get("id") or new_id(input.name)
        result, errors = await guarded(
            info.context, Action.CREATE_SIGNATORY, Scope(), _create, m.Signatory, data
        )
        return SignatoryPayload(signatory=_node(Signatory, result), errors=errors)

    @strawberry.mutation
    async def update_signatory(
        self, info: Info[Context, None], id: strawberry.ID, changes: SignatoryChanges
    ) -> SignatoryPayload:
        result, errors = await guarded(
            info.context,
            Action.EDIT_SIGNATORY,
            Scope(signatory=id),
            curation.update_record,
            m.Signatory,
            id,
            given(changes),
        )
        return SignatoryPayload(signatory=_node(Signatory, result), errors=errors)

    @strawberry.mutation
    async def create_working_group(
        self, info: Info[Context, None], input: WorkingGroupInput
    ) -> WorkingGroupPayload:
        data = given(input)
        data["id"] = data.get("id") or input.code
        result, errors = await guarded(
            info.context, Action.CREATE_WORKING_GROUP, Scope(), _create, m.WorkingGroup, data
        )
        return WorkingGroupPayload(working_group=_node(WorkingGroup, result), errors=errors)

    @strawberry.mutation
    async def update_working_group(
        self, info: Info[Context, None], id: strawberry.ID, changes: WorkingGroupChanges
    ) -> WorkingGroupPayload:
        result, errors = await guarded(
            info.context,
            Action.EDIT_WORKING_GROUP,
            Scope(groups=(id,)),
            curation.update_record,
            m.WorkingGroup,
            id,
            given(changes),
        )
        return WorkingGroupPayload(working_group=_node(WorkingGroup, result), errors=errors)

    @strawberry.mutation
    async def create_topic(self, info: Info[Context, None], input: TopicInput) -> TopicPayload:
        result, errors = await guarded(
            info.context, Action.EDIT_TOPIC, Scope(), _create, m.Topic, given(input)
        )
        return TopicPayload(topic=_node(Topic, result), errors=errors)

    @strawberry.mutation
    async def update_topic(
        self, info: Info[Context, None], id: strawberry.ID, changes: TopicChanges
    ) -> TopicPayload:
        result, errors = await guarded(
            info.context,
            Action.EDIT_TOPIC,
            Scope(),
            curation.update_record,
            m.Topic,
            id,
            given(changes),
        )
        return TopicPayload(topic=_node(Topic, result), errors=errors)
