"""Fault injection: an importer killed with SIGKILL mid-way leaves the registry as it was,
and the next import cleans the dead run's stage up."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graph.store import GraphStore
from importers.pipeline import run_import
from tests.processes import graph_env
from tests.support import stored
from tests.support.catalogs import CRASH_CONTROLS as CONTROLS
from tests.support.catalogs import big_catalog


def kill_while_staging(store: GraphStore, path: Path, data_dir: Path) -> None:
    """`pariscall import PATH` in a process of its own, killed with SIGKILL once it has
    staged something and before it publishes."""
    importer = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "import", str(path)],
        env=graph_env(store, data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and stored.staged_count(store) == 0:
        assert importer.poll() is None, "the import finished before it could be killed"
        time.sleep(0.01)
    importer.send_signal(signal.SIGKILL)
    importer.wait(10)


def snapshot(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(
        "MATCH (n) WHERE n:Recommendation OR n:Source OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n {.*} AS props, type(r) AS rel, m.id AS to ORDER BY props.id, rel, to"
    )


@pytest.mark.slow
def test_kill_9_while_staging_leaves_the_registry_unchanged(
    store: GraphStore, data_dir: Path, tmp_path: Path
) -> None:
    try:
        first = run_import(store, big_catalog(tmp_path / "v1.json", version="1", count=CONTROLS))
        assert first.counts()["created"] == CONTROLS + 1
        before = snapshot(store)

        kill_while_staging(
            store, big_catalog(tmp_path / "v2.json", version="2", count=CONTROLS), data_dir
        )
        assert stored.staged_count(store) > 0, "killed while staging, leaving a stage behind"
        assert snapshot(store) == before

        again = run_import(store, tmp_path / "v2.json")
        assert again.counts()["updated"] == CONTROLS
        assert stored.staged_count(store) == 0
        runs = {r["status"] for r in store.read("MATCH (r:ImportRun) RETURN r.status AS status")}
        assert runs == {"published", "abandoned"}
    finally:
        store.clear()


def big_registry(path: Path, count: int) -> Path:
    """A registry file of `count` initiatives, each tracked by a group and on a topic."""
    registry = {
        "format": "pariscall/registry@1",
        "nodes": {
            "Topic": [{"id": "sbom", "name_en": "SBOM", "name_fr": "SBOM"}],
            "WorkingGroup": [{"id": "wg6", "code": "wg6", "name": "Supply chain"}],
            "Initiative": [
                {"id": f"in-{i}", "title": f"Initiative {i}", "language": "en", "version": 1}
                for i in range(count)
            ],
        },
        "relationships": [
            {"type": "TRACKS", "from": "WorkingGroup", "to": "Initiative",
             "rows": [{"source": "wg6", "target": f"in-{i}"} for i in range(count)]},
            {"type": "ADDRESSES", "from": "Initiative", "to": "Topic",
             "rows": [{"source": f"in-{i}", "target": "sbom"} for i in range(count)]},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(registry))
    return path


def registry_snapshot(store: GraphStore) -> tuple[int, int]:
    row = store.read(
        "MATCH (n) WHERE n:Initiative OR n:Topic OR n:WorkingGroup WITH count(n) AS nodes "
        "OPTIONAL MATCH (:WorkingGroup)-[t:TRACKS]->(:Initiative) WITH nodes, count(t) AS tracks "
        "OPTIONAL MATCH (:Initiative)-[a:ADDRESSES]->(:Topic) "
        "RETURN nodes, tracks, count(a) AS addresses"
    )[0]
    return int(row["nodes"]), int(row["tracks"]) + int(row["addresses"])


@pytest.mark.slow
def test_kill_9_during_a_registry_restore_leaves_nothing_half_written(
    store: GraphStore, data_dir: Path, tmp_path: Path
) -> None:
    try:
        path = big_registry(tmp_path / "registry.json", CONTROLS)
        kill_while_staging(store, path, data_dir)
        assert registry_snapshot(store) == (0, 0)  # nothing of it is visible

        report = run_import(store, path, actor="ops")
        assert registry_snapshot(store) == (CONTROLS + 2, 2 * CONTROLS)
        assert stored.staged_count(store) == 0
        runs = store.read(
            "MATCH (r:ImportRun) RETURN r.status AS status, r.format AS format, "
            "r.actor AS actor, r.created AS created ORDER BY status"
        )
        assert runs[0]["status"] == "abandoned" and runs[0]["created"] is None
        assert runs[0]["actor"].endswith("(command line)")  # the OS user who ran it
        assert runs[1] == {
            "status": "published", "format": "registry", "actor": "ops", "created": CONTROLS + 2
        }  # fmt: skip
        event = store.read("MATCH (e:AuditEvent) RETURN e.actor AS actor, e.action AS action")
        assert event == [{"actor": "ops", "action": "import_registry"}]
        assert report.run_id is not None
    finally:
        store.clear()
