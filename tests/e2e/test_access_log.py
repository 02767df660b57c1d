"""A line per HTTP request only when the operator asks for it (`serve --access-log`).

Formatting and writing that line cost a tenth of a point read's server time, and most
deployments log requests at their proxy already; errors and warnings are logged either way.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.processes import cli_env, free_port, graphql, start_server

REQUEST_LINE = '"POST /graphql HTTP/1.1" 200'


def _served_log(data_dir: Path, *options: str) -> str:
    port = free_port()
    server = start_server(cli_env(data_dir), port, *options)
    try:
        log = Path(os.readlink(f"/proc/{server.pid}/fd/1"))
        assert graphql(port, "{ topics { totalCount } }").status_code == 200
        time.sleep(0.3)  # the line is written after the answer is sent
        return log.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


@pytest.mark.slow
def test_requests_are_logged_only_with_access_log(tmp_path: Path) -> None:
    quiet = _served_log(tmp_path / "quiet")
    assert "Uvicorn running" in quiet and REQUEST_LINE not in quiet
    logged = _served_log(tmp_path / "logged", "--access-log")
    assert REQUEST_LINE in logged
