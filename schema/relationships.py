"""Relationships that carry properties of their own."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from schema.enums import (
    ContributorRole,
    DecisionStatus,
    MappingMethod,
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


Unit = Annotated[float, Field(ge=-1.0, le=1.0)]


def _reasons(value: str | None) -> str | None:
    """A pair's reasons as stored: a JSON list of objects, each with a string "k"."""
    if value is None:
        return None
    try:
        found = json.loads(value)
    except ValueError as exc:
        raise ValueError("must be a JSON list of reasons") from exc
    if not isinstance(found, list) or not all(
        isinstance(r, dict) and isinstance(r.get("k"), str) for r in found
    ):
        raise ValueError('must be a JSON list of objects with a "k"')
    return value


class Suggestion(Model):
    """What the analysis stored on a suggested pair: the score's parts and its reasons."""

    semantic: Unit | None = None
    lexical: Unit | None = None
    graph: Unit | None = None
    cross_language: bool | None = None
    explanation: Annotated[str, Field(max_length=1000)] | None = None
    reasons: Annotated[str, Field(max_length=4000), AfterValidator(_reasons)] | None = None
    run: Annotated[str, Field(max_length=100)] | None = None
    computed_at: datetime | None = None


class Mapping(Suggestion):
    """(:Recommendation)-[:MAPS_TO]->(:Recommendation), a crosswalk entry."""

    from_id: Slug
    to_id: Slug
    relation: MappingRelation
    rationale: MappingRationale = MappingRationale.SEMANTIC
    status: DecisionStatus = DecisionStatus.CANDIDATE
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    method: MappingMethod | None = None
    score: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    decided_by: Annotated[str, Field(max_length=200)] | None = None
    decided_at: datetime | None = None
    note: Prose | None = None


class DuplicateLink(Suggestion):
    """(:Initiative)-[:DUPLICATE_OF]->(:Initiative), suggested or decided."""

    a_id: Slug
    b_id: Slug
    status: DecisionStatus = DecisionStatus.CANDIDATE
    score: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    decided_by: Annotated[str, Field(max_length=200)] | None = None
    decided_at: datetime | None = None
    note: Prose | None = None


class MergeRecord(Model):
    """(:Initiative)-[:MERGED_INTO]->(:Initiative): what a merge moved, so it can be undone.

    `moved` is the JSON list of the links taken from the merged initiative, each with
    whether the survivor already had it (such links are left to the survivor on unmerge).
    """

    merged_id: Slug | None = None
    survivor_id: Slug | None = None
    merged_by: Annotated[str, Field(max_length=200)] | None = None
    merged_at: datetime | None = None
    note: Prose | None = None
    previous_status: Annotated[str, Field(max_length=40)]
    moved: Annotated[str, Field(max_length=2_000_000)]
