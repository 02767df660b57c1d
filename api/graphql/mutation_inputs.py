"""Inputs of the curation mutations. Change inputs leave fields out to keep them as they
are; a field given as null is cleared."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import strawberry

from schema import enums


def given(obj: object) -> dict[str, Any]:
    """The fields a client actually sent (UNSET ones dropped)."""
    return {k: v for k, v in vars(obj).items() if v is not strawberry.UNSET}


@strawberry.enum(description="What an initiative can be linked to.")
class LinkTarget(Enum):
    WORKING_GROUP = "WorkingGroup"
    TOPIC = "Topic"
    PRINCIPLE = "Principle"
    RECOMMENDATION = "Recommendation"


@strawberry.input
class ContributorInput:
    signatory: strawberry.ID
    role: enums.ContributorRole = enums.ContributorRole.PARTNER


@strawberry.input
class CreateInitiativeInput:
    title: str
    language: str
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Made from the title when left out."
    )
    summary: str | None = None
    url: str | None = None
    status: enums.InitiativeStatus = enums.InitiativeStatus.PROPOSED
    started_on: date | None = None
    working_groups: list[strawberry.ID] = strawberry.field(default_factory=list)
    topics: list[strawberry.ID] = strawberry.field(default_factory=list)
    principles: list[strawberry.ID] = strawberry.field(default_factory=list)
    recommendations: list[strawberry.ID] = strawberry.field(default_factory=list)
    contributors: list[ContributorInput] = strawberry.field(default_factory=list)


@strawberry.input
class InitiativeChanges:
    title: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    status: enums.InitiativeStatus | None = strawberry.UNSET
    started_on: date | None = strawberry.UNSET


@strawberry.input
class SignatoryInput:
    name: str
    kind: enums.SignatoryKind
    id: strawberry.ID | None = None
    country: str | None = None
    joined_on: date | None = None
    website: str | None = None


@strawberry.input
class SignatoryChanges:
    name: str | None = strawberry.UNSET
    kind: enums.SignatoryKind | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    joined_on: date | None = strawberry.UNSET
    website: str | None = strawberry.UNSET


@strawberry.input
class WorkingGroupInput:
    code: str
    name: str
    id: strawberry.ID | None = strawberry.field(default=None, description="Defaults to the code.")
    name_fr: str | None = None
    mandate: str | None = None
    mandate_fr: str | None = None
    url: str | None = None
    status: enums.WorkingGroupStatus = enums.WorkingGroupStatus.ACTIVE
    forum_year: int | None = None


@strawberry.input
class WorkingGroupChanges:
    name: str | None = strawberry.UNSET
    name_fr: str | None = strawberry.UNSET
    mandate: str | None = strawberry.UNSET
    mandate_fr: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    status: enums.WorkingGroupStatus | None = strawberry.UNSET
    forum_year: int | None = strawberry.UNSET


@strawberry.input
class TopicInput:
    id: strawberry.ID
    name_en: str
    name_fr: str
    description: str | None = None


@strawberry.input
class TopicChanges:
    name_en: str | None = strawberry.UNSET
    name_fr: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
