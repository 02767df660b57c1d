"""Inputs of the curation mutations. Change inputs leave fields out to keep them as they
are; a field given as null is cleared."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import strawberry

from schema import enums
from schema.kinds import linkable, settable, snake

T = TypeVar("T")


def given(obj: object) -> dict[str, Any]:
    """The fields a client actually sent (UNSET ones dropped)."""
    return {k: v for k, v in vars(obj).items() if v is not strawberry.UNSET}


# What the link mutations name: the far kinds of an initiative's settable relations
# without roles (schema/kinds.py), e.g. WORKING_GROUP = "WorkingGroup".
if TYPE_CHECKING:
    LinkTarget: TypeAlias = Enum
else:
    LinkTarget = strawberry.enum(
        Enum("LinkTarget", {snake(label).upper(): label for label in linkable("Initiative")}),
        description="What an initiative can be linked to.",
    )


def with_link_fields(label: str) -> Callable[[type[T]], type[T]]:
    """Give an input class a field for each settable relation of `label`
    (schema/kinds.py), after its other fields and in the kinds' order: the class's own
    declaration where it has one, else a list of ids."""

    def add(cls: type[T]) -> type[T]:
        own = dict(cls.__annotations__)
        names = [str(r.input) for r in settable(label)]
        ordered = {k: v for k, v in own.items() if k not in names}
        for name in names:
            if name not in own:
                setattr(cls, name, strawberry.field(default_factory=list))
            ordered[name] = own.get(name, "list[strawberry.ID]")
        cls.__annotations__ = ordered
        return cls

    return add


def changes_of(create: type, *names: str) -> Callable[[type[T]], type[T]]:
    """Give a change input the fields `names` of the input creating the same record, each
    optional and left out (UNSET) unless sent: one declaration of a record's fields serves
    both inputs."""

    def add(cls: type[T]) -> type[T]:
        declared = create.__annotations__  # strings: this module's annotations are postponed
        for name in names:
            optional = declared[name]
            if not optional.endswith("| None"):
                optional += " | None"
            cls.__annotations__[name] = optional
            setattr(cls, name, strawberry.UNSET)
        return cls

    return add


@strawberry.input
class ContributorInput:
    signatory: strawberry.ID
    role: enums.ContributorRole = enums.ContributorRole.PARTNER


@strawberry.input
@with_link_fields("Initiative")
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
    # Named here for what reads them by name (whom a new initiative belongs to); the
    # other settable relations' id lists are added by `with_link_fields`.
    working_groups: list[strawberry.ID] = strawberry.field(default_factory=list)
    contributors: list[ContributorInput] = strawberry.field(default_factory=list)


@strawberry.input
@changes_of(CreateInitiativeInput, "title", "summary", "language", "url", "status", "started_on")
class InitiativeChanges:
    """What an update of an initiative changes."""


@strawberry.input
class SignatoryInput:
    name: str
    kind: enums.SignatoryKind
    id: strawberry.ID | None = None
    country: str | None = None
    joined_on: date | None = None
    website: str | None = None


@strawberry.input
@changes_of(SignatoryInput, "name", "kind", "country", "joined_on", "website")
class SignatoryChanges:
    """What an update of a signatory changes."""


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
@changes_of(
    WorkingGroupInput, "name", "name_fr", "mandate", "mandate_fr", "url", "status", "forum_year"
)
class WorkingGroupChanges:
    """What an update of a working group changes."""


@strawberry.input
class TopicInput:
    id: strawberry.ID
    name_en: str
    name_fr: str
    description: str | None = None


@strawberry.input
@changes_of(TopicInput, "name_en", "name_fr", "description")
class TopicChanges:
    """What an update of a topic changes."""
