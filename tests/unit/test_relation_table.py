"""The page prefetch's table (api.graphql.prefetch.RELATIONS) and the relation fields
agree: each entry names the neighbour table its field's resolver reads, and every
relation field has an entry. A mismatch would not be wrong, only slow (the field would
wait for a DataLoader, and the walk would give up on the page), so nothing else notices.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from api.graphql.executor import SPECULATIVE, STRAWBERRY_FIELD
from api.graphql.pagination import Connection
from api.graphql.prefetch import RELATIONS
from api.graphql.schema import build_schema


def relation_fields() -> dict[tuple[str, str], Any]:
    """(GraphQL type, field) -> resolver, for every resolver marked speculative."""
    schema = build_schema()._schema
    out = {}
    for type_name, graphql_type in schema.type_map.items():
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            definition = (field.extensions or {}).get(STRAWBERRY_FIELD)
            resolver = definition.base_resolver if definition is not None else None
            if resolver is not None and getattr(resolver.wrapped_func, SPECULATIVE, False):
                out[(type_name, field_name)] = resolver.wrapped_func
    return out


def test_every_relation_field_has_an_entry_and_no_entry_is_stale() -> None:
    fields = relation_fields()
    listed = {(t, f) for t, entries in RELATIONS.items() for f in entries}
    assert len(fields) == 18
    assert set(fields) == listed


def test_each_entry_names_the_table_its_resolver_reads() -> None:
    for (type_name, field_name), resolve in relation_fields().items():
        table = RELATIONS[type_name][field_name]
        source = SimpleNamespace(id="n1")
        # what a page prefetch leaves: node n1 has no neighbours through `table`
        settings = SimpleNamespace(default_page_size=50, max_page_size=200)
        context = SimpleNamespace(prefetched={table: {"n1": []}}, settings=settings)
        answer = resolve(source, SimpleNamespace(context=context))
        if isinstance(answer, Connection):  # a paged relation: its first page
            answer = answer.edges
        if not isinstance(answer, list):
            answer.close()  # the DataLoader path: the resolver read another table
        assert answer == [], f"{type_name}.{field_name} does not read {table}"
