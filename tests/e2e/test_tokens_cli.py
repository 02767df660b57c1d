"""`pariscall tokens list` and `revoke` through the real entry point, on both engines:
what the listing shows is what revoking takes, whatever the terminal's width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedEngine
from tests.processes import run_cli


@pytest.fixture
def env(engine_env: dict[str, str], data_dir: Path) -> Iterator[dict[str, str]]:
    """`engine_env` in a narrow terminal, its embedded engine kept up between commands."""
    narrow = {**engine_env, "COLUMNS": "60"}
    if "PARISCALL_GRAPH_URL" in engine_env:
        yield narrow
        return
    engine = EmbeddedEngine(data_dir)
    engine.acquire()
    try:
        yield narrow
    finally:
        engine.release()


def created(env: dict[str, str], name: str) -> str:
    """The new token's id, as its creation names it."""
    made = run_cli(["tokens", "create", "--role", "admin", "--name", name], env)
    assert made.returncode == 0, made.stderr
    return made.stderr.split(f"token '{name}' (", 1)[1].split(",", 1)[0]


def test_listed_ids_are_whole_and_revoke_takes_a_unique_start(env: dict[str, str]) -> None:
    first = created(env, "Operations team of the supply-chain registry")
    second = created(env, "Operations team on call")
    listed = run_cli(["tokens", "list"], env)
    assert listed.returncode == 0, listed.stderr
    assert first in listed.stdout and second in listed.stdout  # whole, in 60 columns too
    lines = listed.stdout.splitlines()
    assert lines[0] == "2 token(s)" and lines[1].split() == [
        "id", "state", "role", "scope", "created", "name",
    ]  # fmt: skip
    rows = {line.split()[0]: line.split()[1:4] for line in lines[2:]}
    assert rows == {first: ["active", "admin", "-"], second: ["active", "admin", "-"]}

    shared = "operations-team-o"
    ambiguous = run_cli(["tokens", "revoke", shared], env)
    assert ambiguous.returncode == 1
    assert ambiguous.stderr.splitlines()[-1] == (
        f"pariscall: '{shared}' starts the ids of 2 active tokens "
        f"({', '.join(sorted([first, second]))}): give more of the id"
    )
    revoked = run_cli(["tokens", "revoke", "operations-team-of"], env)
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout.strip() == f"token {first} revoked"
    again = run_cli(["tokens", "revoke", first], env)
    assert again.returncode == 1 and f"no active token with id '{first}'" in again.stderr
    states = {
        line.split()[0]: line.split()[1]
        for line in run_cli(["tokens", "list"], env).stdout.splitlines()[2:]
    }
    assert states == {first: "revoked", second: "active"}
