"""An app that served requests and was dropped is freed with its schema once the test
harness releases FastAPI's endpoint caches: neither the project's executor plans nor the
validation cache may keep a schema alive (each is about 8,000 objects; a process holding
hundreds of them stalls in its collector's full passes; tests/support/apps.py)."""

from __future__ import annotations

import gc
import weakref

from fastapi.testclient import TestClient
from graphql import GraphQLSchema

from api.app import create_app
from api.settings import Settings
from graph.links import repository as links
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Initiative, Topic
from tests import factories as f
from tests.support.apps import release_apps

QUERY = "{ initiatives(first: 5) { edges { node { id title topics { id nameEn } } } } }"


def _schemas() -> dict[int, weakref.ref[GraphQLSchema]]:
    return {id(o): weakref.ref(o) for o in gc.get_objects() if isinstance(o, GraphQLSchema)}


def _served(store: GraphStore) -> list[weakref.ref[object]]:
    before = _schemas()
    app = create_app(Settings(), store=store)
    with TestClient(app) as client:
        for _ in range(2):  # the second answer comes from the plans the first made
            body = client.post("/graphql", json={"query": QUERY}).json()
            node = body["data"]["initiatives"]["edges"][0]["node"]
            assert node["topics"] == [{"id": "sbom", "nameEn": "SBOM"}], body
    built = [ref for key, ref in _schemas().items() if key not in before]
    assert built  # the app's schema
    return [weakref.ref(app), *built]


def test_a_dropped_app_and_its_schema_are_freed_once_the_endpoint_caches_are_released(
    store: GraphStore,
) -> None:
    nodes.save(store, [f.topic("sbom", name_en="SBOM")], model=Topic)
    nodes.save(store, [f.initiative("i1")], model=Initiative)
    links.link(store, "initiative_topics", [("i1", "sbom")])
    refs = _served(store)
    release_apps()
    gc.collect()
    assert [ref() for ref in refs] == [None] * len(refs)
