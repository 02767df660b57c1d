"""What nobody covers: recommendations, topics, principles, stakeholders, crosswalks.

An initiative covers something when it is active or completed (proposed ones have not
started, archived ones have stopped). Scoped to a working group, only the initiatives
that group tracks count, and only that group's membership is checked.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from analysis.regions import REGIONS, region_of
from analysis.thresholds import RECOMMENDATION_MIN_SCORE
from graph.gaps import repository as repo
from graph.store import GraphStore
from schema.analysis import (
    CoverageCell,
    CrosswalkGap,
    CrosswalkPair,
    Gaps,
    StakeholderGap,
    UncoveredGroup,
)
from schema.enums import InitiativeStatus, SignatoryKind

COVERING = (InitiativeStatus.ACTIVE.value, InitiativeStatus.COMPLETED.value)

# Stakeholder categories a working group should hear from, and the kinds counting as each.
STAKEHOLDERS: dict[str, frozenset[str]] = {
    "state": frozenset(
        {SignatoryKind.STATE, SignatoryKind.PUBLIC_AUTHORITY, SignatoryKind.LOCAL_GOVERNMENT}
    ),
    "company": frozenset({SignatoryKind.COMPANY}),
    "civil_society": frozenset({SignatoryKind.CIVIL_SOCIETY}),
    "academia": frozenset({SignatoryKind.ACADEMIA}),
}

# Below this share of mapped recommendations, a pair of sources is a crosswalk gap.
CROSSWALK_GAP_SHARE = 0.25


def find_gaps(
    store: GraphStore,
    *,
    working_group: str | None = None,
    crosswalk_shares: list[CrosswalkGap] | None = None,
) -> Gaps:
    """`crosswalk_shares`: what `crosswalks(store)` answers, when the caller read it
    already (the report shows them all)."""
    found = repo.uncovered_recommendations(store, covering=COVERING, wg=working_group)
    return _gaps(store, found, working_group=working_group, crosswalk_shares=crosswalk_shares)


def find_gaps_named(
    store: GraphStore,
    *,
    working_group: str | None = None,
    crosswalk_shares: list[CrosswalkGap] | None = None,
) -> tuple[Gaps, dict[str, dict[str, Any]]]:
    """`find_gaps`, and what naming each recommendation it found takes (reference,
    title, text, parent: analysis/names.py), read in the same statement."""
    found = repo.uncovered_recommendations(store, covering=COVERING, wg=working_group, named=True)
    gaps = _gaps(store, found, working_group=working_group, crosswalk_shares=crosswalk_shares)
    return gaps, {row["id"]: row for row in found}


def _gaps(
    store: GraphStore,
    found: list[dict[str, Any]],
    *,
    working_group: str | None,
    crosswalk_shares: list[CrosswalkGap] | None,
) -> Gaps:
    shares = crosswalks(store) if crosswalk_shares is None else crosswalk_shares
    through = _through_crosswalks(store, found, working_group)
    uncovered = [row for row in found if row["id"] not in through]
    probably = [row for row in found if through.get(row["id"]) is False]
    topics, principles, members = repo.figures(store, covering=COVERING, wg=working_group)
    return Gaps(
        uncovered_recommendations=_grouped(uncovered),
        uncovered_total=len({row["id"] for row in uncovered}),
        covered_through_crosswalks=sum(through.values()),
        probably_covered=_grouped(probably),
        probably_covered_total=len({row["id"] for row in probably}),
        topics_without_initiatives=topics,
        principles_without_initiatives=principles,
        stakeholder_gaps=_stakeholder_gaps(members),
        crosswalk_gaps=[c for c in shares if c.share < CROSSWALK_GAP_SHARE],
    )


def uncovered_count(store: GraphStore, *, working_group: str | None = None) -> int:
    """How many recommendations no active initiative covers (`find_gaps`'s total)."""
    rows = repo.uncovered_recommendations(store, covering=COVERING, wg=working_group)
    through = _through_crosswalks(store, rows, working_group)
    return len({row["id"] for row in rows if row["id"] not in through})


def uncovered_counts(store: GraphStore) -> dict[str, int]:
    """`uncovered_count` of every working group, in one read (the home page's figures)."""
    total, covered = repo.uncovered_by_group(
        store, covering=COVERING, min_score=RECOMMENDATION_MIN_SCORE
    )
    return defaultdict(lambda: total, {wg: total - n for wg, n in covered.items()})


def figures(store: GraphStore, *, working_group: str) -> Gaps:
    """What the group page shows of its gaps: the uncovered count (from the counts read,
    not from every uncovered record), the topics and principles nobody covers and the
    stakeholder gaps; the lists of records are left empty."""
    topics, principles, members = repo.figures(store, covering=COVERING, wg=working_group)
    return Gaps(
        uncovered_recommendations=[],
        uncovered_total=uncovered_counts(store)[working_group],
        topics_without_initiatives=topics,
        principles_without_initiatives=principles,
        stakeholder_gaps=_stakeholder_gaps(members),
        crosswalk_gaps=[],
    )


def _through_crosswalks(
    store: GraphStore, rows: list[dict[str, Any]], working_group: str | None
) -> dict[str, bool]:
    """Of the recommendations no initiative implements, those covered through a crosswalk
    (True: a published or confirmed pair; False: only a suggestion from the threshold)."""
    if not rows:
        return {}
    covered = repo.crosswalk_covered(
        store, covering=COVERING, wg=working_group, min_score=RECOMMENDATION_MIN_SCORE
    )
    return {row["id"]: covered[row["id"]] for row in rows if row["id"] in covered}


def _grouped(rows: list[dict[str, Any]]) -> list[UncoveredGroup]:
    groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for row in rows:
        groups[(row["source_id"], row["topic_id"])].append(row["id"])
    return [
        UncoveredGroup(source_id=source, topic_id=topic, count=len(ids), recommendation_ids=ids)
        for (source, topic), ids in groups.items()
    ]


def stakeholder_gaps(store: GraphStore, *, working_group: str | None) -> list[StakeholderGap]:
    return _stakeholder_gaps(repo.members_by_group(store, wg=working_group))


def _stakeholder_gaps(members: list[dict[str, Any]]) -> list[StakeholderGap]:
    """The kinds and regions each group's members (kinds, countries) leave out."""
    out = []
    for row in members:
        kinds = set(row["kinds"])
        regions = {region_of(country) for country in row["countries"]}
        missing_kinds = [name for name, accepted in STAKEHOLDERS.items() if not kinds & accepted]
        missing_regions = [region for region in REGIONS if region not in regions]
        if missing_kinds or missing_regions:
            out.append(
                StakeholderGap(
                    working_group_id=row["id"],
                    missing_kinds=missing_kinds,
                    missing_regions=missing_regions,
                )
            )
    return out


def crosswalks(store: GraphStore) -> list[CrosswalkGap]:
    """Every ordered pair of sources: how much of the first the crosswalks link to the
    second. What a crosswalk links counts where it links (a task in the middle of a
    hierarchy too); linked records that are not requirements join the total."""
    totals, mapped = repo.crosswalk_shares(store)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in mapped:
        counts[(row["source_a"], row["source_b"])][row["kind"]] = int(row["n"])
    out = []
    for a, requirements in totals.items():
        for b in totals:
            found = counts.get((a, b), {})
            linked = found.get("linked", 0)
            total = requirements + linked - found.get("requirements", 0)
            if a == b or total == 0:
                continue
            share = round(linked / total, 4)
            gap = CrosswalkGap(source_a=a, source_b=b, mapped=linked, total=total, share=share)
            out.append(gap)
    return sorted(out, key=lambda c: (c.share, c.source_a, c.source_b))


def crosswalk_pairs(found: list[CrosswalkGap]) -> tuple[list[CrosswalkPair], int]:
    """The pairs of sources with any mapping, one line per pair (both directions on it),
    best mapped first, and how many pairs have none: a reader wants what exists and a
    count of what does not, not every empty direction spelled out."""
    by_pair: dict[tuple[str, str], dict[str, CrosswalkGap]] = defaultdict(dict)
    for c in found:
        a, b = sorted((c.source_a, c.source_b))
        by_pair[(a, b)][c.source_a] = c
    pairs: list[CrosswalkPair] = []
    empty = 0
    for (a, b), sides in sorted(by_pair.items()):
        first, second = sides.get(a), sides.get(b)
        if not any(side.mapped for side in sides.values()):
            empty += 1
            continue
        pairs.append(
            CrosswalkPair(
                source_a=a,
                source_b=b,
                mapped_a=first.mapped if first else 0,
                total_a=first.total if first else 0,
                mapped_b=second.mapped if second else 0,
                total_b=second.total if second else 0,
            )
        )
    pairs.sort(key=lambda p: (-(p.mapped_a + p.mapped_b), p.source_a, p.source_b))
    return pairs, empty


def coverage_cell(
    store: GraphStore, *, source: str, topic: str | None, working_group: str | None = None
) -> list[dict[str, Any]]:
    """The recommendations behind one heatmap cell (`topic` None: those with no topic
    yet), each with the active initiatives implementing it; uncovered ones first."""
    rows = repo.cell(store, source=source, topic=topic, covering=COVERING, wg=working_group)
    return sorted(rows, key=lambda r: (bool(r["initiatives"]), r["id"]))


def coverage_matrix(store: GraphStore, *, working_group: str | None = None) -> list[CoverageCell]:
    """Topic by source: leaf recommendations, those implemented, and the initiatives doing it."""
    topics, sources = repo.topic_and_source_ids(store)
    recs: dict[tuple[str, str], int] = defaultdict(int)
    implemented: dict[tuple[str, str], int] = defaultdict(int)
    initiatives: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in repo.coverage_rows(store, covering=COVERING, wg=working_group):
        key = (row["topic_id"], row["source_id"])
        recs[key] += 1
        if row["initiatives"]:
            implemented[key] += 1
            initiatives[key].update(row["initiatives"])
    return [
        CoverageCell(
            topic_id=topic,
            source_id=source,
            recommendations=recs[(topic, source)],
            implemented=implemented[(topic, source)],
            initiatives=len(initiatives[(topic, source)]),
        )
        for topic in topics
        for source in sources
    ]
