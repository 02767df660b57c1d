"""Closed vocabularies of the registry.

Each stored value is its member's name in lower case (`StrEnum`'s rule for names given
without values), so a vocabulary is written once, as its names."""

from __future__ import annotations

from enum import StrEnum

SignatoryKind = StrEnum(
    "SignatoryKind",
    "STATE PUBLIC_AUTHORITY LOCAL_GOVERNMENT COMPANY CIVIL_SOCIETY ACADEMIA INTERNATIONAL_ORG",
)
WorkingGroupStatus = StrEnum("WorkingGroupStatus", "PLANNED ACTIVE CONCLUDED")
InitiativeStatus = StrEnum("InitiativeStatus", "PROPOSED ACTIVE COMPLETED ARCHIVED")
RecommendationStatus = StrEnum("RecommendationStatus", "ACTIVE WITHDRAWN")
MemberRole = StrEnum("MemberRole", "CO_CHAIR MEMBER OBSERVER")
ContributorRole = StrEnum("ContributorRole", "LEAD PARTNER SUPPORTER")

# NIST IR 8477 set-theory relationships between two recommendations.
MappingRelation = StrEnum("MappingRelation", "EQUAL SUBSET_OF SUPERSET_OF INTERSECTS_WITH")
MappingRationale = StrEnum("MappingRationale", "SYNTACTIC SEMANTIC FUNCTIONAL")

# Life of a suggested duplicate or mapping: suggested, then decided by a person; or, for
# mappings only, published by the publisher of a crosswalk and imported as such.
DecisionStatus = StrEnum("DecisionStatus", "CANDIDATE CONFIRMED REJECTED PUBLISHED")

# The two parts of the review queue of suggested duplicates: `likely` from the threshold
# up, best first; `possible` below it (down to the stored floor), the pairs whose decision
# teaches the score most first (analysis/base_rate.py).
CandidateBand = StrEnum("CandidateBand", "LIKELY POSSIBLE")

# What a duplicate candidate pairs: two initiatives, or two recommendations.
CandidateKind = StrEnum("CandidateKind", "INITIATIVE RECOMMENDATION")

# OSCAL mapping provenance: who established a crosswalk entry.
MappingMethod = StrEnum("MappingMethod", "HUMAN AUTOMATION HYBRID")
