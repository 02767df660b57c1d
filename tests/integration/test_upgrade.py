"""A registry stored by an earlier version, opened by today's code on both engines.

tests/data/upgrade holds what the service at commit 95677f9 stored (its embedded data
directory, and its Neo4j database) after a session through its own command line and
GraphQL API, and what its doors then showed (see the README there). Here today's start-up
runs on it, from several workers at once, as `pariscall serve --workers` does; then every
initiative, link, decision, proposal, call, comment, token, webhook, import run and audit
event must read as the earlier version showed it, through today's export, audit trail,
token list, GraphQL API and pages, and every stored record must pass today's models (the
export imports back). A second start changes nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.access import repository as access
from graph.audit import repository as audit_log
from graph.migrations import ledger
from graph.migrations.runner import Report, run_step, upgrade
from graph.migrations.steps import STEPS
from graph.store import GraphStore
from importers import registry
from schema.graph_shape import SCHEMA_VERSION
from tests.neo4j_server import Unavailable
from tests.support.old_registry import expected, graph_image, old_graph
from tests.support.threads import at_once
from tests.upgrade_fixture import READS

WORKERS = 3


@dataclass
class Upgraded:
    engine: str
    store: GraphStore
    reports: list[Report | BaseException]
    before: list[str]
    expected: dict[str, Any]


# On Neo4j the database the earlier version wrote needs a server of its own: about ten
# seconds to start, and a cold one answers its first reads slowly.
@pytest.fixture(
    scope="module",
    params=["falkordb", pytest.param("neo4j", marks=[pytest.mark.neo4j, pytest.mark.slow])],
)
def upgraded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Upgraded]:
    """The old graph after today's start-up, run by several workers at once."""
    engine = request.param
    folder = tmp_path_factory.mktemp(f"upgrade-{engine}")
    try:
        with old_graph(engine, folder) as open_store:
            workers = [open_store() for _ in range(WORKERS)]
            before = graph_image(workers[0])
            reports = at_once(upgrade, workers)
            yield Upgraded(engine, workers[0], reports, before, expected(engine))
    except Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Neo4j is required in CI: {exc}")
        pytest.skip(f"Neo4j backend: {exc}")


def changes(old: list[dict[str, Any]], new: list[dict[str, Any]], key: str) -> list[str]:
    """What of the old rows is missing or different among the new ones (new fields aside:
    a migration may add some)."""
    found = {str(row[key]): row for row in new}
    problems = []
    for row in old:
        now = found.get(str(row[key]))
        if now is None:
            problems.append(f"{row[key]}: missing")
            continue
        problems += [
            f"{row[key]}.{field}: {value!r} became {now.get(field)!r}"
            for field, value in row.items()
            if now.get(field) != value
        ]
    return problems


def test_workers_starting_at_once_apply_each_step_once(upgraded: Upgraded) -> None:
    assert all(isinstance(r, Report) for r in upgraded.reports), upgraded.reports
    applied = sorted(a.version for r in upgraded.reports if isinstance(r, Report)
                     for a in r.applied)  # fmt: skip
    assert applied == [step.version for step in STEPS]
    recorded = ledger.applied(upgraded.store)
    assert {v: r.checksum for v, r in recorded.items()} == {s.version: s.checksum for s in STEPS}
    assert ledger.lock_holder(upgraded.store) is None


def test_every_record_and_link_reads_as_before(upgraded: Upgraded, tmp_path: Path) -> None:
    old = upgraded.expected["registry"]
    new = registry.export(upgraded.store)
    for label, rows in old["nodes"].items():
        assert rows, label
        assert changes(rows, new["nodes"][label], "id") == [], label
    new_links = {(g["type"], g["from"], g["to"]): g["rows"] for g in new["relationships"]}
    for group in old["relationships"]:
        rows = [r | {"key": f"{r['source']}>{r['target']}"} for r in group["rows"]]
        now = [r | {"key": f"{r['source']}>{r['target']}"}
               for r in new_links[(group["type"], group["from"], group["to"])]]  # fmt: skip
        assert changes(rows, now, "key") == [], group["type"]
    kinds = {g["type"] for g in old["relationships"] if g["rows"]}
    assert {"DUPLICATE_OF", "MERGED_INTO", "MAPS_TO", "PROPOSES", "ANSWERS"} <= kinds
    # Every stored record still passes today's models: the export imports back.
    exported = tmp_path / "registry.json"
    exported.write_text(json.dumps(new), encoding="utf-8")
    nodes, _ = registry.read(exported)
    assert {label: len(rows) for label, rows in nodes.items()} == {
        label: len(rows) for label, rows in new["nodes"].items()
    }


def test_audit_trail_and_tokens_are_kept(upgraded: Upgraded) -> None:
    old_events = upgraded.expected["audit"]
    assert len(old_events) > 30
    assert changes(old_events, list(audit_log.export(upgraded.store)), "id") == []
    tokens = [
        {
            "id": t.id,
            "name": t.name,
            "role": t.role.value,
            "scope": ", ".join(t.working_groups) or (t.signatory or ""),
            "state": "revoked" if t.revoked_at else "active",
        }
        for t in access.tokens(upgraded.store)
    ]
    assert changes(upgraded.expected["tokens"], tokens, "id") == []


def test_the_api_and_pages_show_what_they_showed(upgraded: Upgraded) -> None:
    secrets = upgraded.expected["secrets"]
    app = create_app(Settings(webhook_dispatch=False, max_cost=1_000_000), store=upgraded.store)
    pair = upgraded.expected["thread"]
    merged = _rows(upgraded, "MERGED_INTO")[0]
    # Each page, and words it must show from what the earlier version stored.
    pages = {
        "/": "Co-chair of WG6",
        "/wg/wg6": "Supplier attestation registry for the upgrade fixture",
        "/wg/wg5": "Supply-chain pilots for 2027",
        f"/initiatives/{merged['source']}": "",
        f"/initiatives/{merged['target']}": "",
        "/initiatives/sbom-pilot-industry": "<strong>June</strong>",
        f"/review?a={pair[0]}&b={pair[1]}": "Different audiences: see both.",
        "/wg/wg6/gaps": "",
        "/imports": "initiatives.csv",
        "/topics": "",
    }
    with TestClient(app) as client:
        answer = client.post(
            "/graphql",
            json={"query": READS, "variables": {"thread": pair}},
            headers={"authorization": f"Bearer {secrets['admin']}"},
        )
        assert answer.json() == {"data": upgraded.expected["reads"]}
        refused = client.post(
            "/graphql",
            json={"query": "{ proposals { edges { node { id } } } }"},
            headers={"authorization": f"Bearer {secrets['departed']}"},
        )
        assert refused.status_code == 401 and "revoked" in refused.text
        client.cookies.set("pariscall_token", secrets["wg6"])
        for page, words in pages.items():
            shown = client.get(page)
            assert shown.status_code == 200, (page, shown.text[:500])
            assert words in shown.text, page


def _rows(upgraded: Upgraded, kind: str) -> list[dict[str, Any]]:
    groups = upgraded.expected["registry"]["relationships"]
    return [row for g in groups if g["type"] == kind for row in g["rows"]]


def test_starting_again_changes_nothing(upgraded: Upgraded) -> None:
    first = graph_image(upgraded.store)
    report = upgrade(upgraded.store)
    assert (report.applied, report.already) == ([], len(STEPS))
    assert graph_image(upgraded.store) == first
    # Every step, run again on what it upgraded, finds nothing left in the old shape.
    assert {step.name: run_step(upgraded.store, step) for step in STEPS} == {
        step.name: 0 for step in STEPS
    }
    assert graph_image(upgraded.store) == first
    # Without steps to apply, the upgrade left the earlier version's data as it was, but
    # for the schema version it records.
    if not STEPS:
        assert _data(first) == _data(upgraded.before)
    assert {"id": "schema", "version": SCHEMA_VERSION} in _schema(first)


def _data(image: list[str]) -> list[str]:
    return [line for line in image if '"SchemaInfo"' not in line]


def _schema(image: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line)[1] for line in image if line.startswith('[["SchemaInfo"]')]
