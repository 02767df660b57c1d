"""Life of the embedded engine: one per data dir, shared, stopped by the last user,
never orphaned, restarted over stale state, and durable across restarts.

Engine-specific: this is the embedded FalkorDB's own life cycle."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from graph.connect import GraphConfig, open_store
from graph.embedded import (
    EmbeddedEngine,
    _locked,
    engine_dir,
    pid_alive,
    read_state,
    stop_engine,
)
from tests.processes import engine_state, wait_dead

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from graph.connect import GraphConfig, open_store
    store = open_store(GraphConfig(url=None, data_dir=Path(sys.argv[1])))
    store.write(
        "MERGE (t:Topic {id: $id}) SET t.name_en = $id, t.name_fr = $id", {"id": sys.argv[2]}
    )
    print("ready", flush=True)
    time.sleep(float(sys.argv[3]))
    store.close()
    """
)


def hold(data_dir: Path, topic: str, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir), topic, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_data_dir_is_created_and_engine_stops_with_last_client(data_dir: Path) -> None:
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    state = engine_state(data_dir)
    assert state is not None and pid_alive(state["pid"])
    assert (engine_dir(data_dir) / "appendonlydir").is_dir()
    store.close()
    assert wait_dead(state["pid"], 15)
    assert engine_state(data_dir) is None


def test_second_process_joins_the_running_engine(data_dir: Path) -> None:
    first = hold(data_dir, "first", 30)
    state = engine_state(data_dir)
    assert state is not None
    second = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        assert engine_state(data_dir) == state  # same engine, not a second one
        assert second.read("MATCH (t:Topic) RETURN t.id AS id") == [{"id": "first"}]
    finally:
        second.close()
    assert pid_alive(state["pid"]), "the first client still uses the engine"
    first.send_signal(signal.SIGTERM)
    first.wait(10)
    assert wait_dead(state["pid"], 20)


def test_kill_9_of_every_client_leaves_no_orphan(data_dir: Path) -> None:
    client = hold(data_dir, "x", 60)
    state = engine_state(data_dir)
    assert state is not None
    client.kill()
    client.wait(5)
    assert wait_dead(state["pid"], 20), "engine outlived its only client"
    assert wait_dead(state["supervisor"], 10)


def test_stale_state_from_a_crashed_run_is_survived(data_dir: Path) -> None:
    directory = engine_dir(data_dir)
    directory.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale_pid = int(dead.stdout)
    (directory / "engine.json").write_text(
        json.dumps({"pid": stale_pid, "port": 1, "supervisor": stale_pid})
    )
    (directory / "engine.lock").write_text("")
    (directory / "clients").mkdir()
    (directory / "clients" / f"{stale_pid}-dead").touch()
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        state = engine_state(data_dir)
        assert state is not None and state["pid"] != stale_pid
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        store.close()


def test_data_survives_a_restart(data_dir: Path) -> None:
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    store.write("CREATE (:Topic {id: 'kept', name_en: 'Kept', name_fr: 'Gardé'})")
    first_pid = engine_state(data_dir)["pid"]  # type: ignore[index]
    store.close()
    assert wait_dead(first_pid)
    again = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        assert again.read("MATCH (t:Topic) RETURN t.name_fr AS fr") == [{"fr": "Gardé"}]
    finally:
        again.close()


def test_engine_handle_can_be_released_twice(data_dir: Path) -> None:
    engine = EmbeddedEngine(data_dir)
    port = engine.acquire()
    assert port > 0
    engine.release()
    engine.release()
    deadline = time.monotonic() + 10
    while engine_state(data_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert engine_state(data_dir) is None
    assert os.listdir(engine_dir(data_dir) / "clients") == []


def test_sigterm_to_the_supervisor_stops_the_engine(data_dir: Path) -> None:
    client = hold(data_dir, "x", 60)
    try:
        state = engine_state(data_dir)
        assert state is not None
        os.kill(state["supervisor"], signal.SIGTERM)
        assert wait_dead(state["pid"], 20)
        assert wait_dead(state["supervisor"], 10)
        assert engine_state(data_dir) is None
    finally:
        client.kill()
        client.wait(5)


def test_the_log_is_compacted_into_a_snapshot_when_the_engine_stops(data_dir: Path) -> None:
    """Replaying a log of statements at start-up is slow (26 s for a 10,000-initiative
    graph's 3.4 MB log; 0.5 s from its snapshot), so a stopping engine compacts it."""
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    rows = [{"id": f"t{i}", "name": f"Topic {i} " + "x" * 200} for i in range(1000)]
    store.write_batched(
        "UNWIND $rows AS row CREATE (:Topic {id: row.id, name_en: row.name, name_fr: row.name})",
        rows,
        batch_size=100,
    )
    logs = engine_dir(data_dir) / "appendonlydir"
    assert sum(p.stat().st_size for p in logs.glob("*.incr.aof")) > 64 * 1024
    pid = engine_state(data_dir)["pid"]  # type: ignore[index]
    store.close()
    assert wait_dead(pid)
    # what the next start reads: a snapshot, and an empty log after it
    assert sum(p.stat().st_size for p in logs.glob("*.incr.aof")) == 0
    assert sum(p.stat().st_size for p in logs.glob("*.base.rdb")) > 4096  # the 1,000 topics
    again = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        assert again.read("MATCH (t:Topic) RETURN count(t) AS n") == [{"n": 1000}]
    finally:
        again.close()


def test_an_engine_stopped_on_purpose_is_not_started_again_for_the_next_client(
    data_dir: Path,
) -> None:
    # The last client out stops the engine under the directory's lock. When the next
    # client's ticket appears before the supervisor has seen its engine exit, the
    # supervisor used to take the exit for a crash and start the engine again, next to
    # the engine the next client starts: two servers over one set of files, and the
    # second one's log rewrite erased what was written through the first.
    first = EmbeddedEngine(data_dir)
    first.acquire()
    directory = engine_dir(data_dir)
    state = read_state(directory)
    assert state is not None
    next_client = directory / "clients" / f"{os.getpid()}-nextnext"
    try:
        with _locked(directory):
            assert first._ticket is not None  # what `release` does for the last client
            first._ticket.unlink()
            first._ticket = None
            stop_engine(directory, state)
            next_client.touch()  # the next client joins before the supervisor looks
            time.sleep(1.0)  # the supervisor sees its engine gone and waits for the lock
        assert wait_dead(int(state["supervisor"]), 10), "the supervisor restarted the engine"
        assert read_state(directory) is None
    finally:
        next_client.unlink(missing_ok=True)
    # The next client starts its own engine, alone, and what it writes stays.
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    store.write("MERGE (t:Topic {id: 'kept'}) SET t.name_en = 'kept', t.name_fr = 'kept'")
    store.close()
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        assert store.read("MATCH (t:Topic) RETURN t.id AS id") == [{"id": "kept"}]
    finally:
        store.close()


def test_applying_the_schema_again_sends_no_unique_key_the_engine_refuses(
    data_dir: Path,
) -> None:
    # Every open applies the schema. Creating a unique key that exists fails, and the
    # engine still appends the failed command to its log, which it replays, with a
    # CRITICAL line per key, at every start: existing keys are now skipped.
    store = open_store(GraphConfig(url=None, data_dir=data_dir))
    try:
        store.apply_schema()
        store.apply_schema()
        stats = store._command("INFO", "commandstats")  # type: ignore[attr-defined]
        constraint = stats.get("cmdstat_graph.CONSTRAINT", {})
        assert constraint.get("calls", 0) > 0  # the first application created them
        assert constraint.get("failed_calls", 0) == 0
    finally:
        store.close()
