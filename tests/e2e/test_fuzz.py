"""Fuzzing the GraphQL schema of a running server: no generated request gets a 5xx
(on the embedded engine: the schema and its validation are the same on both).

schemathesis generates queries and mutations from the live schema (valid documents
with hostile argument values); they are sent with an admin token so mutations reach
validation and the graph, not just the permission check.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.processes import cli_env, free_port, run_cli, start_server

EXAMPLES_PER_OPERATION = 3

pytestmark = pytest.mark.slow


def test_no_generated_request_gets_a_server_error(data_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import schemathesis

    env = cli_env(data_dir, PARISCALL_RATE_LIMIT_PER_ADDRESS="100000/minute",
                  PARISCALL_RATE_LIMIT_PER_TOKEN="100000/minute")  # fmt: skip
    assert run_cli(["seed"], env).returncode == 0
    made = run_cli(["tokens", "create", "--role", "admin", "--name", "fuzzer"], env)
    headers = {"Authorization": f"Bearer {made.stdout.strip()}"}
    port = free_port()
    server = start_server(env, port)
    failures: list[str] = []
    sent = 0
    try:
        schema = schemathesis.graphql.from_url(f"http://127.0.0.1:{port}/graphql", headers=headers)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 30
        for operation in operations:

            @given(operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case: object) -> None:
                nonlocal sent
                response = case.call(headers=headers)  # type: ignore[attr-defined]
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{response.status_code}: {case.body}")  # type: ignore[attr-defined]

            check()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert sent >= len(operations)
    assert failures == []
