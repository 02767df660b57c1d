"""Crosswalk suggestions and the paths that support them, through GraphQL and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient

from analysis.duplicates import refresh
from analysis.encoder import Encoder
from graph.store import GraphStore
from schema.enums import CandidateKind
from tests.e2e.conftest import ask
from tests.processes import run_cli
from tests.support import crosswalk_registry as xr
from tests.support.units import system

SUGGESTIONS = """
query {
  duplicateCandidates(kind: RECOMMENDATION, first: 40) {
    edges { node {
      aId bId score relation explanation
      paths { via { id name } relation weight }
      a { ... on Recommendation { ref } }
    } }
  }
}
"""
PAIR = {"csf-mini:id.ra-01", "nis2-mini:6.10.1"}


def test_graphql_lists_each_suggestion_with_its_paths(
    client: TestClient, store: GraphStore, tmp_path: Path
) -> None:
    xr.load(store, tmp_path)
    refresh(system(store), CandidateKind.RECOMMENDATION, encoder=Encoder())
    body = ask(client, SUGGESTIONS)
    assert "errors" not in body, body
    nodes = [e["node"] for e in body["data"]["duplicateCandidates"]["edges"]]
    found = next(n for n in nodes if {n["aId"], n["bId"]} == PAIR)
    assert found["relation"] == "SUPERSET_OF"
    assert found["a"] == {"ref": "ID.RA-01"}
    assert found["paths"] == [
        {
            "via": [{"id": "hub-mini:a.8.8",
                     "name": "hub-mini A.8.8 Management of technical vulnerabilities"}],
            "relation": "SUPERSET_OF",
            "weight": round(1 / __import__("math").log(3), 4),
        }
    ]  # fmt: skip
    assert found["explanation"].startswith("both map to hub-mini A.8.8 Management of technical")
    scores = [n["score"] for n in nodes]
    assert scores == sorted(scores, reverse=True)


def test_the_cli_shows_the_paths_as_json_csv_and_a_table(
    engine_env: dict[str, str], tmp_path: Path
) -> None:
    env = engine_env
    files = [xr.framework(tmp_path, name) for name in xr.FRAMEWORKS]
    files += [
        xr.crosswalk(tmp_path, "csf", "hub", xr.CSF_TO_HUB),
        xr.crosswalk(tmp_path, "nis2", "hub", xr.NIS2_TO_HUB),
    ]
    for path in files:
        done = run_cli(["import", str(path)], env)
        assert done.returncode == 0, done.stderr
    out = run_cli(["analyze", "duplicates", "--kind", "recommendation", "--format", "json"], env)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    found = next(r for r in rows if {r["a"], r["b"]} == PAIR)
    assert found["relation"] == "superset_of"
    assert [[h["id"] for h in p["via"]] for p in found["paths"]] == [["hub-mini:a.8.8"]]
    assert found["paths"][0]["relation"] == "superset_of"

    as_csv = run_cli(
        ["analyze", "duplicates", "--kind", "recommendation", "--format", "csv", "--no-refresh"],
        env,
    )
    line = next(r for r in csv.DictReader(io.StringIO(as_csv.stdout)) if {r["a"], r["b"]} == PAIR)
    assert line["paths"] == "hub-mini A.8.8 Management of technical vulnerabilities (superset_of)"

    table = run_cli(["analyze", "duplicates", "--kind", "recommendation", "--no-refresh"], env)
    assert table.returncode == 0, table.stderr
    assert "superset_of: both map to: Management of technical vulnerabilities" in table.stdout
