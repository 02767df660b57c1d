"""A schema dropped is freed: the caches of parsed and validated documents must not keep
every schema the process ever built (a test run builds hundreds, about 8,000 objects
each, and the garbage collector's full passes over them stalled requests for seconds)."""

from __future__ import annotations

import gc
import weakref

from api.graphql.schema import RequestRules, build_schema


def test_a_dropped_schema_is_freed_with_its_validated_documents() -> None:
    schema = build_schema()
    for _ in range(2):
        result = schema.execute_sync("{ __typename }")
        assert result.errors is None and result.data == {"__typename": "Query"}
    (rules,) = [x for x in (f() for f in schema.extensions) if isinstance(x, RequestRules)]
    assert rules.shared.validate.hits == 1  # the second request reused the first's
    del rules
    core = weakref.ref(schema._schema)
    del schema, result
    gc.collect()
    assert core() is None
