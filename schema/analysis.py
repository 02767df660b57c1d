"""Results of the duplicate and gap analyses, as the interfaces present them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from schema.enums import CandidateKind, DecisionStatus, MappingRelation
from schema.models import Model


class ScoreParts(Model):
    """The signals a candidate's score was made of, each in [0, 1]."""

    semantic: float = Field(ge=-1.0, le=1.0)
    lexical: float = Field(ge=0.0, le=1.0)
    graph: float = Field(ge=0.0, le=1.0)
    cross_language: bool = False


class PathHub(Model):
    """A recommendation a crosswalk path goes through, with the name it is shown by."""

    id: str
    name: str


class CrosswalkPath(Model):
    """One path of published or confirmed crosswalks from a suggestion's a to its b: the
    hubs in order, and the NIST IR 8477 relation its steps compose to."""

    via: list[PathHub]
    relation: MappingRelation
    weight: float


class Candidate(Model):
    """A pair that may describe the same thing, with why we think so and what was decided."""

    kind: CandidateKind
    a: str
    b: str
    # The model's score when the pair was suggested; None when a person decided a pair the
    # tool never suggested (it was not computed, and is not made up).
    score: float | None
    parts: ScoreParts
    explanation: str
    # What the explanation was built from, for pages that say it in French or with names
    # (analysis.explanations); empty for pairs stored before it existed or decided by hand.
    reasons: list[dict[str, Any]] = []
    # Crosswalk suggestions: the paths through imported crosswalks that support the pair.
    paths: list[CrosswalkPath] = []
    status: DecisionStatus = DecisionStatus.CANDIDATE
    relation: MappingRelation | None = None
    confidence: float | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = None


class UncoveredGroup(Model):
    """Recommendations of one source and topic that no active initiative implements."""

    source_id: str
    topic_id: str | None
    count: int
    recommendation_ids: list[str]


class StakeholderGap(Model):
    working_group_id: str
    missing_kinds: list[str]
    missing_regions: list[str]


class CrosswalkGap(Model):
    """How much of `source_a` is mapped to `source_b` (either direction)."""

    source_a: str
    source_b: str
    mapped: int
    total: int
    share: float


class CrosswalkPair(Model):
    """Two sources and how much of each is mapped to the other: the two directions of
    one crosswalk, read as one line."""

    source_a: str
    source_b: str
    mapped_a: int
    total_a: int
    mapped_b: int
    total_b: int


class Gaps(Model):
    uncovered_recommendations: list[UncoveredGroup]
    uncovered_total: int
    # Covered through a crosswalk: equal to, or a subset of, a recommendation an initiative
    # implements, by a published or confirmed pair (counted as covered) or only by a
    # suggestion (probably covered: a person should review the suggestion).
    covered_through_crosswalks: int = 0
    probably_covered: list[UncoveredGroup] = []
    probably_covered_total: int = 0
    topics_without_initiatives: list[str]
    principles_without_initiatives: list[str]
    stakeholder_gaps: list[StakeholderGap]
    crosswalk_gaps: list[CrosswalkGap]


class CoverageCell(Model):
    topic_id: str
    source_id: str
    recommendations: int
    implemented: int
    initiatives: int
