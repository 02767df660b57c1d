"""A scratch relation added to the kinds (schema/kinds.py) before anything derives from
them, as a developer adding a relation would: one `Relation(...)`.

`install()` must run before the modules deriving from the kinds are imported, so it
runs in a process of its own (`python -m tests.support.scratch_kinds …`), which prints
what the derived places show as JSON: the tests in tests/integration/test_scratch_kinds.py
read it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from typing import Any

from schema import kinds
from schema.models import Model
from schema.text import Name, Slug
from tests.support.units import system

# One edit: an initiative cites sources, and users may say which.
SCRATCH = kinds.Relation("cited_sources", "CITES", kinds.OUT, "Source", input="cited_sources")


class Badge(Model):
    id: Slug
    name: Name


# The other: a kind of node (its model above), listed, pointing at initiatives.
SCRATCH_KIND = kinds.Kind(
    "Badge",
    Badge,
    "badge",
    relations=(kinds.Relation("initiatives", "AWARDED_TO", kinds.OUT, "Initiative"),),
    listing=kinds.Listing("badges", ("name", "id"), "name", searchable=False),
)


def install(what: str) -> None:
    """Add the scratch relation or kind to the description itself, and index it again
    as schema/kinds.py does when it is imported."""
    if what == "relation":
        before = kinds.BY_LABEL["Initiative"]
        after = dataclasses.replace(before, relations=(*before.relations, SCRATCH))
        kinds.KINDS = tuple(after if k is before else k for k in kinds.KINDS)
    else:
        kinds.KINDS = (*kinds.KINDS, SCRATCH_KIND)
    kinds.BY_LABEL = {kind.label: kind for kind in kinds.KINDS}
    kinds.LISTED = tuple(k for k in kinds.KINDS if k.listing is not None)
    kinds.LABEL_OF = {kind.model: kind.label for kind in kinds.KINDS}
    kinds.NOUNS = {kind.label: kind.noun for kind in kinds.KINDS}


def kind_places() -> dict[str, Any]:
    """What the places derived from the kinds show of the scratch kind."""
    from api.graphql.schema import build_schema
    from graph.browse.queries import SPECS
    from graph.cypher import all_statements
    from schema.graph_shape import KEYED_LABELS, LABELS, RELATIONSHIP_TYPES

    sdl = build_schema().as_str()
    query = sdl[sdl.index("type Query {") :].split("\n}")[0]
    return {
        "badge_type": sdl[sdl.index("type Badge ") :].split("\n}")[0],
        "query": [line.strip().split("(")[0] for line in query.splitlines()[1:]],
        "labels": list(LABELS),
        "keyed": list(KEYED_LABELS),
        "relationship_types": list(RELATIONSHIP_TYPES),
        "listed": sorted(SPECS),
        "statements_naming_it": sorted(n for n, s in all_statements() if ":Badge" in s),
    }


def static() -> dict[str, Any]:
    """What the places derived without a graph show of the scratch relation."""
    from api.graphql.schema import build_schema
    from graph.cypher import all_statements
    from graph.merging import queries as merging
    from importers.spreadsheet import template_rows
    from schema.graph_shape import RELATIONSHIP_TYPES
    from schema.records import InitiativeRecord

    sdl = build_schema().as_str()
    start = sdl.index("input CreateInitiativeInput")
    return {
        "create_input": sdl[start : sdl.index("}", start)],
        "initiative_type": sdl[sdl.index("type Initiative ") :].split("\n}")[0],
        "link_target": sdl[sdl.index("enum LinkTarget ") :].split("\n}")[0],
        "template": template_rows("initiatives")[0],
        "relationship_types": list(RELATIONSHIP_TYPES),
        "merge_links": [link.key for link in merging.LINKS],
        "record_fields": list(InitiativeRecord.model_fields),
        "statements_naming_it": sorted(n for n, s in all_statements() if ":CITES" in s),
    }


def merge(store_kind: str, where: dict[str, Any]) -> dict[str, Any]:
    """Two duplicates citing a source each, merged then unmerged: the links each held."""
    from analysis import decisions
    from graph.browse import repository as browse
    from graph.curation import repository as curation
    from graph.merging import repository as merging
    from graph.nodes import repository as nodes
    from schema.models import Source
    from schema.records import InitiativeRecord
    from tests import factories as f
    from tests.support.decided import decide

    store: Any
    if store_kind == "falkordb":
        from graph.falkordb_store import FalkorStore

        store = FalkorStore(host=where["host"], port=where["port"], graph=where["graph"])
    else:
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(**where)
    now = datetime.now(UTC)
    nodes.save(store, [f.source("s1"), f.source("s2")], model=Source)
    for id, cited in (("a", "s1"), ("b", "s2")):
        record = {"id": id, "title": id, "language": "en", "cited_sources": [cited]}
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    decide(store, "a", "b", by="x")
    out: dict[str, Any] = {"created": sorted(merging.links_of(store, "b"))}
    out["planned"] = planned_read(store)
    version = browse.by_ids(store, "Initiative", ["b"])["b"]["version"]
    decisions.merge_initiatives(
        system(store), survivor="a", merged="b", merged_version=version, by="x"
    )
    out["merged"] = {id: sorted(merging.links_of(store, id)) for id in ("a", "b")}
    version = browse.by_ids(store, "Initiative", ["b"])["b"]["version"]
    decisions.unmerge_initiative(system(store), merged="b", merged_version=version)
    out["unmerged"] = {id: sorted(merging.links_of(store, id)) for id in ("a", "b")}
    store.close()
    return out


def planned_read(store: Any) -> dict[str, Any]:
    """An initiative's cited sources, page of them and count, as graph/planning reads
    them: the planner knows the relation from the description alone."""
    from graph.planning import reading
    from graph.planning.plan import Branch, Listing, Lookup, Window
    from graph.store import count_round_trips

    cited = Branch("citedSources", "Initiative", "cited_sources")
    with count_round_trips() as trips:
        row = reading.lookup(store, Lookup("Initiative", "a", (cited,)))
        page = reading.listing(
            store, Listing("Initiative", Window(0, 2), total=True, below=(cited,))
        )
    assert row is not None
    return {
        "lookup": [far["id"] for far, _ in row[reading.PLANNED]["citedSources"].pairs],
        "list": {
            r["id"]: [far["id"] for far, _ in r[reading.PLANNED]["citedSources"].pairs]
            for r in page.rows
        },
        "total": page.total,
        "statements": trips.count,
    }


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    install("kind" if mode == "kind" else "relation")
    if mode == "kind":
        answer = kind_places()
    else:
        answer = static() if mode == "static" else merge(rest[0], json.loads(rest[1]))
    print(json.dumps(answer, default=list))
