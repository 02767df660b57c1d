"""Topics suggested for recommendations that carry none, and accepting them."""

from __future__ import annotations

from pathlib import Path

from analysis import topics
from analysis.encoder import Encoder
from graph.audit import UnitOfWork
from graph.store import GraphStore
from importers.pipeline import run_import
from importers.seed import seed
from schema.access import Actor, Role
from schema.events import AuditAction

DATA = Path(__file__).resolve().parents[1] / "data"


def _topics_of(store: GraphStore, rid: str) -> list[str]:
    rows = store.read(
        "MATCH (:Recommendation {id: $id})-[:ADDRESSES]->(t:Topic) RETURN t.id AS t ORDER BY t",
        {"id": rid},
    )
    return [r["t"] for r in rows]


def test_untagged_recommendations_get_topics_a_person_accepts(store: GraphStore) -> None:
    seed(store, demo=False)  # the bundled taxonomy, in both languages
    before = topics.untagged_by_source(store)
    report = run_import(store, DATA / "catalog-v1.json")  # an OSCAL catalog: no topics
    source = report.source_id
    missing = topics.untagged_by_source(store)
    # the three requirements (SC.1.1, SC.1.2, VD.1); the headings above them need no topic
    assert missing[source] == 3 and {k: v for k, v in missing.items() if k != source} == before
    suggested = topics.suggest(store, encoder=Encoder())
    assert suggested.untagged == sum(missing.values())
    found = topics.suggestions(store)[source]
    by_record: dict[str, list[str]] = {}
    for s in found:
        by_record.setdefault(s.recommendation, []).append(s.topic)
    assert all(1 <= len(t) <= topics.PER_RECOMMENDATION for t in by_record.values())
    policy = f"{source}:vd.1"  # "Publish how to report vulnerabilities."
    assert by_record[policy][0] == "vulnerability-disclosure", by_record[policy]
    inventory = f"{source}:sc.1.1"  # "List every supplier of software."
    assert "supplier-risk" in by_record[inventory], by_record[inventory]

    co_chair = Actor(name="cochair", role=Role.CO_CHAIR, working_groups=frozenset({"wg6"}))
    work = UnitOfWork(store, co_chair, AuditAction.ACCEPT_TOPICS)
    accepted = topics.accept(work, [(policy, "vulnerability-disclosure"), (inventory, "sbom")])
    # Only the suggested pair is accepted: 'sbom' was not suggested for the inventory.
    expected_inventory = [] if "sbom" not in by_record[inventory] else ["sbom"]
    assert accepted == 1 + len(expected_inventory)
    assert _topics_of(store, policy) == ["vulnerability-disclosure"]
    assert _topics_of(store, inventory) == expected_inventory
    assert topics.untagged_by_source(store)[source] == 3 - accepted
    # A tagged recommendation has no suggestions left, and the change is audited.
    left = {s.recommendation for s in topics.suggestions(store)[source]}
    assert policy not in left
    events = store.read(
        "MATCH (e:AuditEvent {action: 'accept_topics'}) RETURN e.actor AS a, e.targets AS t"
    )
    assert len(events) == 1 and events[0]["a"] == "cochair" and policy in events[0]["t"]
