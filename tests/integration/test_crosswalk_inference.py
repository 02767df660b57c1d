"""Crosswalk suggestions inferred through published crosswalks, on both engines.

Frameworks and crosswalks go through the product's import path (CISO Assistant files
written by tests/support/crosswalk_registry.py); suggestions are read back as the CLI and
GraphQL read them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import decisions
from analysis.crosswalk_features import FEATURES
from analysis.duplicates import default_min_score, refresh
from analysis.encoder import Encoder
from analysis.oscal_mappings import mapping_collection
from graph.analysis import repository as repo
from graph.crosswalk_evidence import repository as evidence_repo
from graph.store import GraphStore
from importers.pipeline import run_import
from schema.analysis import Candidate
from schema.enums import CandidateKind, DecisionStatus, MappingRelation
from tests.support import crosswalk_registry as xr
from tests.support.units import system

REC = CandidateKind.RECOMMENDATION
ENCODER = Encoder()


def _suggested(store: GraphStore, min_score: float = 0.0) -> dict[frozenset[str], Candidate]:
    found = decisions.list_candidates(
        store, REC, statuses=[DecisionStatus.CANDIDATE], min_score=min_score, limit=10_000
    )
    return {frozenset((c.a, c.b)): c for c in found}


def _source(id: str) -> str:
    return id.split(":")[0]


@pytest.fixture
def registry(store: GraphStore, tmp_path: Path) -> GraphStore:
    xr.load(store, tmp_path)
    refresh(system(store), REC, encoder=ENCODER)
    return store


def test_requirements_mapped_to_the_same_hubs_are_suggested_with_their_paths(registry):
    found = _suggested(registry)
    pair = found[frozenset(("csf-mini:gv.sc-05", "nis2-mini:5.1.1"))]
    assert pair.score is not None and pair.score >= default_min_score(REC)
    assert [[h.id for h in p.via] for p in pair.paths] == [["hub-mini:a.5.19"], ["hub-mini:a.5.21"]]
    # named by their framework (its id when its title is long), reference and title
    assert pair.paths[0].via[0].name == (
        "hub-mini A.5.19 Information security in supplier relationships"
    )
    assert pair.explanation.startswith(
        "both map to hub-mini A.5.19 Information security in supplier relationships and "
        "hub-mini A.5.21 Managing information security in the ICT supply chain; text similarity"
    )
    assert "text similarity" in pair.explanation
    # the best-supported target of each CSF requirement is the one the hubs say
    for source, target in [("csf-mini:gv.sc-05", "nis2-mini:5.1.1"),
                           ("csf-mini:id.ra-01", "nis2-mini:6.10.1"),
                           ("csf-mini:pr.ds-11", "nis2-mini:12.2")]:  # fmt: skip
        mine = [c for c in found.values() if source in (c.a, c.b) and "nis2-mini" in c.a + c.b]
        best = max(mine, key=lambda c: c.score or 0.0)
        assert {best.a, best.b} == {source, target}
    # a published crosswalk is the publisher's word: nothing is suggested beside it
    sources = {frozenset(map(_source, pair)) for pair in found}
    assert frozenset(("csf-mini", "hub-mini")) not in sources
    assert frozenset(("hub-mini", "nis2-mini")) not in sources
    # where no path reaches, the texts alone speak
    text_only = found[frozenset(("cra-mini:i.1", "oecd-mini:t1"))]
    assert text_only.paths == [] and text_only.explanation.startswith("text similarity")


def test_the_relation_is_composed_along_the_path_and_exported(registry):
    found = _suggested(registry)
    # ID.RA-01 = A.8.8 and 6.10.1 ⊂ A.8.8: ID.RA-01 ⊃ 6.10.1
    vulnerabilities = found[frozenset(("csf-mini:id.ra-01", "nis2-mini:6.10.1"))]
    assert (vulnerabilities.a, vulnerabilities.b) == ("csf-mini:id.ra-01", "nis2-mini:6.10.1")
    assert vulnerabilities.relation is MappingRelation.SUPERSET_OF
    assert vulnerabilities.paths[0].relation is MappingRelation.SUPERSET_OF
    # subset ∘ superset: the two only meet somewhere
    supply = found[frozenset(("csf-mini:gv.sc-05", "nis2-mini:5.1.1"))]
    assert supply.relation is MappingRelation.INTERSECTS_WITH
    decisions.decide(
        system(registry), REC, a="csf-mini:id.ra-01", b="nis2-mini:6.10.1",
        status=DecisionStatus.CONFIRMED, by="co-chair",
    )  # fmt: skip
    maps = [m for x in mapping_collection(registry)["mapping-collection"]["mappings"]
            for m in x["maps"]]  # fmt: skip
    assert [(m["sources"][0]["id-ref"], m["relationship"], m["targets"][0]["id-ref"])
            for m in maps] == [("ID.RA-01", "superset-of", "6.10.1")]  # fmt: skip


def test_rejected_pairs_never_come_back_and_confirmed_pairs_become_evidence(registry, tmp_path):
    rejected = ("csf-mini:rs.ma-01", "nis2-mini:3.1")
    assert frozenset(rejected) in _suggested(registry)
    decisions.decide(system(registry), REC, a=rejected[0], b=rejected[1],
                     status=DecisionStatus.REJECTED, by="co-chair")  # fmt: skip
    # a confirmed pair joins OECD to the CSF: OECD now reaches the hub through it
    decisions.decide(system(registry), REC, a="oecd-mini:t1", b="csf-mini:gv.sc-05",
                     status=DecisionStatus.CONFIRMED, by="co-chair")  # fmt: skip
    report = refresh(system(registry), REC, encoder=ENCODER)
    assert not report.unchanged
    found = _suggested(registry)
    assert frozenset(rejected) not in found
    direct = found[frozenset(("hub-mini:a.5.19", "oecd-mini:t1"))]
    assert [[h.id for h in p.via] for p in direct.paths] == [["csf-mini:gv.sc-05"]]
    through = found[frozenset(("nis2-mini:5.1.1", "oecd-mini:t1"))]  # three steps
    assert [[h.id for h in p.via] for p in through.paths] == [
        ["hub-mini:a.5.19", "csf-mini:gv.sc-05"],
        ["hub-mini:a.5.21", "csf-mini:gv.sc-05"],
    ]
    assert through.explanation.startswith("linked through hub-mini A.5.19")
    assert refresh(system(registry), REC, encoder=ENCODER).unchanged  # nothing changed since


def test_an_import_recomputes_only_the_source_pairs_it_touches(store, tmp_path):
    xr.load(store, tmp_path, crosswalks=False)
    refresh(system(store), REC, encoder=ENCODER)
    before = _runs(store)
    run_import(store, xr.crosswalk(tmp_path, "csf", "hub", xr.CSF_TO_HUB))
    report = refresh(system(store), REC, encoder=ENCODER)
    assert report.embedded == 0
    after = _runs(store)
    # OECD and the CRA are mapped to nothing: their pair is left as it was
    assert after["cra-mini|oecd-mini"] == before["cra-mini|oecd-mini"]
    # the hub's and the CSF's pairs were recomputed (and CSF ↔ hub now has its crosswalk)
    assert after["csf-mini|nis2-mini"] != before["csf-mini|nis2-mini"]
    assert "csf-mini|hub-mini" in before and "csf-mini|hub-mini" not in after
    published = frozenset(("csf-mini:gv.sc-05", "hub-mini:a.5.19"))
    assert published not in _suggested(store)


def _score(found: dict[frozenset[str], Candidate], key: frozenset[str]) -> float:
    """A suggestion's score; 0 when it is not stored (under the floor)."""
    return (found[key].score or 0.0) if key in found else 0.0


def _runs(store: GraphStore) -> dict[str, set[str]]:
    """The refresh runs that wrote each source pair's suggestions."""
    rows = repo.list_pairs(store, REC.value, statuses=["candidate"], min_score=0.0,
                           working_group=None, skip=0, limit=10_000)  # fmt: skip
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["props"]["pair"], set()).add(row["props"]["run"])
    return out


def test_decisions_teach_the_next_refresh(store, tmp_path):
    """A rejected pair weighs down the hub that supported it and the scores of its source
    pair; confirmations raise that pair's scores back. A refresh that ignored decisions
    would leave every score as it was."""
    xr.load(store, tmp_path)
    # OECD T2 is mapped to the vulnerability hub too: it then supports three pairs
    run_import(store, xr.crosswalk(tmp_path, "oecd", "hub", [("t2", "a.8.8", "intersect")]))
    refresh(system(store), REC, encoder=ENCODER)
    before = _suggested(store)
    through = frozenset(("csf-mini:id.ra-01", "oecd-mini:t2"))
    assert [[h.id for h in p.via] for p in before[through].paths] == [["hub-mini:a.8.8"]]
    rejected = ("csf-mini:id.ra-01", "nis2-mini:6.10.1")  # through the same hub
    decisions.decide(system(store), REC, a=rejected[0], b=rejected[1],
                     status=DecisionStatus.REJECTED, by="co-chair")  # fmt: skip
    # the decision keeps the features the pair was suggested with: what the refit reads
    stored = {frozenset((e["a"], e["b"])): e for e in evidence_repo.evidence(store)}
    assert len(json.loads(stored[frozenset(rejected)]["features"])) == len(FEATURES)
    assert stored[frozenset(rejected)]["status"] == "rejected"
    assert not refresh(system(store), REC, encoder=ENCODER).unchanged
    rejecting = _suggested(store)
    assert frozenset(rejected) not in rejecting
    # the hub that supported the rejected pair counts half as much in every path through it
    assert rejecting[through].paths[0].weight == pytest.approx(
        before[through].paths[0].weight / 2, abs=1e-4
    )
    # the other CSF-NIS2 suggestions through the same crosswalks score lower: their
    # source pair and those crosswalks were wrong once (pairs no path supports may rise:
    # the model learnt that paths alone said too much)
    csf_nis2 = [k for k in before if {_source(i) for i in k} == {"csf-mini", "nis2-mini"}
                and before[k].paths]  # fmt: skip
    assert len(csf_nis2) == 4
    for key in csf_nis2:
        if key != frozenset(rejected):  # (or under the floor, no longer stored)
            assert _score(rejecting, key) < _score(before, key), sorted(key)
    # two confirmations there raise the pair's other suggestions again
    confirmed = [("csf-mini:gv.sc-05", "nis2-mini:5.1.1"), ("csf-mini:pr.ds-11", "nis2-mini:12.2")]
    for a, b in confirmed:
        decisions.decide(
            system(store), REC, a=a, b=b, status=DecisionStatus.CONFIRMED, by="co-chair"
        )
    refresh(system(store), REC, encoder=ENCODER)
    confirming = _suggested(store)
    rest = [k for k in csf_nis2 if k != frozenset(rejected) and k not in map(frozenset, confirmed)]
    assert [k for k in rest if k in rejecting]
    for key in rest:
        if key in rejecting:
            assert _score(confirming, key) > _score(rejecting, key), sorted(key)
    assert frozenset(rejected) not in confirming  # still never back
    assert refresh(system(store), REC, encoder=ENCODER).unchanged  # what was learned is stable


def test_a_confirmed_pair_counts_for_its_siblings_and_names_them(store, tmp_path, monkeypatch):
    # a second item under the NIS2 supply-chain section, mapped by no publisher
    item = ("5.1.2", "5.1.2", None, "assess the security practices of direct suppliers and "
            "service providers, including their secure development procedures")  # fmt: skip
    monkeypatch.setitem(xr.FRAMEWORKS, "nis2", [*xr.NIS2, item])
    xr.load(store, tmp_path)
    refresh(system(store), REC, encoder=ENCODER)
    sibling = frozenset(("csf-mini:gv.sc-05", "nis2-mini:5.1.2"))
    before = _suggested(store)
    assert sibling in before and not any(r.get("k") == "beside" for r in before[sibling].reasons)
    decisions.decide(system(store), REC, a="csf-mini:gv.sc-05", b="nis2-mini:5.1.1",
                     status=DecisionStatus.CONFIRMED, by="co-chair")  # fmt: skip
    refresh(system(store), REC, encoder=ENCODER)
    after = _suggested(store)
    assert after[sibling].score > before[sibling].score
    assert {"k": "beside", "ids": ["nis2-mini:5.1.1"]} in after[sibling].reasons
    assert after[sibling].explanation.endswith(
        "; next to the confirmed pair of Technical measures annex (test) 5.1.1"
    )
