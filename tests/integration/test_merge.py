"""Merging a confirmed duplicate, and undoing it exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from analysis import decisions
from graph.browse import repository as browse
from graph.curation import repository as curation
from graph.merging import repository as merging
from graph.nodes import repository as nodes
from graph.relationships.repository import contributions
from graph.store import GraphStore
from schema.errors import Conflict, ValidationFailed
from schema.models import Principle, Recommendation, Signatory, Source, Topic, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support.decided import decide
from tests.support.units import system


@pytest.fixture
def pair(store: GraphStore) -> GraphStore:
    store = store
    nodes.save(store, [f.topic("sbom"), f.topic("cvd")], model=Topic)
    nodes.save(store, [f.principle("p6")], model=Principle)
    nodes.save(store, [f.source()], model=Source)
    nodes.save(
        store,
        [f.recommendation("nist-ssdf:po.1.1"), f.recommendation("nist-ssdf:po.1.2", ref="PO.1.2")],
        model=Recommendation,
    )
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(
        store, [f.signatory("cigref"), f.signatory("cesin"), f.signatory("anssi")], model=Signatory
    )
    now = datetime.now(UTC)
    records = [
        {
            "id": "sbom-pilot",
            "title": "SBOM pilot",
            "language": "en",
            "status": "active",
            "topics": ["sbom"],
            "working_groups": ["wg6"],
            "recommendations": ["nist-ssdf:po.1.1"],
            "contributors": [{"signatory_id": "cigref", "role": "lead"}],
        },
        {
            "id": "nomenclature-pilote",
            "title": "Pilote SBOM",
            "language": "fr",
            "status": "proposed",
            "topics": ["sbom", "cvd"],
            "working_groups": ["wg6", "wg7"],
            "principles": ["p6"],
            "recommendations": ["nist-ssdf:po.1.2"],
            "contributors": [
                {"signatory_id": "cigref", "role": "partner"},
                {"signatory_id": "cesin", "role": "supporter"},
            ],
        },
    ]
    for record in records:
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    return store


def _state(store: GraphStore, id: str) -> dict[str, Any]:
    node = browse.by_ids(store, "Initiative", [id])[id]
    return {
        "props": {k: v for k, v in node.items() if k not in {"version", "updated_at"}},
        "links": sorted(merging.links_of(store, id)),
        "roles": sorted((c.signatory_id, c.role.value) for c in contributions(store, id)),
    }


def _confirm(store: GraphStore) -> None:
    decide(store, "sbom-pilot", "nomenclature-pilote")


def _merge(store: GraphStore, version: int, *, by: str = "x", **more: Any) -> None:
    """Merge the French pilot, read at `version`, into the English one."""
    decisions.merge_initiatives(
        system(store),
        survivor="sbom-pilot",
        merged="nomenclature-pilote",
        merged_version=version,
        by=by,
        **more,
    )


def test_merge_moves_every_link_and_unmerge_restores_both_exactly(pair):
    store = pair
    before = {key: _state(store, key) for key in ("sbom-pilot", "nomenclature-pilote")}
    _confirm(store)
    version = browse.by_ids(store, "Initiative", ["nomenclature-pilote"])["nomenclature-pilote"][
        "version"
    ]
    _merge(store, version, by="co-chair", note="same pilot")
    survivor = _state(store, "sbom-pilot")
    merged = _state(store, "nomenclature-pilote")
    assert merged["links"] == []
    assert merged["props"]["status"] == "archived"
    assert survivor["links"] == sorted(
        {
            ("ADDRESSES", "sbom"),
            ("ADDRESSES", "cvd"),
            ("ADVANCES", "p6"),
            ("TRACKS", "wg6"),
            ("TRACKS", "wg7"),
            ("IMPLEMENTS", "nist-ssdf:po.1.1"),
            ("IMPLEMENTS", "nist-ssdf:po.1.2"),
            ("CONTRIBUTES_TO:lead", "cigref"),
            ("CONTRIBUTES_TO:supporter", "cesin"),
        }
    )
    assert survivor["roles"] == [("cesin", "supporter"), ("cigref", "lead")]  # survivor's role kept
    record = store.read(
        "MATCH (:Initiative {id: 'nomenclature-pilote'})-[m:MERGED_INTO]->(s:Initiative) "
        "RETURN s.id AS survivor, m.note AS note, m.previous_status AS previous"
    )
    assert record == [{"survivor": "sbom-pilot", "note": "same pilot", "previous": "proposed"}]

    version = browse.by_ids(store, "Initiative", ["nomenclature-pilote"])["nomenclature-pilote"][
        "version"
    ]
    decisions.unmerge_initiative(
        system(store), merged="nomenclature-pilote", merged_version=version
    )
    after = {key: _state(store, key) for key in ("sbom-pilot", "nomenclature-pilote")}
    assert after == before


def test_merge_needs_a_confirmed_duplicate_and_the_current_version(pair):
    store = pair
    with pytest.raises(ValidationFailed) as info:
        _merge(store, 1)
    assert "confirm" in str(info.value)
    _confirm(store)
    with pytest.raises(Conflict) as stale:
        _merge(store, 7)
    assert stale.value.current_version == 1
    assert _state(store, "nomenclature-pilote")["props"]["status"] == "proposed"
    assert len(_state(store, "nomenclature-pilote")["links"]) == 8


def test_unmerge_of_an_initiative_that_was_not_merged_is_refused(pair):
    with pytest.raises(ValidationFailed):
        decisions.unmerge_initiative(system(pair), merged="sbom-pilot", merged_version=1)
