"""Published crosswalks (CISO Assistant mapping libraries, OSCAL mapping collections)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis import decisions
from analysis.duplicates import refresh
from analysis.encoder import Encoder
from graph.store import GraphStore
from importers.pipeline import detect, run_import
from schema.enums import CandidateKind, DecisionStatus
from schema.errors import ValidationFailed
from tests.support.units import system

DATA = Path(__file__).resolve().parents[1] / "data"
R = "urn:test:risk:req_node:guide-chaine"
S = "urn:test:risk:req_node:sc-practices"


def _framework(tmp_path: Path) -> Path:
    """An English CISO Assistant library whose requirements echo library-fr.yaml's."""
    library = {
        "urn": "urn:test:risk:library:sc-practices",
        "locale": "en",
        "ref_id": "sc-practices-2.0",
        "name": "Supply-chain practices (test)",
        "provider": "Test agency",
        "version": 2,
        "objects": {
            "framework": {
                "urn": "urn:test:risk:framework:sc-practices",
                "ref_id": "sc-practices",
                "name": "Supply-chain practices",
                "requirement_nodes": [
                    {"urn": f"{S}:a", "ref_id": "A", "name": "Know your suppliers",
                     "description": "Keep a list of suppliers and what they can reach."},
                    {"urn": f"{S}:a.1", "parent_urn": f"{S}:a", "ref_id": "A.1",
                     "description": "Ask for a software bill of materials with every delivery."},
                    {"urn": f"{S}:b", "ref_id": "B", "name": "Disclosure",
                     "description": "Publish how vulnerability reports are handled."},
                ],
            }
        },
    }  # fmt: skip
    path = tmp_path / "sc-practices.yaml"
    path.write_text(yaml.safe_dump(library, allow_unicode=True), encoding="utf-8")
    return path


def _mapping(tmp_path: Path, pairs: list[dict[str, Any]], *, plural: bool = True) -> Path:
    mapping_set = {
        "urn": "urn:test:risk:req_mapping_set:fr-to-en",
        "ref_id": "fr-to-en",
        "source_framework_urn": "urn:test:risk:framework:guide-chaine",
        "target_framework_urn": "urn:test:risk:framework:sc-practices",
        "requirement_mappings": pairs,
    }
    objects = (
        {"requirement_mapping_sets": [mapping_set]}
        if plural
        else {"requirement_mapping_set": mapping_set}
    )
    library = {
        "urn": "urn:test:risk:library:mapping-fr-to-en",
        "locale": "en",
        "ref_id": "mapping-fr-to-en",
        "name": "guide-chaine <-> sc-practices",
        "provider": "Test agency",
        "version": 1,
        "objects": objects,
    }
    path = tmp_path / f"mapping-{'sets' if plural else 'set'}.yaml"
    path.write_text(yaml.safe_dump(library), encoding="utf-8")
    return path


PAIRS = [
    {"source_requirement_urn": f"{R}:r1", "target_requirement_urn": f"{S}:a",
     "relationship": "equal", "rationale": "semantic", "strength_of_relationship": 9,
     "annotation": "same requirement"},
    {"source_requirement_urn": f"{R}:r1.1", "target_requirement_urn": f"{S}:a.1",
     "relationship": "subset"},
    {"source_requirement_urn": f"{R}:r1.1", "target_requirement_urn": f"{S}:b",
     "relationship": "not_related"},
]  # fmt: skip


def _maps(store: GraphStore) -> list[tuple[str, str, str, str]]:
    rows = store.read(
        "MATCH (a:Recommendation)-[r:MAPS_TO]->(b:Recommendation) "
        "RETURN a.id AS a, b.id AS b, r.relation AS relation, r.status AS status ORDER BY a, b"
    )
    return [(r["a"], r["b"], r["relation"], r["status"]) for r in rows]


def test_a_mapping_whose_frameworks_are_missing_lists_every_end(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _mapping(tmp_path, PAIRS)
    assert detect(path) == "ciso-mapping"
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, path)
    shown = [(p.field, p.message) for p in caught.value.problems]
    assert len(shown) == 4  # two ends of two related pairs; the unrelated pair is not checked
    assert shown[0] == (
        "objects.requirement_mapping_sets[0].requirement_mappings[0] (source)",
        f"no imported recommendation has the URN {R}:r1 (import its framework first)",
    )
    assert _maps(store) == []


def test_a_ciso_mapping_library_publishes_its_pairs(store: GraphStore, tmp_path: Path) -> None:
    run_import(store, DATA / "library-fr.yaml")
    run_import(store, _framework(tmp_path))
    report = run_import(store, _mapping(tmp_path, PAIRS), actor="importer-1")
    assert report.kind == "mappings" and report.skipped == 1  # not_related
    assert report.created == [
        "guide-chaine-1.0:r1 → sc-practices-2.0:a",
        "guide-chaine-1.0:r1.1 → sc-practices-2.0:a.1",
    ]
    assert _maps(store) == [
        ("guide-chaine-1.0:r1", "sc-practices-2.0:a", "equal", "published"),
        ("guide-chaine-1.0:r1.1", "sc-practices-2.0:a.1", "subset_of", "published"),
    ]
    props = store.read(
        "MATCH (:Recommendation {id: 'guide-chaine-1.0:r1'})-[r:MAPS_TO]->() RETURN r {.*} AS p"
    )[0]["p"]
    assert props["mapping"] == "urn:test:risk:library:mapping-fr-to-en"
    assert (props["confidence"], props["note"], props["rationale"]) == (
        0.9,
        "same requirement",
        "semantic",
    )
    assert props["import_run"] == report.run_id
    run = store.read(
        "MATCH (r:ImportRun {id: $id}) RETURN r.status AS s, r.actor AS actor, r.created AS n",
        {"id": report.run_id},
    )[0]
    assert (run["s"], run["actor"], run["n"]) == ("published", "importer-1", 2)
    events = store.read("MATCH (e:AuditEvent {action: 'import_mappings'}) RETURN e.targets AS t")
    assert len(events) == 1 and "sc-practices-2.0:a.1" in events[0]["t"]
    again = run_import(store, _mapping(tmp_path, PAIRS, plural=False))
    assert (again.created, again.updated, again.unchanged) == ([], [], 2)
    # A library that publishes the set both ways (CISO Assistant's "-revert" sets) holds
    # the same two links, each seen from its other end with the converse relation.
    revert = [
        {"source_requirement_urn": p["target_requirement_urn"],
         "target_requirement_urn": p["source_requirement_urn"],
         "relationship": {"subset": "superset"}.get(p["relationship"], p["relationship"])}
        for p in PAIRS
    ]  # fmt: skip
    both = run_import(store, _mapping(tmp_path, PAIRS + revert))
    assert (both.created, both.unchanged) == ([], 2)
    assert any("other way round" in w and w.split(": ")[1].startswith("2 ") for w in both.warnings)
    assert len(_maps(store)) == 2


def test_suggestions_never_repropose_a_published_pair_and_decisions_stand(
    store: GraphStore, tmp_path: Path
) -> None:
    run_import(store, DATA / "library-fr.yaml")
    run_import(store, _framework(tmp_path))
    refresh(system(store), CandidateKind.RECOMMENDATION, encoder=Encoder())
    suggested = {
        frozenset((c.a, c.b))
        for c in decisions.list_candidates(
            store, CandidateKind.RECOMMENDATION, statuses=[DecisionStatus.CANDIDATE],
            min_score=0.0,
        )
    }  # fmt: skip
    pair = frozenset(("guide-chaine-1.0:r1.1", "sc-practices-2.0:a.1"))
    assert pair in suggested  # the SBOM requirement in both languages
    decisions.decide(
        system(store), CandidateKind.RECOMMENDATION,
        a="guide-chaine-1.0:r1", b="sc-practices-2.0:a",
        status=DecisionStatus.REJECTED, by="cochair",
    )  # fmt: skip
    report = run_import(store, _mapping(tmp_path, PAIRS))
    assert report.created == ["guide-chaine-1.0:r1.1 → sc-practices-2.0:a.1"]
    assert any("already decided" in w and "r1 → sc-practices-2.0:a" in w for w in report.warnings)
    refresh(system(store), CandidateKind.RECOMMENDATION, encoder=Encoder())
    maps = _maps(store)
    assert ("guide-chaine-1.0:r1.1", "sc-practices-2.0:a.1", "subset_of", "published") in maps
    between = [m for m in maps if frozenset(m[:2]) == pair]
    assert len(between) == 1  # the suggestion became the published link, no second one
    rejected = [m for m in maps if m[:2] == ("guide-chaine-1.0:r1", "sc-practices-2.0:a")]
    assert [m[3] for m in rejected] == ["rejected"]


def test_an_oscal_mapping_collection_publishes_its_pairs(store: GraphStore, tmp_path: Path) -> None:
    run_import(store, DATA / "library-fr.yaml")
    run_import(store, _framework(tmp_path))
    collection = {
        "mapping-collection": {
            "uuid": "7a0c1f0e-1111-4c2b-9a7e-3f5d2b1c0a99",
            "metadata": {"title": "Test crosswalk", "version": "1.0",
                         "parties": [{"name": "Test agency"}]},
            "mappings": [
                {
                    "source-resource": {
                        "type": "catalog", "href": "#",
                        "props": [{"name": "source-id", "value": "guide-chaine-1.0"}],
                    },
                    "target-resource": {"type": "catalog", "href": "#"},
                    "maps": [
                        {"relationship": "superset-of", "matching-rationale": "functional",
                         "sources": [{"type": "control", "id-ref": "R1"}],
                         "targets": [{"type": "control", "id-ref": "A.1"}],
                         "confidence-score": {"percentage": 0.75}},
                        {"relationship": "same-as",
                         "sources": [{"type": "control", "id-ref": "R1"}],
                         "targets": [{"type": "control", "id-ref": "B"}]},
                    ],
                }
            ],
        }
    }  # fmt: skip
    path = tmp_path / "crosswalk.json"
    path.write_text(json.dumps(collection), encoding="utf-8")
    assert detect(path) == "oscal-mapping"
    with pytest.raises(ValidationFailed, match="'same-as' is not a relationship"):
        run_import(store, path)
    collection["mapping-collection"]["mappings"][0]["maps"].pop()
    path.write_text(json.dumps(collection), encoding="utf-8")
    report = run_import(store, path)
    assert report.created == ["guide-chaine-1.0:r1 → sc-practices-2.0:a.1"]
    assert _maps(store) == [
        ("guide-chaine-1.0:r1", "sc-practices-2.0:a.1", "superset_of", "published")
    ]


SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/datasets is not beside the project")
def test_the_published_ccf_to_ssdf_crosswalk_loads_whole(store: GraphStore) -> None:
    run_import(store, SHARED / "ciso-assistant-cisco-ccf-v3.0.yaml")
    run_import(store, SHARED / "ciso-assistant-nist-ssdf-1.1.yaml")
    mapping = SHARED / "ciso-assistant-mapping-cisco-ccf-v3.0-and-nist-ssdf-1.1.yaml"
    assert detect(mapping) == "ciso-mapping"
    report = run_import(store, mapping)
    # The library publishes the 162 pairs twice, CCF to SSDF and SSDF to CCF: one link each.
    assert (len(report.created), report.skipped) == (162, 0)
    statuses = store.read(
        "MATCH (a:Recommendation)-[r:MAPS_TO]->(b:Recommendation) "
        "RETURN r.status AS s, r.relation AS rel, a.source_id AS a, b.source_id AS b, "
        "count(*) AS n"
    )
    assert [(r["s"], r["rel"], r["a"], r["b"], r["n"]) for r in statuses] == [
        ("published", "intersects_with", "cisco-ccf-v3.0", "nist-ssdf-1.1", 162)
    ]
