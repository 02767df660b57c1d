"""Nodes of the registry graph as pydantic models.

Dates travel as ISO-8601 strings in the graph (both engines compare them correctly as
text), so models use `date`/`datetime` and the repositories dump them in JSON mode.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from schema.codes import Country, Language
from schema.enums import (
    InitiativeStatus,
    RecommendationStatus,
    SignatoryKind,
    WorkingGroupStatus,
)
from schema.text import Name, Prose, Slug, check_controls

_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def check_url(value: str) -> str:
    """Accept absolute http(s) URLs, kept exactly as written."""
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError as exc:
        raise ValueError(f"'{value}' is not an absolute http(s) URL") from exc
    return value


Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(check_url)]


class Model(BaseModel):
    """Common configuration: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False)


class Provenance(Model):
    """Where an imported record came from; empty for records typed in by people."""

    source_version: Annotated[str, AfterValidator(check_controls)] | None = None
    import_run: str | None = None
    file_sha256: str | None = None
    imported_at: datetime | None = None
    content_sha: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="hash of the record's own content, to see what changed"
    )


class Signatory(Model):
    id: Slug
    name: Name
    kind: SignatoryKind
    country: Country | None = None
    joined_on: date | None = None
    website: Url | None = None
    verified: bool = True


class WorkingGroup(Model):
    """A Paris Call working group. Its name and mandate are kept in English and French:
    pages and reports show the reader's language. `url` is the public source that
    confirms them; `verified` is false while none does."""

    id: Slug
    code: Annotated[str, Field(pattern=r"^wg[0-9]{1,3}$")]
    name: Name
    name_fr: Name | None = None
    mandate: Prose | None = None
    mandate_fr: Prose | None = None
    url: Url | None = None
    status: WorkingGroupStatus = WorkingGroupStatus.ACTIVE
    forum_year: Annotated[int, Field(ge=2018, le=2100)] | None = None
    verified: bool = True
    note: Prose | None = None


class Initiative(Model):
    id: Slug
    title: Name
    summary: Prose | None = None
    language: Language
    url: Url | None = None
    status: InitiativeStatus = InitiativeStatus.PROPOSED
    started_on: date | None = None
    version: Annotated[int, Field(ge=1)] = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Source(Provenance):
    id: Slug
    title: Name
    publisher: Name
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    version: Annotated[str, Field(max_length=100), AfterValidator(check_controls)] | None = None
    url: Url | None = None
    licence: Annotated[str, Field(max_length=200), AfterValidator(check_controls)] | None = None
    language: Language = "en"
    verified: bool = True
    note: Prose | None = None
    urn: Annotated[str, Field(max_length=300), AfterValidator(check_controls)] | None = None


class Recommendation(Provenance):
    id: Slug
    source_id: Slug
    ref: (
        Annotated[str, Field(min_length=1, max_length=100), AfterValidator(check_controls)] | None
    ) = Field(
        default=None,
        description="the publisher's reference (PO.1.1); none where it gave none, such as "
        "a CISO Assistant node without ref_id",
    )
    title: Name | None = None
    text: Prose | None = None
    language: Language = "en"
    parent_id: Slug | None = None
    status: RecommendationStatus = RecommendationStatus.ACTIVE
    verified: bool = True
    urn: Annotated[str, Field(max_length=500), AfterValidator(check_controls)] | None = Field(
        default=None,
        description="the publisher's own identifier (a CISO Assistant URN), as written",
    )
    topics: list[Slug] = Field(
        default_factory=list, description="topic ids as declared by the imported file"
    )
    assessable: bool | None = Field(
        default=None,
        description="whether the publisher marks it as a requirement (CISO Assistant's "
        "`assessable`); none where the format does not say, and then the lowest level of "
        "the hierarchy counts as the requirements",
    )


class Topic(Model):
    id: Slug
    name_en: Name
    name_fr: Name
    description: Prose | None = None


class Principle(Model):
    id: Slug
    code: Annotated[str, Field(pattern=r"^P[1-9]$")]
    name_en: Name
    name_fr: Name
    summary: Prose | None = None
    url: Url | None = None
