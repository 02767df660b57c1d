"""Filter and ordering inputs of the list fields."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema import enums


@strawberry.enum
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum
class InitiativeOrderField(Enum):
    TITLE = "title"
    UPDATED_AT = "updated_at"
    CREATED_AT = "created_at"
    STARTED_ON = "started_on"
    STATUS = "status"
    ID = "id"


@strawberry.enum
class SignatoryOrderField(Enum):
    NAME = "name"
    KIND = "kind"
    COUNTRY = "country"
    JOINED_ON = "joined_on"
    ID = "id"


@strawberry.enum
class WorkingGroupOrderField(Enum):
    CODE = "code"
    NAME = "name"
    FORUM_YEAR = "forum_year"
    ID = "id"


@strawberry.enum
class RecommendationOrderField(Enum):
    REF = "ref"
    TITLE = "title"
    SOURCE_ID = "source_id"
    ID = "id"


@strawberry.enum
class SourceOrderField(Enum):
    TITLE = "title"
    PUBLISHER = "publisher"
    YEAR = "year"
    ID = "id"


@strawberry.input
class InitiativeWhere:
    status: list[enums.InitiativeStatus] | None = None
    language: list[str] | None = None
    working_group: strawberry.ID | None = None
    topic: strawberry.ID | None = None
    principle: strawberry.ID | None = None
    recommendation: strawberry.ID | None = None
    source: strawberry.ID | None = strawberry.field(
        default=None, description="Initiatives implementing a recommendation of this source."
    )
    signatory: strawberry.ID | None = strawberry.field(
        default=None, description="Initiatives this signatory contributes to."
    )
    search: str | None = strawberry.field(
        default=None, description="Full-text search in title and summary (ranked)."
    )


@strawberry.input
class SignatoryWhere:
    kind: list[enums.SignatoryKind] | None = None
    country: list[str] | None = None
    working_group: strawberry.ID | None = None
    search: str | None = None


@strawberry.input
class WorkingGroupWhere:
    status: list[enums.WorkingGroupStatus] | None = None
    search: str | None = None


@strawberry.input
class RecommendationWhere:
    status: list[enums.RecommendationStatus] | None = None
    language: list[str] | None = None
    source: strawberry.ID | None = None
    topic: strawberry.ID | None = None
    search: str | None = None


@strawberry.input
class SourceWhere:
    publisher: list[str] | None = None
    search: str | None = None


@strawberry.input
class TopicWhere:
    search: str | None = None
