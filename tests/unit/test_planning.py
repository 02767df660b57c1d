"""The read planner's statements (graph/planning): made from schema/kinds.py alone,
values only ever as parameters, and nothing but the listed kinds' shown relations."""

from __future__ import annotations

import pytest

from graph.backends import Backend
from graph.planning.cypher import statement
from graph.planning.plan import Branch, Listing, Lookup, Window

HOSTILE = "x'}) DETACH DELETE n //"


@pytest.mark.parametrize("backend", list(Backend))
def test_values_travel_as_parameters_never_in_the_text(backend: Backend) -> None:
    topics = Branch(HOSTILE, "Initiative", "topics")
    page = Branch("initiatives", "WorkingGroup", "initiatives", Window(3, 11), total=True)
    groups = Branch("workingGroups", "Initiative", "working_groups", below=(page,))
    text, params = statement(Lookup("Initiative", HOSTILE, (topics, groups)), backend)
    assert HOSTILE not in text
    assert params == {"id": HOSTILE, "k3_skip": 3, "k3_end": 14}
    listed = Listing(
        "Initiative", Window(0, 51), {"working_group": HOSTILE, "status": [HOSTILE]},
        ranked=[HOSTILE], total=True, below=(topics,),
    )  # fmt: skip
    text, params = statement(listed, backend)
    assert HOSTILE not in text
    assert params["working_group"] == HOSTILE and params["ranked"] == [HOSTILE]


def test_each_engine_gets_the_subqueries_it_runs() -> None:
    plan = Lookup("Initiative", "i1", (Branch("topics", "Initiative", "topics"),))
    neo4j, _ = statement(plan, Backend.NEO4J)
    falkordb, _ = statement(plan, Backend.FALKORDB)
    assert "CALL (l0) {" in neo4j and "WITH l0" not in neo4j
    assert "CALL { WITH l0 UNWIND l0 AS a" in falkordb
    assert statement(Lookup("Initiative", "i1"), Backend.NEO4J)[0] == (
        "MATCH (n:Initiative {id: $id}) WITH collect(n) AS l0 "
        "RETURN [n IN l0 | n {.*, embedding: null, embedding_sha: null}] AS page"
    )


@pytest.mark.parametrize(
    ("label", "relation"),
    [
        ("Initiative", "duplicates"),  # HIDDEN: stored, never a field
        ("Proposal", "proposes"),  # a kind with a read rule of its own
        ("Call", "issued_by"),
    ],
)
def test_hidden_relations_and_unlisted_kinds_are_never_planned(label: str, relation: str) -> None:
    with pytest.raises(ValueError):
        Branch(relation, label, relation)


def test_a_branch_below_must_start_where_its_parent_ends() -> None:
    topics = Branch("topics", "Initiative", "topics")
    with pytest.raises(ValueError):
        Branch("members", "WorkingGroup", "members", below=(topics,))


def test_only_the_kinds_own_properties_become_statement_text() -> None:
    shown = Lookup("Initiative", "i1", properties=frozenset({"id", "title"}))
    assert statement(shown)[0].endswith("RETURN [n IN l0 | n {.id, .title}] AS page")
    for refused in ({"id", "title}) DETACH DELETE n //"}, {"title"}):  # not a field; no id
        with pytest.raises(ValueError):
            Lookup("Initiative", "i1", properties=frozenset(refused))
        with pytest.raises(ValueError):
            Branch("topics", "Initiative", "topics", properties=frozenset(refused))
