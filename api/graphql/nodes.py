"""GraphQL object types for every node of the registry, navigable in both directions:
their data fields here, their relation fields made from schema/kinds.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from api.graphql.pagination import Connection
from api.graphql.relations import with_relations
from schema import enums
from schema.kinds import Kind
from schema.naming import recommendation_name

for _enum in (
    enums.SignatoryKind,
    enums.WorkingGroupStatus,
    enums.InitiativeStatus,
    enums.RecommendationStatus,
    enums.MemberRole,
    enums.ContributorRole,
    enums.MappingRelation,
    enums.MappingRationale,
    enums.DecisionStatus,
):
    strawberry.enum(_enum)

__all__ = ["Connection"]  # the relation fields' types resolve here


@strawberry.type(description="A supporter of the Paris Call: state, authority, company, NGO...")
@with_relations("Signatory")
class Signatory:
    id: strawberry.ID
    name: str
    kind: enums.SignatoryKind
    country: str | None
    joined_on: date | None
    website: str | None
    verified: bool


@strawberry.type(description="A Paris Call working group.")
@with_relations("WorkingGroup")
class WorkingGroup:
    id: strawberry.ID
    code: str
    name: str
    name_fr: str | None = strawberry.field(description="The name in French.")
    mandate: str | None
    mandate_fr: str | None = strawberry.field(description="The mandate in French.")
    url: str | None = strawberry.field(description="Public source confirming name and mandate.")
    status: enums.WorkingGroupStatus
    forum_year: int | None
    verified: bool
    note: str | None


@strawberry.type(description="A MEMBER_OF link: a signatory in a working group.")
class Membership:
    role: enums.MemberRole
    since: date | None
    signatory: Signatory
    working_group: WorkingGroup

    @classmethod
    def between(
        cls, rel: dict[str, Any], start: Signatory, end: WorkingGroup, far: Any
    ) -> Membership:
        since = date.fromisoformat(rel["since"]) if rel.get("since") else None
        return cls(
            role=enums.MemberRole(rel.get("role", "member")),
            since=since,
            signatory=start,
            working_group=end,
        )


@strawberry.type(description="A CONTRIBUTES_TO link: a signatory's part in an initiative.")
class Contribution:
    role: enums.ContributorRole
    signatory: Signatory
    initiative: Initiative

    @classmethod
    def between(
        cls, rel: dict[str, Any], start: Signatory, end: Initiative, far: Any
    ) -> Contribution:
        return cls(
            role=enums.ContributorRole(rel.get("role", "partner")),
            signatory=start,
            initiative=end,
        )


@strawberry.type(description="An initiative collected by a working group.")
@with_relations("Initiative")
class Initiative:
    id: strawberry.ID
    title: str
    summary: str | None
    language: str
    url: str | None
    status: enums.InitiativeStatus
    started_on: date | None
    version: int
    created_at: datetime | None
    updated_at: datetime | None


@strawberry.type(description="A recommendation of a source (framework, charter, guideline).")
@with_relations("Recommendation")
class Recommendation:
    id: strawberry.ID
    source_id: str
    ref: str | None = strawberry.field(
        description="The publisher's reference (PO.1.1); null where it gave none."
    )
    title: str = strawberry.field(
        description="The publisher's title or, when it gave none, the name people read: its "
        "reference and the first words of its text (a search answer mixes kinds, and "
        "`title` must read the same on each)."
    )
    text: str | None
    language: str
    parent_id: str | None
    status: enums.RecommendationStatus
    verified: bool
    urn: str | None = strawberry.field(
        description="The publisher's own identifier (a CISO Assistant URN), as written."
    )

    assessable: bool | None = strawberry.field(
        description="Whether the publisher marks it as a requirement (CISO Assistant's "
        "`assessable`); null where its format does not say."
    )

    def __post_init__(self) -> None:
        if not self.title:
            self.title = str(recommendation_name(ref=self.ref, title=None, text=self.text))


@strawberry.type(
    description="A MAPS_TO link (NIST IR 8477 relationship) to another recommendation."
)
class MappingLink:
    relation: enums.MappingRelation
    rationale: enums.MappingRationale | None
    status: enums.DecisionStatus
    confidence: float | None = strawberry.field(
        description="How sure the relation is (0-1): from the suggestion that proposed it; the "
        "suggestion's score, which says how close the two texts are, is a separate number."
    )
    recommendation: Recommendation

    @classmethod
    def between(cls, rel: dict[str, Any], start: Any, end: Any, far: Recommendation) -> MappingLink:
        """A crosswalk link shows the recommendation at its other end."""
        return cls(
            relation=enums.MappingRelation(rel["relation"]),
            rationale=enums.MappingRationale(rel["rationale"]) if rel.get("rationale") else None,
            status=enums.DecisionStatus(rel.get("status", "candidate")),
            confidence=rel.get("confidence"),
            recommendation=far,
        )


@strawberry.type(description="A publisher's set of recommendations (OECD, NIST SSDF, EU CRA...).")
@with_relations("Source")
class Source:
    id: strawberry.ID
    title: str
    publisher: str
    year: int | None
    version: str | None
    url: str | None
    licence: str | None
    language: str
    verified: bool
    note: str | None


@strawberry.type(description="A supply-chain security topic of the shared taxonomy.")
@with_relations("Topic")
class Topic:
    id: strawberry.ID
    name_en: str
    name_fr: str | None = strawberry.field(
        description="Never null for a topic; nullable as on WorkingGroup, so that a search "
        "answer selecting `nameFr` on both needs no alias."
    )
    description: str | None


@strawberry.type(description="One of the nine principles of the Paris Call.")
@with_relations("Principle")
class Principle:
    id: strawberry.ID
    code: str
    name_en: str
    name_fr: str
    summary: str | None
    url: str | None


_MADE: dict[str, type[Any]] = {}


def type_of(kind: Kind) -> type[Any]:
    """A kind's GraphQL type: the one written above, or else one made from its model's
    fields and its relations (a kind added to schema/kinds.py is shown without more)."""
    written = globals().get(kind.label)
    if isinstance(written, type):
        return written
    if kind.label not in _MADE:
        shell = type(kind.label, (), {"__module__": __name__})
        with_relations(kind.label)(shell)
        made = strawberry.experimental.pydantic.type(model=kind.model, all_fields=True)(shell)
        globals()[kind.label] = made  # the relation fields' types resolve here
        _MADE[kind.label] = made
    return _MADE[kind.label]
