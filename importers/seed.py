"""The bundled reference data (principles, topics, working groups) and demo content."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from graph.collaboration import repository as proposals
from graph.links import repository as links
from graph.nodes import repository as nodes
from graph.relationships import repository as relationships
from graph.store import GraphStore
from importers.pipeline import run_import
from importers.validation import validate_all
from schema.collaboration import Call
from schema.errors import Problem, ValidationFailed
from schema.kinds import settable
from schema.models import Initiative, Principle, Signatory, Topic, WorkingGroup
from schema.records import InitiativeRecord
from schema.relationships import Contribution, Membership

REFERENCE = "reference.yaml"
DEMO = "demo.yaml"
# Recommendation sets shipped with the registry, in the project's own format.
SOURCE_FILES = (
    "oecd-0481.yaml",
    "oecd-0482.yaml",
    "geneva-dialogue-2020.yaml",
    "geneva-manual-2023.yaml",
    "cisa-secure-by-design.yaml",
    "eu-cra-annex-i.yaml",
    "charter-of-trust.yaml",
    "tech-accord.yaml",
)


def _read(name: str) -> dict[str, Any]:
    text = resources.files("importers").joinpath("data", name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else {}


def _items(data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{key}[{i}]", item) for i, item in enumerate(data.get(key) or [])]


def seed(store: GraphStore, *, demo: bool = True) -> dict[str, int]:
    """Validate every bundled record first, then write them; returns counts per kind."""
    problems: list[Problem] = []
    reference = _read(REFERENCE)
    principles = validate_all(
        Principle, _items(reference, "principles"), file=REFERENCE, problems=problems
    )
    topics = validate_all(Topic, _items(reference, "topics"), file=REFERENCE, problems=problems)
    groups = validate_all(
        WorkingGroup, _items(reference, "working_groups"), file=REFERENCE, problems=problems
    )
    signatories: list[Signatory] = []
    memberships: list[Membership] = []
    initiatives: list[InitiativeRecord] = []
    calls: list[Call] = []
    if demo:
        content = _read(DEMO)
        signatories = validate_all(
            Signatory, _items(content, "signatories"), file=DEMO, problems=problems
        )
        memberships = validate_all(
            Membership, _items(content, "memberships"), file=DEMO, problems=problems
        )
        initiatives = validate_all(
            InitiativeRecord, _items(content, "initiatives"), file=DEMO, problems=problems
        )
        calls = validate_all(Call, _items(content, "calls"), file=DEMO, problems=problems)
    if problems:
        raise ValidationFailed(problems)

    nodes.save(store, principles, model=Principle)
    nodes.save(store, topics, model=Topic)
    nodes.save(store, groups, model=WorkingGroup)
    recommendations = 0
    for name in SOURCE_FILES:
        with resources.as_file(
            resources.files("importers").joinpath("data", "sources", name)
        ) as path:
            report = run_import(store, Path(path), actor="pariscall seed", role="system")
            recommendations += sum(report.counts()[k] for k in ("created", "updated", "unchanged"))
    nodes.save(store, signatories, model=Signatory)
    nodes.save(store, [r.initiative() for r in initiatives], model=Initiative)
    relationships.save_memberships(store, memberships)
    relationships.save_contributions(
        store,
        [
            Contribution(signatory_id=c.signatory_id, initiative_id=r.id, role=c.role)
            for r in initiatives
            for c in r.contributors
        ],
    )
    for relation in settable("Initiative"):
        if relation.roles is None:
            pairs = [(r.id, x) for r in initiatives for x in r.targets(relation)]
            links.link_through(store, "Initiative", relation, pairs)
    proposals.save_calls(store, calls)
    return {
        "principles": len(principles),
        "topics": len(topics),
        "working_groups": len(groups),
        "sources": len(SOURCE_FILES),
        "recommendations": recommendations,
        "signatories": len(signatories),
        "initiatives": len(initiatives),
        "memberships": len(memberships),
    }


def seed_if_empty(store: GraphStore) -> bool:
    """Seed reference and demo data into a graph that has no principles yet."""
    if nodes.count(store, Principle) > 0:
        return False
    seed(store, demo=True)
    return True
