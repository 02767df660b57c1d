"""Gap queries and the coverage matrix on a hand-built graph with known answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis import gaps
from analysis.duplicates import default_min_score
from graph.crosswalk_evidence import repository as crosswalk_evidence
from graph.curation import repository as curation
from graph.links import repository as links
from graph.nodes import repository as nodes
from graph.relationships.repository import save_memberships
from graph.store import GraphStore
from schema.enums import CandidateKind
from schema.models import Principle, Recommendation, Signatory, Source, Topic, WorkingGroup
from schema.records import InitiativeRecord
from schema.relationships import Mapping, Membership
from tests import factories as f
from tests.support.stored import save_mappings
from tests.support.units import system


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    store = store
    nodes.save(store, [f.topic(t) for t in ("sbom", "cvd", "training")], model=Topic)
    nodes.save(store, [f.principle("p1", code="P1"), f.principle("p2", code="P2")], model=Principle)
    nodes.save(store, [f.source(s) for s in ("s1", "s2", "s3")], model=Source)
    recs = [
        ("s1:a", None, ["sbom"]),
        ("s1:b", None, ["sbom", "cvd"]),
        ("s1:c", None, []),
        ("s1:c1", "s1:c", ["cvd"]),
        ("s1:c2", "s1:c", []),
        ("s2:x", None, ["sbom"]),
        ("s2:y", None, ["training"]),
        ("s3:z", None, []),
    ]
    nodes.save(
        store,
        [
            f.recommendation(r, source_id=r.split(":")[0], ref=r.split(":")[1], parent_id=p)
            for r, p, _ in recs
        ],
        model=Recommendation,
    )
    links.link(store, "recommendation_parent", [(r, p) for r, p, _ in recs if p])
    links.link(store, "recommendation_topic", [(r, t) for r, _, ts in recs for t in ts])
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(
        store,
        [
            f.signatory("cigref", kind="civil_society", country="FR"),
            f.signatory("ministry", kind="state", country="FR"),
            f.signatory("geode", kind="academia", country="MA"),
            f.signatory("kaspersky", kind="company", country=None),
        ],
        model=Signatory,
    )
    save_memberships(
        store,
        [
            Membership(signatory_id="cigref", working_group_id="wg6"),
            Membership(signatory_id="ministry", working_group_id="wg6"),
            Membership(signatory_id="geode", working_group_id="wg6"),
            Membership(signatory_id="kaspersky", working_group_id="wg7"),
        ],
    )
    now = datetime.now(UTC)
    for id, status, rec, extra in (
        (
            "i1",
            "active",
            "s1:a",
            {"topics": ["sbom"], "principles": ["p1"], "working_groups": ["wg6"]},
        ),
        ("i2", "proposed", "s1:b", {"topics": ["cvd"], "principles": ["p2"]}),
        ("i3", "archived", "s2:x", {"topics": ["cvd"]}),
        ("i4", "completed", "s2:y", {"topics": ["training"], "working_groups": ["wg7"]}),
    ):
        record = {"id": id, "title": f"Initiative {id}", "language": "en", "status": status}
        curation.create_initiative(
            system(store),
            InitiativeRecord.model_validate(record | {"recommendations": [rec]} | extra),
            now=now,
        )
    save_mappings(
        store,
        [
            Mapping(from_id="s1:a", to_id="s2:x", relation="equal", status="confirmed"),
            Mapping(from_id="s1:b", to_id="s2:y", relation="intersects_with"),
        ],
    )
    return store


def test_uncovered_recommendations_are_grouped_by_source_and_topic(graph):
    found = gaps.find_gaps(graph)
    groups = {
        (g.source_id, g.topic_id): g.recommendation_ids for g in found.uncovered_recommendations
    }
    assert groups == {
        ("s1", "sbom"): ["s1:b"],
        ("s1", "cvd"): ["s1:b", "s1:c1"],
        ("s1", None): ["s1:c2"],
        ("s3", None): ["s3:z"],
    }
    # s2:x is covered through the confirmed crosswalk: it equals s1:a, which i1 implements
    assert found.uncovered_total == 4
    assert found.covered_through_crosswalks == 1
    assert found.probably_covered_total == 0
    assert {g.count for g in found.uncovered_recommendations} == {1, 2}


def test_a_suggested_crosswalk_makes_a_recommendation_probably_covered(graph):
    threshold = default_min_score(CandidateKind.RECOMMENDATION)
    suggestions = [
        # s3:z is a subset of s1:a (implemented), suggested at the threshold
        ("s3:z", "s1:a", "subset_of", threshold),
        # s1:c2 is broader than s1:a: covering s1:a does not cover it
        ("s1:a", "s1:c2", "subset_of", 0.99),
        # below the threshold, a suggestion says nothing
        ("s1:c1", "s1:a", "equal", threshold / 2),
    ]
    rows = [{"a": a, "b": b, "props": {"relation": r, "score": p}} for a, b, r, p in suggestions]
    crosswalk_evidence.replace_in_pairs(graph, rows, pairs=[], run="suggested")
    found = gaps.find_gaps(graph)
    assert found.probably_covered_total == 1
    assert [(g.source_id, g.recommendation_ids) for g in found.probably_covered] == [
        ("s3", ["s3:z"])
    ]
    assert found.uncovered_total == 3  # s1:b, s1:c1, s1:c2
    assert found.covered_through_crosswalks == 1
    assert gaps.uncovered_count(graph) == 3
    # a person confirms it: covered, no longer "probably"
    save_mappings(
        graph,
        [Mapping(from_id="s3:z", to_id="s1:a", relation="subset_of", status="confirmed")],
    )
    found = gaps.find_gaps(graph)
    assert (found.covered_through_crosswalks, found.probably_covered_total) == (2, 0)


def test_a_working_group_sees_only_what_its_own_initiatives_cover(graph):
    found = gaps.find_gaps(graph, working_group="wg6")
    # s2:y is covered by wg7's initiative only; s2:x through the crosswalk to wg6's s1:a
    assert found.uncovered_total == 5
    assert found.topics_without_initiatives == ["cvd", "training"]
    assert found.principles_without_initiatives == ["p2"]
    assert [g.working_group_id for g in found.stakeholder_gaps] == ["wg6"]
    gap = found.stakeholder_gaps[0]
    assert gap.missing_kinds == ["company"]
    assert gap.missing_regions == ["americas", "asia", "oceania"]


def test_topics_and_principles_without_active_initiatives(graph):
    found = gaps.find_gaps(graph)
    assert found.topics_without_initiatives == ["cvd"]  # i2 is proposed, i3 archived
    assert found.principles_without_initiatives == ["p2"]
    wg7 = next(g for g in found.stakeholder_gaps if g.working_group_id == "wg7")
    assert wg7.missing_kinds == ["state", "civil_society", "academia"]
    assert wg7.missing_regions == ["africa", "americas", "asia", "europe", "oceania"]


def test_crosswalk_shares_count_confirmed_mappings_only(graph):
    shares = {
        (c.source_a, c.source_b): (c.mapped, c.total, c.share) for c in gaps.crosswalks(graph)
    }
    assert shares[("s1", "s2")] == (1, 4, 0.25)
    assert shares[("s2", "s1")] == (1, 2, 0.5)
    assert shares[("s3", "s1")] == (0, 1, 0.0)
    found = gaps.find_gaps(graph)
    assert {(c.source_a, c.source_b) for c in found.crosswalk_gaps} == {
        ("s1", "s3"),
        ("s2", "s3"),
        ("s3", "s1"),
        ("s3", "s2"),
    }


def test_coverage_matrix_counts_each_cell(graph):
    cells = {(c.topic_id, c.source_id): c for c in gaps.coverage_matrix(graph)}
    assert len(cells) == 9
    assert (
        cells[("sbom", "s1")].recommendations,
        cells[("sbom", "s1")].implemented,
        cells[("sbom", "s1")].initiatives,
    ) == (2, 1, 1)
    assert (cells[("cvd", "s1")].recommendations, cells[("cvd", "s1")].implemented) == (2, 0)
    assert (cells[("sbom", "s2")].recommendations, cells[("sbom", "s2")].implemented) == (1, 0)
    assert (cells[("training", "s2")].implemented, cells[("training", "s2")].initiatives) == (1, 1)
    assert cells[("sbom", "s3")].recommendations == 0
    scoped = {
        (c.topic_id, c.source_id): c for c in gaps.coverage_matrix(graph, working_group="wg7")
    }
    assert scoped[("sbom", "s1")].implemented == 0
    assert scoped[("training", "s2")].implemented == 1


def test_a_cell_lists_its_recommendations_with_who_implements_them(graph):
    """The cell agrees with the matrix: as many leaves, as many implemented."""
    sbom = gaps.coverage_cell(graph, source="s1", topic="sbom")
    assert [(r["id"], bool(r["initiatives"])) for r in sbom] == [("s1:b", False), ("s1:a", True)]
    assert sbom[1]["initiatives"][0]["id"] and sbom[1]["initiatives"][0]["title"]
    assert [r["id"] for r in gaps.coverage_cell(graph, source="s1", topic=None)] == ["s1:c2"]
    wg7 = gaps.coverage_cell(graph, source="s1", topic="sbom", working_group="wg7")
    assert [r["initiatives"] for r in wg7] == [[], []]


def test_crosswalks_read_one_line_per_mapped_pair_and_count_the_empty_ones() -> None:
    from analysis.gaps import crosswalk_pairs
    from schema.analysis import CrosswalkGap

    def gap(a: str, b: str, mapped: int, total: int) -> CrosswalkGap:
        return CrosswalkGap(source_a=a, source_b=b, mapped=mapped, total=total, share=0.0)

    found = [
        gap("oecd", "cra", 3, 10), gap("cra", "oecd", 2, 22),
        gap("oecd", "nist", 0, 10), gap("nist", "oecd", 0, 40),
        gap("cra", "nist", 0, 22), gap("nist", "cra", 1, 40),
    ]  # fmt: skip
    pairs, empty = crosswalk_pairs(found)
    assert empty == 1
    assert [
        (p.source_a, p.mapped_a, p.total_a, p.source_b, p.mapped_b, p.total_b) for p in pairs
    ] == [
        ("cra", 2, 22, "oecd", 3, 10),
        ("cra", 0, 22, "nist", 1, 40),
    ]


def test_the_home_page_counts_of_every_group_in_one_read_match_each_groups_own(graph):
    # wg6 covers s1:a (and s2:x through the crosswalk), wg7 s2:y; a group tracking
    # nothing covers nothing
    nodes.save(graph, [f.working_group("wg8")], model=WorkingGroup)
    threshold = default_min_score(CandidateKind.RECOMMENDATION)
    rows = [{"a": "s3:z", "b": "s1:a", "props": {"relation": "subset_of", "score": threshold}}]
    crosswalk_evidence.replace_in_pairs(graph, rows, pairs=[], run="suggested")
    counts = gaps.uncovered_counts(graph)
    assert {wg: counts[wg] for wg in ("wg6", "wg7", "wg8")} == {
        wg: gaps.uncovered_count(graph, working_group=wg) for wg in ("wg6", "wg7", "wg8")
    }
    assert counts["wg6"] == 4  # five before the suggestion made s3:z probably covered
    full = gaps.find_gaps(graph, working_group="wg6")
    page = gaps.figures(graph, working_group="wg6")
    assert page.uncovered_total == full.uncovered_total == 4
    assert page.topics_without_initiatives == full.topics_without_initiatives
    assert page.principles_without_initiatives == full.principles_without_initiatives
    assert page.stakeholder_gaps == full.stakeholder_gaps


def test_the_gap_figures_read_at_once_are_the_three_reads_of_each(graph):
    from graph.gaps import repository as repo

    for wg in ("wg6", "wg7", None):
        kept = {"covering": gaps.COVERING, "wg": wg}
        assert repo.figures(graph, **kept) == (
            repo.topics_without_initiatives(graph, **kept),
            repo.principles_without_initiatives(graph, **kept),
            repo.members_by_group(graph, wg=wg),
        )
    topics, principles, members = repo.figures(graph, covering=gaps.COVERING, wg="wg7")
    assert (topics, principles) == (["cvd", "sbom"], ["p1", "p2"])
    assert members == [{"id": "wg7", "kinds": ["company"], "countries": []}]  # no country
