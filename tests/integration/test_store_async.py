"""The port's `read_async` (graph/store.py) keeps `read`'s contract on both engines: the
same plain rows, one round trip counted (per store and per context), the same errors,
and a client per event loop, since every test client runs a loop of its own."""

from __future__ import annotations

import asyncio
import uuid

import pytest

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
