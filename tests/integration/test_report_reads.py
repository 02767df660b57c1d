"""The home page and the report read in few statements what they used to read group by
group and list by list: the one-read figures equal the per-group and per-list ones, on a
graph with pairs on the edges of every band."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis import decisions, report
from analysis.duplicates import STORE_FLOOR, default_min_score
from graph.analysis import repository as pairs_repo
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore, count_round_trips
from schema.enums import CandidateBand, CandidateKind, DecisionStatus
from schema.models import WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support.units import system

INITIATIVE = CandidateKind.INITIATIVE
THRESHOLD = default_min_score(INITIATIVE)


@pytest.fixture
def paired(store: GraphStore) -> GraphStore:
    """wg6 tracks i1-i4 (i4 archived), wg7 i5-i6 and i2 too, wg8 nothing; i7 no group."""
    nodes.save(store, [f.working_group(w) for w in ("wg6", "wg7", "wg8")], model=WorkingGroup)
    now = datetime.now(UTC)
    for id, groups, status in (
        ("i1", ["wg6"], "active"),
        ("i2", ["wg6", "wg7"], "active"),
        ("i3", ["wg6"], "active"),
        ("i4", ["wg6"], "archived"),
        ("i5", ["wg7"], "active"),
        ("i6", ["wg7"], "proposed"),
        ("i7", [], "active"),
    ):
        record = {"id": id, "title": f"Initiative {id}", "language": "en", "status": status,
                  "working_groups": groups}  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    scores = {
        ("i1", "i2"): THRESHOLD,  # likely, at the threshold; wg6 and wg7 (both ends in wg6)
        ("i1", "i3"): 0.99,  # likely, wg6
        ("i2", "i5"): THRESHOLD - 0.001,  # possible, wg6 and wg7
        ("i3", "i5"): STORE_FLOOR,  # possible at the floor, wg6 and wg7
        ("i3", "i7"): 0.5 * STORE_FLOOR,  # below the floor: in no band
        ("i1", "i4"): 0.95,  # an archived end: counted nowhere
        ("i5", "i6"): 0.3,  # wg7
        ("i6", "i7"): 0.97,  # wg7 through one end
    }
    rows = [{"a": a, "b": b, "props": {"score": s}} for (a, b), s in scores.items()]
    pairs_repo.replace_candidates(store, "initiative", rows, run="t")
    decisions.decide(
        system(store), INITIATIVE, a="i1", b="i3", status=DecisionStatus.CONFIRMED, by="co-chair"
    )
    return store


def test_the_home_page_counts_pairs_of_every_group_in_one_read_as_each_group_does(paired):
    with count_round_trips() as counted:
        read = report.readiness(paired)
    groups = {g["id"]: (g["pending"], g["possible"]) for g in read}
    # the live initiatives each tracks (i4 is archived)
    assert {g["id"]: g["initiatives"] for g in read} == {"wg6": 3, "wg7": 3, "wg8": 0}
    own = {
        wg: tuple(
            decisions.count_candidates(
                paired, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], working_group=wg,
                **decisions.band_filters(INITIATIVE, band, None),
            )
            for band in (CandidateBand.LIKELY, CandidateBand.POSSIBLE)
        )
        for wg in ("wg6", "wg7", "wg8")
    }  # fmt: skip
    assert groups == own == {"wg6": (1, 2), "wg7": (2, 3), "wg8": (0, 0)}
    # the groups, the uncovered counts and the pairs: never one read per group
    assert counted.count == 3


def test_the_report_reads_its_three_lists_of_pairs_in_one_read_as_each_list_does(paired):
    with count_round_trips() as counted:
        data = report.build(paired, "wg6")
    own = [
        decisions.list_candidates(
            paired, INITIATIVE, statuses=statuses, working_group="wg6", limit=500, **filters
        )
        for statuses, filters in (
            ([DecisionStatus.CONFIRMED], {"min_score": 0.0}),
            ([DecisionStatus.CANDIDATE], {"min_score": THRESHOLD}),
            ([DecisionStatus.CANDIDATE],
             decisions.band_filters(INITIATIVE, CandidateBand.POSSIBLE, None)),
        )
    ]  # fmt: skip
    assert [data.confirmed, data.pending, data.possible] == own
    assert [[(c.a, c.b) for c in pairs] for pairs in own] == [
        [("i1", "i3")],
        [("i1", "i2")],
        [("i2", "i5"), ("i3", "i5")],  # the most uncertain first
    ]
    # the ends' titles, the group's and others' (i5 is wg7's)
    assert {i: data.title(i) for i in ("i1", "i2", "i3", "i5")} == {
        i: f"Initiative {i}" for i in ("i1", "i2", "i3", "i5")
    }
    lists = [s for s in counted.statements if "DUPLICATE_OF" in s]
    assert len(lists) == 1
    # the group page's two lists, the same way
    with count_round_trips() as counted:
        page = report.group_page(paired, "wg6", skip=0, limit=100)
    assert [page.pending, page.possible] == own[1:]
    assert page.title("i5") == "Initiative i5"
    assert len([s for s in counted.statements if "DUPLICATE_OF" in s]) == 1


def test_what_crosswalks_cover_is_read_from_the_implemented_side_as_it_was_per_id(store):
    from analysis import crosswalk_model, gaps
    from graph.crosswalk_evidence import repository as crosswalk_evidence
    from schema.models import Recommendation, Source
    from tests.support.stored import save_mappings

    nodes.save(store, [f.source("s1"), f.source("s2")], model=Source)
    recs = ["s1:a", "s1:b", "s2:x", "s2:y", "s2:z", "s2:w", "s2:v", "s2:u"]
    nodes.save(
        store,
        [f.recommendation(r, source_id=r[:2], ref=r[3:]) for r in recs],
        model=Recommendation,
    )
    nodes.save(store, [f.working_group(w) for w in ("wg6", "wg7")], model=WorkingGroup)
    now = datetime.now(UTC)
    for id, wg, rec in (("i1", "wg6", "s1:a"), ("i2", "wg7", "s1:b")):
        record = {"id": id, "title": f"Initiative {id}", "language": "en", "status": "active",
                  "working_groups": [wg], "recommendations": [rec]}  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    save_mappings(
        store,
        [
            f_mapping("s2:x", "s1:a", "equal", "confirmed"),  # covered (wg6)
            f_mapping("s2:w", "s1:a", "superset_of", "confirmed"),  # larger: not covered
            f_mapping("s2:v", "s1:b", "equal", "published"),  # covered (wg7)
            f_mapping("s2:u", "s1:a", "subset_of", "confirmed"),  # covered twice (wg6)
        ],
    )
    threshold = crosswalk_model.load().threshold
    rows = [
        {"a": "s2:y", "b": "s1:a", "props": {"relation": "subset_of", "score": threshold}},
        {"a": "s2:z", "b": "s1:a", "props": {"relation": "subset_of", "score": threshold / 2}},
        {"a": "s1:b", "b": "s2:u", "props": {"relation": "superset_of", "score": 0.99}},
    ]
    crosswalk_evidence.replace_in_pairs(store, rows, pairs=[], run="suggested")

    def ids(groups):
        return sorted(i for g in groups for i in g.recommendation_ids)

    wg6, wg7, every = (gaps.find_gaps(store, working_group=w) for w in ("wg6", "wg7", None))
    assert ids(wg6.uncovered_recommendations) == ["s1:b", "s2:v", "s2:w", "s2:z"]
    assert ids(wg6.probably_covered) == ["s2:y"]
    assert wg6.covered_through_crosswalks == 2  # s2:x, s2:u (confirmed; its suggestion aside)
    assert ids(wg7.uncovered_recommendations) == ["s1:a", "s2:w", "s2:x", "s2:y", "s2:z"]
    assert ids(wg7.probably_covered) == ["s2:u"]  # wg7's own suggestion only
    assert wg7.covered_through_crosswalks == 1  # s2:v
    assert ids(every.uncovered_recommendations) == ["s2:w", "s2:z"]
    assert ids(every.probably_covered) == ["s2:y"]
    assert every.covered_through_crosswalks == 3
    counts = gaps.uncovered_counts(store)
    assert [counts["wg6"], counts["wg7"]] == [wg6.uncovered_total, wg7.uncovered_total] == [4, 5]


def f_mapping(a: str, b: str, relation: str, status: str):  # type: ignore[no-untyped-def]
    from schema.relationships import Mapping

    return Mapping(from_id=a, to_id=b, relation=relation, status=status)
