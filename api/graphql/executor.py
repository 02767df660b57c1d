"""A shortcut in graphql-core's executor for plain leaf fields.

Most of a large read is leaves read straight off an object: an initiative's id, title,
status. For each of them the standard executor builds a resolve-info tuple, calls
strawberry's default resolver through two wrappers, and walks the completion rules
before it coerces the value: about 1,200 such fields in a working-group dashboard, and
a third of the time spent executing it. Here a field that strawberry itself would resolve with
`getattr` (no resolver, no field extension, no arguments) and whose type is a scalar or
an enum is read and coerced directly. Anything else, and any value that would be an
error (null in a non-null field, a value the type refuses), goes the standard way, so
results and errors are the same; tests/unit/test_executor.py compares both executors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

STRAWBERRY_FIELD = "strawberry-definition"


class Leaf(NamedTuple):
    attribute: str
    coerce: Callable[[Any], Any]
    nullable: bool


_MISSING = object()
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Leaf | None]] = WeakKeyDictionary()


def plan(parent_type: GraphQLObjectType, name: str) -> Leaf | None:
    """How to read `parent_type.name` directly, or None when it must go the standard way."""
    field_def = parent_type.fields.get(name)
    if field_def is None or not getattr(field_def.resolve, "_is_default", False):
        return None
    definition = (field_def.extensions or {}).get(STRAWBERRY_FIELD)
    if (
        definition is None
        or definition.base_resolver is not None
        or definition.extensions
        or definition.default_resolver is not getattr
        or field_def.args
    ):
        return None
    nullable = not is_non_null_type(field_def.type)
    leaf = field_def.type if nullable else field_def.type.of_type
    if not is_leaf_type(leaf):
        return None
    return Leaf(definition.python_name, leaf.coerce_output_value, nullable)


class LeafShortcutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._leaves = _PLANS.setdefault(self.schema, {})

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        middleware = self.middleware_manager
        if not node.arguments and (middleware is None or not middleware.middlewares):
            key = (parent_type.name, node.name.value)
            if key not in self._leaves:
                self._leaves[key] = plan(parent_type, node.name.value)
            leaf = self._leaves[key]
            if leaf is not None:
                value = getattr(source, leaf.attribute, _MISSING)
                if value is None and leaf.nullable:
                    return None
                if value is not None and value is not _MISSING:
                    coerced = leaf.coerce(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
