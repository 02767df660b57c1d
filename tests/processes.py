"""Helpers for tests that run real processes: the CLI, a server, the embedded engine."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from graph.embedded import engine_dir, pid_alive


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """`pariscall` on `data_dir`, with a state directory of its own beside it: the records
    of running servers (api/servers.py) stay among the test's processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARISCALL_")}
    env["PARISCALL_DATA_DIR"] = str(data_dir)
    env["XDG_STATE_HOME"] = str(Path(data_dir).with_name(f"{Path(data_dir).name}-state"))
    env.update(extra)
    return env


def graph_env(store: Any, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `pariscall` process working on the test's own graph, on
    whichever engine the test runs (the store's URL, and Neo4j's credentials if any)."""
    env = cli_env(data_dir, PARISCALL_GRAPH_URL=store.location, **extra)
    if store.backend == "neo4j":
        env["PARISCALL_NEO4J_USER"] = os.environ.get("NEO4J_USER", "neo4j")
        env["PARISCALL_NEO4J_PASSWORD"] = os.environ.get("NEO4J_PASSWORD", "")
    return env


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 120, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def start_server(
    env: dict[str, str], port: int, *extra: str, cwd: Path | None = None
) -> subprocess.Popen[str]:
    """`pariscall serve` on `port`, answering /health. Its output goes to a file: a pipe
    nobody reads fills up and blocks the server on its next log line."""
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the process
        "w+", prefix="pariscall-serve-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from api.cli import main; main()",
            "serve",
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
    )
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {Path(log.name).read_text()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer in 60 s")


def engine_state(data_dir: Path) -> dict[str, Any] | None:
    try:
        return dict(json.loads((engine_dir(data_dir) / "engine.json").read_text()))
    except (OSError, ValueError):
        return None


def wait_dead(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


def graphql(
    port: int, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> httpx.Response:
    return httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )


NODE_DIR = Path(__file__).resolve().parent / "node"


def node_tools() -> str:
    """Path of `node`, once `npm ci` has run in tests/node; skip (fail on CI) otherwise."""
    import shutil

    import pytest

    node = shutil.which("node")
    if not node or not (NODE_DIR / "node_modules").is_dir():
        message = "needs Node and `npm ci --prefix tests/node`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return node


def run_node(script: str, *args: str, stdin: str | None = None) -> Any:
    """Run one of tests/node's scripts and parse what it prints as JSON."""
    done = subprocess.run(
        [node_tools(), script, *args],
        cwd=NODE_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)
