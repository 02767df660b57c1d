"""Decompression bombs: a 300 KB workbook whose one title unpacks to 300 MB is refused
from the zip's own numbers, before anything inflates it — 413 naming the file over
`POST /imports` (for an admin and for a co-chair, whose rows are checked first), a
refusal on the command line — and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Initiative, WorkingGroup
from tests import factories as f
from tests.e2e.conftest import issue
from tests.processes import run_cli
from tests.support import stored
from tests.support.bombs import text_bomb

UNPACKED = 300_000_000


def _nothing_written(store: GraphStore) -> None:
    assert nodes.count(store, Initiative) == 0
    assert store.read("MATCH (r:ImportRun) RETURN count(r) AS n")[0]["n"] == 0
    assert store.read("MATCH (e:AuditEvent) RETURN count(e) AS n")[0]["n"] == 0
    assert stored.staged_count(store) == 0


@pytest.mark.parametrize("shared", [True, False], ids=["shared-strings", "inline-string"])
def test_an_upload_that_unpacks_to_300_mb_is_refused_with_413(
    store: GraphStore, tmp_path: Path, shared: bool
) -> None:
    bomb = text_bomb(tmp_path / "bomb.xlsx", unpacked=UNPACKED, shared=shared).read_bytes()
    assert len(bomb) < 400_000
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    tokens = [issue(store, "admin"), issue(store, "co_chair", working_groups=["wg6"])]
    replies: list[Any] = []
    with TestClient(create_app(Settings(), store=store)) as client:
        for token in tokens:
            replies.append(
                client.post(
                    "/imports",
                    content=bomb,
                    params={"filename": "wg6 bomb.xlsx"},
                    headers={"Authorization": f"Bearer {token}"},
                )
            )
    for reply in replies:
        assert reply.status_code == 413, reply.text
        error = reply.json()["errors"][0]
        assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        [problem] = error["extensions"]["problems"]
        assert problem["file"] == "wg6 bomb.xlsx" and problem["row"] is None
        assert problem["message"].startswith("unpacks to 300,0")
        assert "a workbook may unpack to at most" in problem["message"]
        assert error["message"] == f"wg6 bomb.xlsx: {problem['message']}"
    _nothing_written(store)


def test_the_command_line_refuses_the_same_bomb(engine_env: dict[str, str], tmp_path: Path) -> None:
    bomb = text_bomb(tmp_path / "bomb.xlsx", unpacked=UNPACKED, shared=True)
    refused = run_cli(["import", str(bomb)], engine_env)
    assert refused.returncode == 1
    # After the line naming the graph the command works on.
    graph_line, *lines = refused.stderr.splitlines()
    assert graph_line.startswith("graph: ")
    assert lines[0].endswith("bomb.xlsx: refused, nothing imported (1 problem(s))")
    assert lines[1].startswith("  bomb.xlsx: unpacks to 300,0")
    assert "Traceback" not in refused.stderr + refused.stdout
