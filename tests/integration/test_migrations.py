"""Data migrations on both engines: applied in order and once, recorded with their
checksums, refused when a recorded step changed or is unknown, applied by one process
while the others wait, and taken up again after a failure.

The steps here are written for the tests (on Topic nodes); the product's own steps run on
a registry stored by an earlier version in test_upgrade.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.errors import GraphQueryError, MigrationRefused
from graph.falkordb_store import FalkorStore
from graph.migrations import ledger, runner, steps
from graph.migrations.runner import migrate, status, upgrade
from graph.migrations.steps import Step
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from tests.support.threads import at_once

LABEL_EN = Step(
    1,
    "topics_label_en",
    "Topics keep an English label beside their name.",
    (
        "MATCH (t:Topic) WHERE t.name_en IS NOT NULL AND t.label_en IS NULL "
        "SET t.label_en = t.name_en RETURN count(t) AS changed",
    ),
)
# Reads what the first step wrote: applied in the other order, it would change nothing.
LABEL_SHOUTED = Step(
    2,
    "topics_label_shouted",
    "Topics keep their English label in capitals.",
    (
        "MATCH (t:Topic) WHERE t.label_en IS NOT NULL AND t.shouted IS NULL "
        "SET t.shouted = toUpper(t.label_en) RETURN count(t) AS changed",
    ),
)
# Not idempotent on purpose: the count shows how many times it ran.
COUNT_RUNS = Step(
    1,
    "count_runs",
    "Counts its own runs.",
    (
        "MERGE (c:Topic {id: 'migration-runs'}) "
        "SET c.runs = coalesce(c.runs, 0) + 1 RETURN 1 AS changed",
    ),
)


def topics(store: GraphStore, *names: str) -> None:
    store.write(
        "UNWIND $names AS name CREATE (:Topic {id: toLower(name), name_en: name})",
        {"names": list(names)},
    )


def shouted(store: GraphStore) -> dict[str, str | None]:
    rows = store.read("MATCH (t:Topic) RETURN t.id AS id, t.shouted AS shouted ORDER BY id")
    return {row["id"]: row["shouted"] for row in rows}


def another(store: GraphStore) -> GraphStore:
    """A store of its own on the same graph, as another worker process opens it."""
    if isinstance(store, FalkorStore):
        return FalkorStore(host=store.host, port=store.port, graph=store.graph_name)
    assert isinstance(store, Neo4jStore)
    return Neo4jStore(
        url=store.url,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=store.database,
    )


@pytest.fixture
def workers(store: GraphStore) -> Iterator[list[GraphStore]]:
    opened = [another(store) for _ in range(4)]
    yield opened
    for worker in opened:
        worker.close()


def test_pending_steps_apply_in_order_and_are_recorded(store: GraphStore) -> None:
    topics(store, "Sbom", "Procurement", "Disclosure")
    report = migrate(store, [LABEL_SHOUTED, LABEL_EN])
    assert [(a.version, a.name, a.changed) for a in report.applied] == [
        (1, "topics_label_en", 3),
        (2, "topics_label_shouted", 3),
    ]
    assert shouted(store) == {"disclosure": "DISCLOSURE", "procurement": "PROCUREMENT",
                              "sbom": "SBOM"}  # fmt: skip
    recorded = ledger.applied(store)
    assert {v: (r.name, r.checksum, r.changed) for v, r in recorded.items()} == {
        1: ("topics_label_en", LABEL_EN.checksum, 3),
        2: ("topics_label_shouted", LABEL_SHOUTED.checksum, 3),
    }
    assert ledger.lock_holder(store) is None
    assert [(s.version, s.state) for s in status(store, [LABEL_EN, LABEL_SHOUTED])] == [
        (1, "applied"),
        (2, "applied"),
    ]


def test_with_nothing_pending_a_start_costs_one_read_and_changes_nothing(
    store: GraphStore,
) -> None:
    topics(store, "Sbom")
    migrate(store, [LABEL_EN])
    store.write("MATCH (t:Topic {id: 'sbom'}) SET t.label_en = 'kept as edited'")
    before = store.round_trips
    report = migrate(store, [LABEL_EN])
    assert (report.applied, report.already) == ([], 1)
    assert store.round_trips - before == 1
    assert store.read("MATCH (t:Topic {id: 'sbom'}) RETURN t.label_en AS l") == [
        {"l": "kept as edited"}
    ]


def test_a_step_added_later_applies_alone(store: GraphStore) -> None:
    topics(store, "Sbom")
    migrate(store, [LABEL_EN])
    report = migrate(store, [LABEL_EN, LABEL_SHOUTED])
    assert [a.version for a in report.applied] == [2] and report.already == 1
    assert [(s.version, s.state) for s in status(store, [LABEL_EN, LABEL_SHOUTED])] == [
        (1, "applied"),
        (2, "applied"),
    ]


def test_a_step_changed_after_it_ran_stops_the_start_and_names_it(store: GraphStore) -> None:
    topics(store, "Sbom")
    migrate(store, [LABEL_EN])
    # A second statement added to a step that has run somewhere.
    edited = Step(1, LABEL_EN.name, LABEL_EN.description, (*LABEL_EN.statements,
                  "MATCH (t:Topic) SET t.label_en = 'x' RETURN count(t) AS changed"))  # fmt: skip
    with pytest.raises(MigrationRefused) as refused:
        migrate(store, [edited, LABEL_SHOUTED])
    message = str(refused.value)
    assert "migration 1 (topics_label_en) changed after it was applied" in message
    assert LABEL_EN.checksum in message and edited.checksum in message
    assert shouted(store) == {"sbom": None}  # the next step did not run
    assert [s.state for s in status(store, [edited, LABEL_SHOUTED])] == [
        "changed since applied",
        "pending",
    ]


def test_a_graph_upgraded_by_a_newer_version_is_refused(store: GraphStore) -> None:
    topics(store, "Sbom")
    migrate(store, [LABEL_EN, LABEL_SHOUTED])
    with pytest.raises(MigrationRefused, match=r"records migration 2 \(topics_label_shouted\)"):
        migrate(store, [LABEL_EN])
    assert [(s.version, s.state) for s in status(store, [LABEL_EN])] == [
        (1, "applied"),
        (2, "unknown to this version"),
    ]


def test_a_failing_step_is_not_recorded_and_runs_at_the_next_start(store: GraphStore) -> None:
    topics(store, "Sbom")
    broken = Step(2, LABEL_SHOUTED.name, LABEL_SHOUTED.description,
                  ("MATCH (t:Topic) SET t.shouted = RETURN count(t) AS changed",))  # fmt: skip
    with pytest.raises(GraphQueryError):
        migrate(store, [LABEL_EN, broken])
    assert sorted(ledger.applied(store)) == [1]
    assert ledger.lock_holder(store) is None  # released on the way out
    report = migrate(store, [LABEL_EN, LABEL_SHOUTED])
    assert [a.version for a in report.applied] == [2]
    assert shouted(store) == {"sbom": "SBOM"}


def test_a_batched_step_runs_until_it_changes_nothing(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    topics(store, *(f"Topic{n:02}" for n in range(25)))
    monkeypatch.setattr(runner, "BATCH", 10)
    batched = Step(
        1,
        "topics_label_en",
        "In batches.",
        (
            "MATCH (t:Topic) WHERE t.label_en IS NULL WITH t LIMIT $batch "
            "SET t.label_en = t.name_en RETURN count(t) AS changed",
        ),
        batched=True,
    )
    report = migrate(store, [batched])
    assert report.applied[0].changed == 25  # three batches of ten at most, then none
    assert store.read("MATCH (t:Topic) WHERE t.label_en IS NULL RETURN count(t) AS n") == [{"n": 0}]


def test_the_lock_has_one_owner_until_released_or_expired(store: GraphStore) -> None:
    at = "2026-11-22T09:00:00+00:00"
    assert ledger.take_lock(store, "worker a", ttl=60, at=at)
    assert not ledger.take_lock(store, "worker b", ttl=60, at=at)
    assert (ledger.lock_holder(store) or {})["owner"] == "worker a"
    ledger.release_lock(store, "worker b")  # not its lock: nothing happens
    assert (ledger.lock_holder(store) or {})["owner"] == "worker a"
    assert ledger.renew_lock(store, "worker a", ttl=-1)  # now expired: a crashed owner
    assert not ledger.renew_lock(store, "worker b", ttl=60)
    assert ledger.take_lock(store, "worker b", ttl=60, at=at)
    assert not ledger.take_lock(store, "worker a", ttl=60, at=at)
    ledger.release_lock(store, "worker b")
    assert ledger.lock_holder(store) is None
    assert store.read("MATCH (l:SchemaInfo {id: 'migration-lock'}) RETURN count(l) AS n") == [
        {"n": 0}
    ]


def test_a_start_that_cannot_have_the_lock_names_who_holds_it(store: GraphStore) -> None:
    topics(store, "Sbom")
    assert ledger.take_lock(store, "host-a pid 4242", ttl=60, at="2026-11-22T09:00:00+00:00")
    with pytest.raises(MigrationRefused, match="applied by host-a pid 4242 since 2026-11-22"):
        migrate(store, [LABEL_EN], wait=0)
    assert ledger.applied(store) == {} and shouted(store) == {"sbom": None}


def test_workers_starting_at_once_apply_each_step_once(workers: list[GraphStore]) -> None:
    reports = at_once(lambda worker: migrate(worker, [COUNT_RUNS]), workers)
    assert all(isinstance(r, runner.Report) for r in reports), reports
    applied = [a.version for r in reports if isinstance(r, runner.Report) for a in r.applied]
    assert applied == [1]
    assert workers[0].read("MATCH (c:Topic {id: 'migration-runs'}) RETURN c.runs AS runs") == [
        {"runs": 1}
    ]
    assert ledger.lock_holder(workers[0]) is None


def test_the_service_applies_pending_steps_when_it_starts(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    topics(store, "Sbom")
    monkeypatch.setattr(steps, "STEPS", (LABEL_EN, LABEL_SHOUTED))
    with TestClient(create_app(Settings(webhook_dispatch=False), store=store)) as client:
        assert client.get("/health").status_code == 200
        assert shouted(store) == {"sbom": "SBOM"}
    changed = Step(2, LABEL_SHOUTED.name, "", ("MATCH (t:Topic) RETURN 0 AS changed",))
    monkeypatch.setattr(steps, "STEPS", (LABEL_EN, changed))
    with (
        pytest.raises(MigrationRefused, match=r"migration 2 \(topics_label_shouted\) changed"),
        TestClient(create_app(Settings(webhook_dispatch=False), store=store)),
    ):
        pass


def test_workers_starting_at_once_on_a_graph_without_its_indexes_all_start(
    store: GraphStore,
) -> None:
    """A version that adds an index meets a graph without it: every worker's start tries
    to create it, and none may fail because another one did first."""
    workers = bare_graph_workers(store, 4)
    try:
        answers = at_once(lambda worker: upgrade(worker, [COUNT_RUNS]), workers)
        assert all(isinstance(a, runner.Report) for a in answers), answers
        assert workers[0].read("MATCH (c:Topic {id: 'migration-runs'}) RETURN c.runs AS n") == [
            {"n": 1}
        ]
    finally:
        for worker in workers:
            if worker is not store:
                worker.close()


def bare_graph_workers(store: GraphStore, n: int) -> list[GraphStore]:
    """Stores of `n` workers on a graph with no index nor unique key yet. Engine-specific
    set-up: a new graph of the embedded engine starts bare; Neo4j's one database loses
    its indexes here (the `store` fixture applies them again for the next test)."""
    if isinstance(store, FalkorStore):
        name = f"{store.graph_name}_bare"
        workers = [FalkorStore(host=store.host, port=store.port, graph=name) for _ in range(n)]
        workers[0].write("RETURN 0")
        return workers
    for row in store.read("SHOW CONSTRAINTS YIELD name RETURN name"):
        store.write(f"DROP CONSTRAINT {row['name']}")
    for row in store.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        store.write(f"DROP INDEX {row['name']}")
    return [another(store) for _ in range(n)]
