"""Adding a relation users set is one `Relation(...)` in schema/kinds.py, and adding a
kind one `Kind(...)` (with its model): scratch ones (tests/support/scratch_kinds.py),
added in a process of their own before anything derives from the kinds, show in every
place derived from them, and a merge carries the relation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graph.falkordb_store import FalkorStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[2]


def scratch(*args: str) -> Any:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.scratch_kinds", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_a_scratch_relation_shows_in_every_derived_place() -> None:
    found = scratch("static")
    # the creation input, the record and the spreadsheet template take its ids
    assert "citedSources: [ID!]! = []" in found["create_input"]
    assert "cited_sources" in found["record_fields"]
    assert found["template"][-2:] == ["cited_sources", "contributors"]
    assert "SOURCE" in found["link_target"]  # linkInitiative(target: SOURCE, …)
    # the initiative's GraphQL type shows it, and the Cypher linter knows its type
    assert "citedSources" in found["initiative_type"]
    assert "CITES" in found["relationship_types"]
    # a merge carries it, and link statements are made for it
    assert "CITES" in found["merge_links"]
    assert "links.queries.merge_links[initiative_cited_sources]" in found["statements_naming_it"]
    assert "merging.queries.MERGE" in found["statements_naming_it"]
    assert "planning.cypher.lookup[Initiative]" in found["statements_naming_it"]


def test_a_merge_carries_a_scratch_relation_and_an_unmerge_gives_it_back(
    store: GraphStore, request: pytest.FixtureRequest
) -> None:
    if isinstance(store, FalkorStore):
        kind = "falkordb"
        where: dict[str, Any] = {"host": store.host, "port": store.port, "graph": store.graph_name}
    else:
        server = request.getfixturevalue("neo4j_server_info")
        kind = "neo4j"
        where = {"url": server.uri, "user": server.user, "password": server.password,
                 "database": os.environ.get("NEO4J_DATABASE") or None}  # fmt: skip
    found = scratch("merge", kind, json.dumps(where))
    # graph/planning reads it, one statement per root, with no code of its own
    assert found["planned"] == {
        "lookup": ["s1"], "list": {"a": ["s1"], "b": ["s2"]}, "total": 2, "statements": 2,
    }  # fmt: skip
    assert found["created"] == [["CITES", "s2"]]
    assert found["merged"] == {"a": [["CITES", "s1"], ["CITES", "s2"]], "b": []}
    assert found["unmerged"] == {"a": [["CITES", "s1"]], "b": [["CITES", "s2"]]}


def test_a_scratch_kind_has_a_type_a_lookup_a_list_a_label_and_statements() -> None:
    found = scratch("kind")
    assert "initiatives: [Initiative!]!" in found["badge_type"]
    assert "name: String!" in found["badge_type"]
    assert {"badge", "badges"} <= set(found["query"])
    assert "Badge" in found["labels"]
    assert "Badge" in found["keyed"]  # its id is a unique key on both engines
    assert "AWARDED_TO" in found["relationship_types"]
    assert "Badge" in found["listed"]
    assert {"nodes.queries.upsert[Badge]", "browse.neighbours.neighbours[badge_initiatives]",
            "registry.queries.nodes_of[Badge]", "planning.cypher.lookup[Badge]",
            "planning.cypher.list[Badge]",
            } <= set(found["statements_naming_it"])  # fmt: skip
