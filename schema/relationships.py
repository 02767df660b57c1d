"""Relationships that carry properties of their own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from schema.enums import (
    ContributorRole,
    DecisionStatus,
    MappingRationale,
    MappingRelation,
    MemberRole,
)
from schema.models import Model
from schema.text import Prose, Slug


class Membership(Model):
    """(:Signatory)-[:MEMBER_OF]->(:WorkingGroup)"""

    signatory_id: Slug
    working_group_id: Slug
    role: MemberRole = MemberRole.MEMBER
    since: date | None = None


class Contribution(Model):
    """(:Signatory)-[:CONTRIBUTES_TO]->(:Initiative)"""

    signatory_id: Slug
    initiative_id: Slug
    role: ContributorRole = ContributorRole.PARTNER


class Mapping(Model):
    """(:Recommendation)-[:MAPS_TO]->(:Recommendation), a crosswalk entry."""

    from_id: Slug
    to_id: Slug
    relation: MappingRelation
    rationale: MappingRationale = MappingRationale.SEMANTIC
    status: DecisionStatus = DecisionStatus.CANDIDATE
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    decided_by: Annotated[str, Field(max_length=200)] | None = None
    decided_at: datetime | None = None
    note: Prose | None = None


class DuplicateLink(Model):
    """(:Initiative)-[:DUPLICATE_OF]->(:Initiative), suggested or decided."""

    a_id: Slug
    b_id: Slug
    status: DecisionStatus = DecisionStatus.CANDIDATE
    score: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    decided_by: Annotated[str, Field(max_length=200)] | None = None
    decided_at: datetime | None = None
    note: Prose | None = None
