"""Reading suggested pairs and recording what people decide about them.

Duplicates are undirected: a decision is stored on the pair in id order. Mappings are
directed (a `subset_of` b is not b `subset_of` a): a decision keeps the direction the
person gave, replacing a suggestion stored the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from analysis import explanations
from analysis.thresholds import STORE_FLOOR, default_min_score
from graph.analysis import repository as repo
from graph.audit import UnitOfWork, writes
from graph.browse.repository import by_ids
from graph.merging import repository as merging
from graph.store import GraphStore
from schema.analysis import Candidate, ScoreParts
from schema.enums import (
    CandidateBand,
    CandidateKind,
    DecisionStatus,
    MappingMethod,
    MappingRelation,
)
from schema.errors import NotFound, Problem, ValidationFailed
from schema.text import Prose

_LABEL = {CandidateKind.INITIATIVE: "initiative", CandidateKind.RECOMMENDATION: "recommendation"}


def candidate(kind: CandidateKind, a: str, b: str, props: Mapping[str, Any]) -> Candidate:
    """A stored pair as the interfaces show it."""
    return Candidate(
        kind=kind,
        a=a,
        b=b,
        score=_score(props.get("score")),
        parts=ScoreParts(
            semantic=float(props.get("semantic") or 0.0),
            lexical=float(props.get("lexical") or 0.0),
            graph=float(props.get("graph") or 0.0),
            cross_language=bool(props.get("cross_language") or False),
        ),
        explanation=str(props.get("explanation") or "decided by a person"),
        reasons=explanations.stored(props.get("reasons")),
        paths=explanations.stored_paths(props.get("paths")),
        status=DecisionStatus(props.get("status") or "candidate"),
        relation=MappingRelation(props["relation"]) if props.get("relation") else None,
        confidence=props.get("confidence"),
        decided_by=props.get("decided_by"),
        decided_at=props.get("decided_at"),
        note=props.get("note"),
    )


def get_pair(store: GraphStore, kind: CandidateKind, a: str, b: str) -> Candidate | None:
    """The stored suggestion or decision on a pair, whichever way it was stored."""
    stored = repo.pair(store, kind.value, a, b)
    if stored is None:
        return None
    first, second = (a, b) if stored["source"] == a else (b, a)
    return candidate(kind, first, second, stored["props"] or {})


def _score(value: Any) -> float | None:
    """Pairs decided without a suggestion carry no score (lists still show them first)."""
    return None if value is None else float(value)


def list_candidates(
    store: GraphStore,
    kind: CandidateKind,
    *,
    statuses: Sequence[DecisionStatus],
    min_score: float,
    working_group: str | None = None,
    skip: int = 0,
    limit: int = 50,
    below: float | None = None,
    by_value: bool = False,
) -> list[Candidate]:
    """Pairs scored from min_score up to (without) `below`; best first, or (by_value) the
    most uncertain first, whose decision teaches the score most. From a min_score below
    STORE_FLOOR, the compared pairs scored below it follow the stored ones (all of which
    score higher, and are more uncertain: either order puts them after)."""
    filters: dict[str, Any] = {
        "statuses": [s.value for s in statuses],
        "min_score": min_score,
        "working_group": working_group,
        "below": below,
    }
    rows = repo.list_pairs(store, kind.value, skip=skip, limit=limit, by_value=by_value, **filters)
    found = [candidate(kind, row["a"], row["b"], row["props"]) for row in rows]
    extra = _unstored(store, kind, statuses, min_score, below, working_group)
    if not extra or len(found) == limit:
        return found
    start = max(0, skip - repo.count_pairs(store, kind.value, **filters))
    for a, b, score in extra[start : start + limit - len(found)]:
        found.append(candidate(kind, a, b, {"score": score, "explanation": _UNKEPT}))
    return found


def list_candidates_in_bands(
    store: GraphStore,
    kind: CandidateKind,
    *,
    working_group: str | None,
    limit: int,
    bands: Sequence[tuple[Sequence[DecisionStatus], Mapping[str, Any]]],
) -> tuple[list[list[Candidate]], dict[str, str]]:
    """`list_candidates` for each band ((statuses, filters as `band_filters` gives them))
    in one read, and the title of every pair's ends by id (the id when untitled)."""
    rows = repo.list_pairs_in_bands(
        store,
        kind.value,
        working_group=working_group,
        bands=[
            {"statuses": [s.value for s in statuses], "skip": 0, "limit": limit,
             "below": None, "by_value": False, **filters}
            for statuses, filters in bands
        ],
    )  # fmt: skip
    titles = {
        id: str(title or id)
        for band in rows
        for row in band
        for id, title in ((row["a"], row["a_title"]), (row["b"], row["b_title"]))
    }
    found = [[candidate(kind, row["a"], row["b"], row["props"]) for row in band] for band in rows]
    return found, titles


def count_candidates(
    store: GraphStore,
    kind: CandidateKind,
    *,
    statuses: Sequence[DecisionStatus],
    min_score: float,
    working_group: str | None = None,
    below: float | None = None,
    by_value: bool = False,  # the order of a list; taken so both reads share their filters
) -> int:
    stored = repo.count_pairs(
        store,
        kind.value,
        statuses=[s.value for s in statuses],
        min_score=min_score,
        working_group=working_group,
        below=below,
    )
    return stored + len(_unstored(store, kind, statuses, min_score, below, working_group))


_UNKEPT = (
    f"compared and scored below {STORE_FLOOR:.2f}, from which suggestions are kept and explained"
)


def _unstored(
    store: GraphStore,
    kind: CandidateKind,
    statuses: Sequence[DecisionStatus],
    min_score: float,
    below: float | None,
    working_group: str | None,
) -> list[tuple[str, str, float]]:
    """The compared pairs the last refresh scored below STORE_FLOOR (analysis/unstored.py)
    within these filters, best first: undecided, both ends live, one tracked by the group."""
    top = STORE_FLOOR if below is None else min(below, STORE_FLOOR)
    if (
        kind is not CandidateKind.INITIATIVE
        or DecisionStatus.CANDIDATE not in statuses
        or min_score >= top
    ):
        return []
    # Imported here: unpacking needs numpy, which a worker serving reads from the
    # thresholds up never loads.
    from analysis import unstored

    packed = unstored.unpack(repo.unstored(store, kind.value))
    if not packed.scores.size:
        return []
    view = repo.initiatives_in_view(store, working_group)
    decided = repo.decided_pairs(store, kind.value)
    return [
        (a, b, score)
        for a, b, score in packed.between(min_score, top)
        if a in view
        and b in view
        and (working_group is None or view[a] or view[b])
        and frozenset((a, b)) not in decided
    ]


def count_by_group(
    store: GraphStore,
    kind: CandidateKind,
    *,
    statuses: Sequence[DecisionStatus],
    bands: Mapping[str, CandidateBand],
) -> dict[str, dict[str, int]]:
    """`count_candidates` of every working group in each band, in one read (the home
    page's): working group -> band name -> count; a group with none is absent."""
    if kind is not CandidateKind.INITIATIVE:
        raise ValueError("pairs are counted by working group for initiatives only")
    return repo.count_initiative_pairs_by_group(
        store,
        statuses=[s.value for s in statuses],
        bands={name: band_filters(kind, band, None) for name, band in bands.items()},
    )


def band_filters(
    kind: CandidateKind, band: CandidateBand | None, min_score: float | None
) -> dict[str, Any]:
    """What a band of the review queue reads: `likely` from the threshold (or min_score)
    up, best first; `possible` from the stored floor (or min_score) up to the threshold,
    the most uncertain first. No band: from min_score (default: the threshold) up."""
    threshold = default_min_score(kind)
    if band is CandidateBand.POSSIBLE:
        floor = STORE_FLOOR if min_score is None else min_score
        return {"min_score": floor, "below": threshold, "by_value": True}
    return {"min_score": threshold if min_score is None else min_score, "below": None}


_PROSE: TypeAdapter[str] = TypeAdapter(Prose)


def _note(note: str | None) -> str | None:
    if note is None:
        return None
    try:
        return _PROSE.validate_python(note)
    except ValidationError as exc:
        raise ValidationFailed([Problem(exc.errors()[0]["msg"], "note")]) from exc


@writes
def decide(
    work: UnitOfWork,
    kind: CandidateKind,
    *,
    a: str,
    b: str,
    status: DecisionStatus,
    by: str | None,
    note: str | None = None,
    relation: MappingRelation | None = None,
    now: datetime | None = None,
) -> Candidate:
    """Confirm or reject a pair, whether or not the analysis suggested it."""
    if a == b:
        raise ValidationFailed([Problem("a record cannot duplicate itself", "b")])
    if kind is CandidateKind.INITIATIVE and a > b:
        a, b = b, a
    props: dict[str, Any] = {
        "status": status.value,
        "decided_by": by,
        "decided_at": (now or datetime.now(UTC)).isoformat(),
        "note": _note(note),
    }
    if kind is CandidateKind.RECOMMENDATION:
        stored = repo.pair(work.store, kind.value, a, b)
        suggested = (stored or {}).get("props") or {}
        if stored and stored["source"] != a and relation is None and suggested.get("relation"):
            relation = _reverse(MappingRelation(suggested["relation"]))
        if relation is None and status is DecisionStatus.CONFIRMED:
            relation = MappingRelation(suggested.get("relation") or "intersects_with")
        props["relation"] = relation.value if relation else suggested.get("relation")
        props["method"] = (
            MappingMethod.HYBRID.value
            if suggested.get("method") == MappingMethod.AUTOMATION.value
            else MappingMethod.HUMAN.value
        )
    saved = repo.decide(work, kind.value, a=a, b=b, props=props)
    if saved is None:
        missing = (
            a
            if repo.pair(work.store, kind.value, a, a) is None and not _exists(work.store, kind, a)
            else b
        )
        raise NotFound(_LABEL[kind], missing)
    return candidate(kind, a, b, saved)


def _exists(store: GraphStore, kind: CandidateKind, id: str) -> bool:
    label = "Initiative" if kind is CandidateKind.INITIATIVE else "Recommendation"
    return bool(by_ids(store, label, [id]))


def _reverse(relation: MappingRelation) -> MappingRelation:
    return {
        MappingRelation.SUBSET_OF: MappingRelation.SUPERSET_OF,
        MappingRelation.SUPERSET_OF: MappingRelation.SUBSET_OF,
    }.get(relation, relation)


@writes
def merge_initiatives(
    work: UnitOfWork,
    *,
    survivor: str,
    merged: str,
    merged_version: int,
    by: str | None,
    note: str | None = None,
) -> dict[str, int]:
    """Merge a confirmed duplicate into the initiative that stays (the merge checks the
    pair is confirmed as it writes)."""
    return merging.merge(
        work,
        survivor=survivor,
        merged=merged,
        merged_version=merged_version,
        by=by,
        note=_note(note),
        now=datetime.now(UTC),
    )


@writes
def unmerge_initiative(work: UnitOfWork, *, merged: str, merged_version: int) -> dict[str, Any]:
    return merging.unmerge(
        work, merged=merged, merged_version=merged_version, now=datetime.now(UTC)
    )
