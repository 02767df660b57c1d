"""The port's `read_async` (graph/store.py) keeps `read`'s contract on both engines: the
same plain rows, one round trip counted (per store and per context), the same errors,
and a client per event loop, since every test client runs a loop of its own."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from falkordb.asyncio.query_result import QueryResult as AsyncQueryResult

from graph.errors import GraphQueryError, UnsafeParameter
from graph.falkordb_store import FalkorStore
from graph.nodes import repository as nodes
from graph.store import GraphStore, count_round_trips
from schema.models import Topic, WorkingGroup
from tests import factories as f

READ = "MATCH (w:WorkingGroup {id: $id}) RETURN w, w.forum_year AS year"


def test_read_async_answers_what_read_answers_counted_once(store: GraphStore) -> None:
    nodes.save(store, [f.working_group()], model=WorkingGroup)
    expected = store.read(READ, {"id": "wg6"})
    assert expected[0]["year"] == 2021
    before = store.round_trips
    with count_round_trips() as trips:
        assert asyncio.run(store.read_async(READ, {"id": "wg6"})) == expected
    assert trips.count == 1 and trips.statements == [READ]
    assert store.round_trips == before + 1


VALUES = (
    "MATCH (w:WorkingGroup) RETURN $text AS text, 42 AS int, -7.25 AS float, true AS yes, "
    "false AS no, null AS none, [1, 'deux', [3.5, null], {k: 'v'}] AS list, "
    "{a: {b: [true, 'é']}, c: null} AS map, w {.*} AS projected, $many AS many"
)
# values only the engine's client reads: nodes, and on FalkorDB dates and points
TYPED = ", w AS node, [w, w.id] AS nested"
FALKORDB_TYPED = ", date('2026-12-07') AS day, point({latitude: 48.85, longitude: 2.35}) AS at"


def test_read_async_answers_every_kind_of_value_as_read_does(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes.save(store, [f.working_group()], model=WorkingGroup)
    params = {"text": "naïve 'quote' \\ 中文", "many": list(range(300))}
    typed = VALUES + TYPED + (FALKORDB_TYPED if isinstance(store, FalkorStore) else "")
    expected = store.read(typed, params)
    assert asyncio.run(store.read_async(typed, params)) == expected
    assert expected[0]["node"]["id"] == expected[0]["nested"][1] == "wg6"
    if isinstance(store, FalkorStore):
        # plain values never reach the client's parser (a coroutine per value): the
        # awaited read reads them itself (graph/falkordb_replies)
        monkeypatch.setattr(AsyncQueryResult, "parse", None)
    row = asyncio.run(store.read_async(VALUES, params))[0]
    assert row == {k: v for k, v in expected[0].items() if k in row}
    assert (row["text"], row["int"], row["float"], row["yes"], row["no"], row["none"]) == (
        params["text"], 42, -7.25, True, False, None,
    )  # fmt: skip
    assert row["list"] == [1, "deux", [3.5, None], {"k": "v"}]
    assert row["map"] == {"a": {"b": [True, "é"]}, "c": None}
    assert row["projected"]["id"] == "wg6" and row["many"] == list(range(300))


def test_each_event_loop_reads_with_its_own_client(store: GraphStore) -> None:
    nodes.save(store, [f.working_group()], model=WorkingGroup)

    async def twice() -> list[list[dict[str, object]]]:
        # concurrent reads on one loop share its client; closing it lets the next open one
        answers = await asyncio.gather(*(store.read_async(READ, {"id": "wg6"}) for _ in range(3)))
        await store.close_async()
        return [*answers, await store.read_async(READ, {"id": "wg6"})]

    first = asyncio.run(twice())
    second = asyncio.run(twice())  # a new loop: the first loop's client is gone with it
    assert first == second == [[{"w": first[0][0]["w"], "year": 2021}]] * 4
    assert store.read("MATCH (w:WorkingGroup) RETURN count(w) AS n") == [{"n": 1}]


def test_read_async_refuses_what_read_refuses(store: GraphStore) -> None:
    with pytest.raises(GraphQueryError) as caught:
        asyncio.run(store.read_async("MATCH (n RETURN n"))
    assert "MATCH" not in str(caught.value)
    with pytest.raises(GraphQueryError):
        asyncio.run(store.read_async("CREATE (t:Topic {id: 'x', name_en: 'x', name_fr: 'x'})"))
    assert nodes.count(store, Topic) == 0
    before = store.round_trips
    with pytest.raises(UnsafeParameter):
        asyncio.run(store.read_async("RETURN $id AS id", {"id": "a\x00b"}))
    assert store.round_trips == before  # refused before the engine


def test_read_async_of_a_graph_never_written(engine_port: int) -> None:
    """FalkorDB only: a graph that was never written has no key, which its engine calls
    an error; Neo4j has no such state (its database exists before any write)."""
    store = FalkorStore(host="127.0.0.1", port=engine_port, graph=f"t_{uuid.uuid4().hex[:12]}")
    try:
        assert asyncio.run(store.read_async("MATCH (n) RETURN count(n) AS n")) == [{"n": 0}]
    finally:
        store.clear()
        store.close()


def test_reads_together_answer_what_each_read_answers_in_their_order(store: GraphStore) -> None:
    nodes.save(store, [f.working_group()], model=WorkingGroup)
    reads = [
        (READ, {"id": "wg6"}),
        ("MATCH (w:WorkingGroup) RETURN count(w) AS n", None),
        (READ, {"id": "none"}),
    ]
    with count_round_trips() as trips:
        answers = asyncio.run(store.read_together_async(reads))
    assert answers == [store.read(cypher, params) for cypher, params in reads]
    assert answers[1] == [{"n": 1}] and answers[2] == []
    assert trips.count == 3
    with pytest.raises(GraphQueryError):  # a refused statement fails the reads it was sent with
        asyncio.run(store.read_together_async([(READ, {"id": "wg6"}), ("MATCH (n RETURN n", None)]))
