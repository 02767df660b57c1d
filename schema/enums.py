"""Closed vocabularies of the registry."""

from __future__ import annotations

from enum import StrEnum


class SignatoryKind(StrEnum):
    STATE = "state"
    PUBLIC_AUTHORITY = "public_authority"
    LOCAL_GOVERNMENT = "local_government"
    COMPANY = "company"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    INTERNATIONAL_ORG = "international_org"


class WorkingGroupStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CONCLUDED = "concluded"


class InitiativeStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class RecommendationStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class MemberRole(StrEnum):
    CO_CHAIR = "co_chair"
    MEMBER = "member"
    OBSERVER = "observer"


class ContributorRole(StrEnum):
    LEAD = "lead"
    PARTNER = "partner"
    SUPPORTER = "supporter"


class MappingRelation(StrEnum):
    """NIST IR 8477 set-theory relationships between two recommendations."""

    EQUAL = "equal"
    SUBSET_OF = "subset_of"
    SUPERSET_OF = "superset_of"
    INTERSECTS_WITH = "intersects_with"


class MappingRationale(StrEnum):
    SYNTACTIC = "syntactic"
    SEMANTIC = "semantic"
    FUNCTIONAL = "functional"


class DecisionStatus(StrEnum):
    """Life of a suggested duplicate or mapping: suggested, then decided by a person; or,
    for mappings only, published by the publisher of a crosswalk and imported as such."""

    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    PUBLISHED = "published"


class CandidateBand(StrEnum):
    """The two parts of the review queue of suggested duplicates: `likely` from the
    threshold up, best first; `possible` below it (down to the stored floor), the pairs
    whose decision teaches the score most first (analysis/base_rate.py)."""

    LIKELY = "likely"
    POSSIBLE = "possible"


class CandidateKind(StrEnum):
    """What a duplicate candidate pairs: two initiatives, or two recommendations."""

    INITIATIVE = "initiative"
    RECOMMENDATION = "recommendation"


class MappingMethod(StrEnum):
    """OSCAL mapping provenance: who established a crosswalk entry."""

    HUMAN = "human"
    AUTOMATION = "automation"
    HYBRID = "hybrid"
