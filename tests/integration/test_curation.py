"""Curation use cases on every backend: the statements behind the mutations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graph.audit import UnitOfWork
from graph.audit import repository as audit_log
from graph.browse import repository as browse
from graph.curation import repository as curation
from graph.curation import service
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.access import Actor, Role
from schema.errors import Conflict, NotFound, ValidationFailed
from schema.events import AuditAction
from schema.models import Initiative, Recommendation, Signatory, Topic, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support.units import system

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def seed(store: GraphStore) -> None:
    nodes.save(store, [f.topic("sbom")], model=Topic)
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref")], model=Signatory)


def record(**kw: object) -> InitiativeRecord:
    base = {"id": "i1", "title": "SBOM pilot", "language": "en"}
    return InitiativeRecord.model_validate(base | kw)


def test_create_with_links_in_one_statement(store: GraphStore) -> None:
    seed(store)
    made = curation.create_initiative(
        system(store),
        record(
            topics=["sbom"],
            working_groups=["wg6"],
            contributors=[{"signatory_id": "cigref", "role": "lead"}],
        ),
        now=NOW,
    )
    assert (made.version, made.created_at) == (1, NOW)
    around = {
        name: [(n["id"], r) for n, r in browse.neighbours_of(store, name, ["i1"])["i1"]]
        for name in ("initiative_topics", "initiative_working_groups", "initiative_contributors")
    }
    assert around == {
        "initiative_topics": [("sbom", {})],
        "initiative_working_groups": [("wg6", {})],
        "initiative_contributors": [("cigref", {"role": "lead"})],
    }


def test_unknown_target_writes_nothing(store: GraphStore) -> None:
    seed(store)
    with pytest.raises(ValidationFailed) as caught:
        curation.create_initiative(system(store), record(topics=["sbom", "nope"]), now=NOW)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("topics[1]", "unknown topic 'nope'")
    ]
    assert nodes.count(store, Initiative) == 0


def test_stale_version_is_a_conflict_and_changes_nothing(store: GraphStore) -> None:
    seed(store)
    curation.create_initiative(system(store), record(), now=NOW)
    later = datetime(2026, 11, 23, tzinfo=UTC)
    edit = service.update_initiative(
        system(store), "i1", version=1, changes={"title": "New"}, now=later
    )
    updated = edit.initiative
    assert edit.changed is True
    assert (updated.version, updated.title, updated.updated_at) == (2, "New", later)
    with pytest.raises(Conflict) as caught:
        service.update_initiative(
            system(store), "i1", version=1, changes={"title": "Lost"}, now=later
        )
    assert caught.value.current_version == 2
    assert nodes.load(store, Initiative, ["i1"])["i1"].title == "New"
    with pytest.raises(NotFound):
        service.update_initiative(
            system(store), "ghost", version=1, changes={"title": "x"}, now=later
        )


def test_an_update_that_changes_nothing_writes_nothing(store: GraphStore) -> None:
    seed(store)
    curation.create_initiative(system(store), record(summary="Same words"), now=NOW)
    later = datetime(2026, 11, 23, tzinfo=UTC)
    same = {"title": "SBOM pilot", "summary": "Same words", "language": "en"}
    co_chair = Actor(name="cc", role=Role.CO_CHAIR, working_groups=frozenset({"wg6"}))
    work = UnitOfWork(store, co_chair, AuditAction.EDIT_INITIATIVE)
    edit = service.update_initiative(work, "i1", version=1, changes=same, now=later)
    assert edit.changed is False
    assert (edit.initiative.version, edit.initiative.updated_at) == (1, NOW)
    assert nodes.load(store, Initiative, ["i1"])["i1"].version == 1
    assert (audit_log.count(store, target="i1"), work.event) == (0, None)
    # A stale version is a conflict even when the change is already made.
    service.update_initiative(system(store), "i1", version=1, changes={"title": "New"}, now=later)
    with pytest.raises(Conflict) as caught:
        service.update_initiative(
            system(store), "i1", version=1, changes={"title": "New"}, now=later
        )
    assert caught.value.current_version == 2
    # Archiving an archived initiative changes nothing either.
    assert service.archive_initiative(system(store), "i1", version=2, now=later).changed is True
    again = service.archive_initiative(system(store), "i1", version=3, now=later)
    assert (again.changed, again.initiative.version) == (False, 3)


def test_link_unlink_round_trip(store: GraphStore) -> None:
    seed(store)
    curation.create_initiative(system(store), record(), now=NOW)
    service.link_initiative(
        system(store), initiative_id="i1", label="WorkingGroup", target_id="wg6"
    )
    assert [
        n["id"] for n, _ in browse.neighbours_of(store, "working_group_initiatives", ["wg6"])["wg6"]
    ] == ["i1"]
    assert service.unlink_initiative(
        system(store), initiative_id="i1", label="WorkingGroup", target_id="wg6"
    )
    assert not service.unlink_initiative(
        system(store), initiative_id="i1", label="WorkingGroup", target_id="wg6"
    )


def test_initiatives_are_written_in_english_or_french(store: GraphStore) -> None:
    """Every door that writes an initiative takes the languages its template names;
    recommendation sets keep the language their publisher wrote them in."""
    seed(store)
    refused = "'de' is not a language of the registry's initiatives: en or fr (English, français)"
    with pytest.raises(ValidationFailed) as caught:
        service.create_initiative(system(store), {"title": "SBOM-Pilot", "language": "de"}, NOW)
    assert [(p.field, p.message) for p in caught.value.problems] == [("language", refused)]
    made = service.create_initiative(
        system(store), {"id": "i1", "title": "SBOM", "language": "fr"}, NOW
    )
    with pytest.raises(ValidationFailed) as caught:
        service.update_initiative(
            system(store), "i1", version=1, changes={"language": "de"}, now=NOW
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [("language", refused)]
    assert nodes.load(store, Initiative, ["i1"])["i1"] == made
    kept = Recommendation(id="bsi:1", source_id="bsi", ref="1", language="de")
    assert kept.language == "de"
