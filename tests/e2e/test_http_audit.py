"""GraphQL over HTTP conformance: the graphql-http audit against a running server.

On the embedded engine only: it checks the HTTP layer, which is the same on both."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.processes import cli_env, free_port, run_node, start_server


def test_no_must_requirement_fails(data_dir: Path) -> None:
    port = free_port()
    server = start_server(cli_env(data_dir), port)
    try:
        results = run_node("http-audit.mjs", f"http://127.0.0.1:{port}/graphql")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    must = [r for r in results if r["name"].startswith("MUST")]
    assert len(must) >= 10, "the audit ran its MUST checks"
    assert [f"{r['name']}: {r['reason']}" for r in must if r["status"] != "ok"] == []
