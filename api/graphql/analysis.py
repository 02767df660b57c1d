"""Duplicate candidates, crosswalk suggestions, gaps and the coverage matrix in GraphQL,
with the decisions co-chairs take on them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from analysis import decisions, gaps
from analysis.thresholds import DEFAULT_MIN_SCORE, RECOMMENDATION_MIN_SCORE
from api.graphql.building import build
from api.graphql.context import Context
from api.graphql.guard import Change, Payload, change, guard
from api.graphql.nodes import Initiative, Recommendation
from api.graphql.outcomes import MutationError
from api.graphql.pagination import Connection, Listing
from api.graphql.queries import lookup
from graph.access.facts import Scope
from graph.audit import UnitOfWork
from graph.browse.repository import by_ids
from graph.store import GraphStore
from schema import analysis as a
from schema import enums
from schema import models as m
from schema.access import Action
from schema.events import AuditAction as A

if TYPE_CHECKING:
    from analysis.duplicates import RefreshReport

strawberry.enum(enums.CandidateKind)
strawberry.enum(enums.CandidateBand)

CandidateRecord = Annotated[Initiative | Recommendation, strawberry.union("CandidateRecord")]

_LABEL = {
    enums.CandidateKind.INITIATIVE: "Initiative",
    enums.CandidateKind.RECOMMENDATION: "Recommendation",
}


@strawberry.type(description="The signals a candidate's score was made of.")
class ScoreParts:
    semantic: float = strawberry.field(description="Cosine of the multilingual embeddings.")
    lexical: float = strawberry.field(description="Shared content words (same language only).")
    graph: float = strawberry.field(description="Shared links, weighted.")
    cross_language: bool


@strawberry.type(description="A recommendation a crosswalk path goes through.")
class PathHub:
    id: strawberry.ID
    name: str = strawberry.field(description="Its framework, reference and title.")


@strawberry.type(
    description="A path of published or confirmed crosswalks supporting a crosswalk "
    "suggestion, from its a to its b."
)
class CrosswalkPath:
    via: list[PathHub] = strawberry.field(description="The hubs the path goes through, in order.")
    relation: enums.MappingRelation = strawberry.field(
        description="What the path's steps compose to (NIST IR 8477): equal ∘ r = r, subset ∘ "
        "subset = subset, anything with intersects is at most intersects."
    )
    weight: float = strawberry.field(
        description="The path's weight: each hub counts 1 / log(1 + the pairs it takes part in)."
    )


@strawberry.type(description="Two records that may describe the same thing, and what was decided.")
class DuplicateCandidate:
    kind: enums.CandidateKind
    a_id: strawberry.ID
    b_id: strawberry.ID
    score: float | None = strawberry.field(
        description="Probability of a duplicate from the fitted model (for recommendations, "
        "the crosswalk model's probability that a publisher maps the pair); null for a pair "
        "a person decided without a suggestion."
    )
    parts: ScoreParts
    explanation: str
    status: enums.DecisionStatus
    relation: enums.MappingRelation | None = strawberry.field(
        description="For recommendations: how a relates to b (NIST IR 8477)."
    )
    confidence: float | None = strawberry.field(
        description="Confidence in the suggested relation, a second number beside the score: "
        "the score says whether the two texts cover the same ground, the confidence how sure "
        "the relation (equal, subset, superset, intersects) is; it is the score lowered for the "
        "less certain relations. Null for initiatives."
    )
    paths: list[CrosswalkPath] = strawberry.field(
        description="For recommendations: the paths through imported crosswalks that support "
        "the suggestion, strongest first (empty where only the texts speak)."
    )
    decided_by: str | None
    decided_at: datetime | None
    note: str | None

    @strawberry.field
    async def a(self, info: Info[Context, None]) -> CandidateRecord | None:
        return await lookup(info, _LABEL[self.kind], self.a_id)  # type: ignore[no-any-return]

    @strawberry.field
    async def b(self, info: Info[Context, None]) -> CandidateRecord | None:
        return await lookup(info, _LABEL[self.kind], self.b_id)  # type: ignore[no-any-return]


def _candidate(c: a.Candidate) -> DuplicateCandidate:
    return DuplicateCandidate(
        kind=c.kind,
        a_id=strawberry.ID(c.a),
        b_id=strawberry.ID(c.b),
        score=c.score,
        parts=ScoreParts(
            semantic=c.parts.semantic,
            lexical=c.parts.lexical,
            graph=c.parts.graph,
            cross_language=c.parts.cross_language,
        ),
        explanation=c.explanation,
        status=c.status,
        relation=c.relation,
        confidence=c.confidence,
        paths=[
            CrosswalkPath(
                via=[PathHub(id=strawberry.ID(h.id), name=h.name) for h in p.via],
                relation=p.relation,
                weight=p.weight,
            )
            for p in c.paths
        ],
        decided_by=c.decided_by,
        decided_at=c.decided_at,
        note=c.note,
    )


CANDIDATES = Listing(decisions.list_candidates, decisions.count_candidates, _candidate)


# The parts of Gaps, each the GraphQL type of its schema model with every field as it is
# (registered under the model's name, so that Gaps finds them).
for _part in (a.UncoveredGroup, a.StakeholderGap, a.CrosswalkGap):
    strawberry.experimental.pydantic.type(model=_part, all_fields=True)(
        type(_part.__name__, (), {})
    )


@strawberry.experimental.pydantic.type(model=a.Gaps, all_fields=True)
class Gaps:
    pass


@strawberry.experimental.pydantic.type(model=a.CoverageCell, all_fields=True)
class CoverageCell:
    pass


@strawberry.type
class AnalysisQueries:
    @strawberry.field(
        description="Suggested or decided pairs, best first. Default: open candidates from "
        f"the calibrated threshold of the kind (initiatives: {DEFAULT_MIN_SCORE}, chosen by "
        f"cross-validation; recommendations: {RECOMMENDATION_MIN_SCORE}, chosen on published "
        "crosswalks held out one at a time). Scores follow the registry's own share of "
        "duplicates and its decisions. `band: LIKELY` lists pairs from the threshold up; "
        "`band: POSSIBLE` those below it, down to the stored floor, the pairs whose "
        "decision teaches the score most (the most uncertain) first."
    )
    async def duplicate_candidates(
        self,
        info: Info[Context, None],
        kind: enums.CandidateKind = enums.CandidateKind.INITIATIVE,
        working_group: strawberry.ID | None = None,
        min_score: float | None = None,
        status: list[enums.DecisionStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
        band: enums.CandidateBand | None = None,
    ) -> Connection[DuplicateCandidate]:
        ctx = info.context
        statuses = status or [enums.DecisionStatus.CANDIDATE]
        options: dict[str, Any] = {
            "statuses": statuses,
            "working_group": working_group,
            **decisions.band_filters(kind, band, min_score),
        }
        return await CANDIDATES.page(ctx, first, after, options, kind)

    @strawberry.field(description="What nobody covers, for one working group or overall.")
    async def gaps(
        self, info: Info[Context, None], working_group: strawberry.ID | None = None
    ) -> Gaps:
        found = await info.context.run(gaps.find_gaps, working_group=working_group)
        return Gaps.from_pydantic(found)

    @strawberry.field(description="Topic by source: recommendations, implemented, initiatives.")
    async def coverage_matrix(
        self, info: Info[Context, None], working_group: strawberry.ID | None = None
    ) -> list[CoverageCell]:
        cells = await info.context.run(gaps.coverage_matrix, working_group=working_group)
        return [CoverageCell.from_pydantic(c) for c in cells]


@strawberry.type
class DecisionPayload(Payload):
    candidate: DuplicateCandidate | None
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> DecisionPayload:
        return cls(candidate=_candidate(result) if result else None, errors=errors)


@strawberry.type
class MergePayload(Payload):
    survivor: Initiative | None
    merged: Initiative | None
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> MergePayload:
        """`result`: the survivor's and the merged initiative's rows, after the change."""
        if result is None:
            return cls(survivor=None, merged=None, errors=errors)
        survivor, merged = result
        return cls(
            survivor=build(Initiative, m.Initiative, survivor),
            merged=build(Initiative, m.Initiative, merged),
            errors=errors,
        )


@strawberry.type
class RefreshPayload(Payload):
    records: int
    embedded: int
    candidates: int
    errors: list[MutationError]

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> RefreshPayload:
        if result is None:
            return cls(records=0, embedded=0, candidates=0, errors=errors)
        return cls(
            records=result.records,
            embedded=result.embedded,
            candidates=result.candidates,
            errors=errors,
        )


def _decision(
    info: Info[Context, None],
    kind: enums.CandidateKind,
    a_id: str,
    b_id: str,
    status: enums.DecisionStatus,
    note: str | None,
    relation: enums.MappingRelation | None = None,
) -> Change:
    """A decision on a pair (whose scope and action are the mutation's guard's)."""
    return change(
        decisions.decide, kind, a=a_id, b=b_id, status=status, by=info.context.actor_name(),
        note=note, relation=relation,
    )  # fmt: skip


def _merge_result(
    work: UnitOfWork, survivor: str, merged: str, version: int, by: str | None, note: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    decisions.merge_initiatives(
        work, survivor=survivor, merged=merged, merged_version=version, by=by, note=note
    )
    return _both(work.store, survivor, merged)


def _unmerge_result(
    work: UnitOfWork, merged: str, version: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    done = decisions.unmerge_initiative(work, merged=merged, merged_version=version)
    return _both(work.store, done["survivor"], merged)


def _refresh(work: UnitOfWork, kind: enums.CandidateKind) -> RefreshReport:
    # Imported here, in the thread running the change: scoring needs numpy and scipy,
    # which a worker that only serves reads never loads.
    from analysis.duplicates import refresh

    return refresh(work, kind)


def _both(store: GraphStore, survivor: str, merged: str) -> tuple[dict[str, Any], dict[str, Any]]:
    rows = by_ids(store, "Initiative", [survivor, merged])
    return rows[survivor], rows[merged]


def _pair(a: str, b: str, **_: Any) -> Scope:
    """Duplicates are the initiatives' groups' to decide, crosswalks the recommendations'
    (through the initiatives implementing them)."""
    return Scope(initiatives=(a, b))


def _crosswalk(from_: str, to: str, **_: Any) -> Scope:
    return Scope(recommendations=(from_, to))


def _merging(survivor: str, merged: str, **_: Any) -> Scope:
    return Scope(initiatives=(survivor, merged))


def _unmerging(merged: str, **_: Any) -> Scope:
    return Scope(initiatives=(merged,), unmerging=True)


@strawberry.type
class AnalysisMutations:
    @strawberry.mutation(description="Confirm that two initiatives duplicate each other.")
    @guard(Action.DECIDE_DUPLICATE, _pair, records=A.CONFIRM_DUPLICATE, returns=DecisionPayload)
    async def confirm_duplicate(
        self, info: Info[Context, None], a: strawberry.ID, b: strawberry.ID, note: str | None = None
    ) -> Change:
        return _decision(
            info, enums.CandidateKind.INITIATIVE, a, b, enums.DecisionStatus.CONFIRMED, note
        )

    @strawberry.mutation(
        description="Reject a suggested duplicate: it will never be suggested again."
    )
    @guard(Action.DECIDE_DUPLICATE, _pair, records=A.REJECT_DUPLICATE, returns=DecisionPayload)
    async def reject_duplicate(
        self, info: Info[Context, None], a: strawberry.ID, b: strawberry.ID, note: str | None = None
    ) -> Change:
        return _decision(
            info, enums.CandidateKind.INITIATIVE, a, b, enums.DecisionStatus.REJECTED, note
        )

    @strawberry.mutation(
        description="Accept a crosswalk between two recommendations: `relation` is how `from` "
        "relates to `to` (default: the suggested one)."
    )
    @guard(Action.DECIDE_MAPPING, _crosswalk, records=A.ACCEPT_MAPPING, returns=DecisionPayload)
    async def accept_mapping(
        self,
        info: Info[Context, None],
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        relation: enums.MappingRelation | None = None,
        note: str | None = None,
    ) -> Change:
        return _decision(
            info,
            enums.CandidateKind.RECOMMENDATION,
            from_,
            to,
            enums.DecisionStatus.CONFIRMED,
            note,
            relation,
        )

    @strawberry.mutation(description="Reject a suggested crosswalk between two recommendations.")
    @guard(Action.DECIDE_MAPPING, _crosswalk, records=A.REJECT_MAPPING, returns=DecisionPayload)
    async def reject_mapping(
        self,
        info: Info[Context, None],
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        note: str | None = None,
    ) -> Change:
        return _decision(
            info, enums.CandidateKind.RECOMMENDATION, from_, to, enums.DecisionStatus.REJECTED, note
        )

    @strawberry.mutation(
        description="Merge a confirmed duplicate (`merged`, read at `mergedVersion`) into "
        "`survivor`, which takes over its links; undo with unmergeInitiative."
    )
    @guard(Action.MERGE_INITIATIVES, _merging, records=A.MERGE_INITIATIVES, returns=MergePayload)
    async def merge_initiatives(
        self,
        info: Info[Context, None],
        survivor: strawberry.ID,
        merged: strawberry.ID,
        merged_version: int,
        note: str | None = None,
    ) -> Change:
        by = info.context.actor_name()
        return change(_merge_result, survivor, merged, merged_version, by, note)

    @strawberry.mutation(description="Undo a merge: links go back, the initiative its status.")
    @guard(
        Action.MERGE_INITIATIVES, _unmerging, records=A.UNMERGE_INITIATIVES, returns=MergePayload
    )
    async def unmerge_initiative(
        self, info: Info[Context, None], merged: strawberry.ID, merged_version: int
    ) -> Change:
        return change(_unmerge_result, merged, merged_version)

    @strawberry.mutation(description="Recompute suggestions (embedding only texts that changed).")
    @guard(Action.REFRESH_ANALYSIS, records=A.REFRESH_ANALYSIS, returns=RefreshPayload)
    async def refresh_duplicate_candidates(
        self, info: Info[Context, None], kind: enums.CandidateKind = enums.CandidateKind.INITIATIVE
    ) -> Change:
        return change(_refresh, kind)
