"""Bounds per GraphQL operation, checked in one walk of the document: nesting depth,
number of aliases, and cost (how many field resolutions it may ask for). One rule
instead of strawberry's separate limiters, which re-walked every request (about 1 ms
each on a small query); this one is cached with the rest of validation.

Each field costs the number of times it would resolve: a field under a connection
fetched with `first: 50` counts 50 times, and so on down. A list field without
`first` counts LIST_GUESS items; a `first` given as a variable counts as the largest
page. Fragments are expanded where they are spread, so they cannot hide cost.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
    get_nullable_type,
)

LIST_GUESS = 10


def cost_rule(
    *, max_cost: int, largest_page: int, max_depth: int = 10, max_aliases: int = 15
) -> type[ValidationRule]:
    """A validation rule refusing operations too deep, with too many aliases, or too costly."""

    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments: dict[str, FragmentDefinitionNode] = {}

        def enter_document(self, node: Any, *_: Any) -> None:
            self.fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            schema = self.context.schema
            for definition in node.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                root = schema.get_root_type(definition.operation)
                if root is None:
                    continue
                name = definition.name.value if definition.name else "anonymous"
                depth = self._depth(definition.selection_set, 0, set())
                if depth > max_depth:
                    self.report_error(
                        GraphQLError(
                            f"'{name}' exceeds maximum operation depth of {max_depth}",
                            definition,
                        )
                    )
                    continue
                aliases = self._aliases(definition.selection_set, set())
                if aliases > max_aliases:
                    self.report_error(
                        GraphQLError(
                            f"{aliases} aliases: at most {max_aliases} are allowed", definition
                        )
                    )
                    continue
                cost = self._cost(definition.selection_set, root, 1, set(), paged=False)
                if cost > max_cost:
                    self.report_error(
                        GraphQLError(
                            f"this operation would resolve about {cost} fields, more than the "
                            f"{max_cost} allowed: ask for smaller pages or fewer nested lists",
                            definition,
                        )
                    )

        def _children(
            self, selection_set: SelectionSetNode | None, seen: set[str]
        ) -> list[tuple[FieldNode, set[str]]]:
            """The fields of a selection set, through fragments (each fragment once per path)."""
            out: list[tuple[FieldNode, set[str]]] = []
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FieldNode):
                    # Introspection (__schema, __type) is bounded by the schema itself, and
                    # tools' standard introspection query is deeper than any data query.
                    if not selection.name.value.startswith("__"):
                        out.append((selection, seen))
                elif isinstance(selection, InlineFragmentNode):
                    out += self._children(selection.selection_set, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is not None and name not in seen:
                        out += self._children(fragment.selection_set, seen | {name})
            return out

        def _depth(self, selection_set: SelectionSetNode | None, level: int, seen: set[str]) -> int:
            deepest = level - 1 if selection_set is None else level
            for field, path in self._children(selection_set, seen):
                if field.selection_set is not None:
                    deepest = max(deepest, self._depth(field.selection_set, level + 1, path))
                else:
                    deepest = max(deepest, level)
            return deepest

        def _aliases(self, selection_set: SelectionSetNode | None, seen: set[str]) -> int:
            total = 0
            for field, path in self._children(selection_set, seen):
                total += 1 if field.alias else 0
                total += self._aliases(field.selection_set, path)
            return total

        def _multiplier(self, field: FieldNode, output: Any, paged: bool) -> tuple[int, bool]:
            """(how many times the field's children resolve, whether it is a paged field)."""
            for argument in field.arguments or ():
                if argument.name.value == "first":
                    if isinstance(argument.value, IntValueNode):
                        return max(1, int(argument.value.value)), True
                    return largest_page, True
            if isinstance(get_nullable_type(output), GraphQLList):
                # A connection's `edges` is the list its `first` already counted.
                return (1 if paged and field.name.value == "edges" else LIST_GUESS), False
            return 1, False

        def _cost(
            self,
            selection_set: SelectionSetNode | None,
            parent: GraphQLNamedType,
            times: int,
            seen: set[str],
            *,
            paged: bool,
        ) -> int:
            if selection_set is None:
                return 0
            total = 0
            schema = self.context.schema
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value.startswith("__"):
                        continue
                    total += times
                    fields = getattr(parent, "fields", None)
                    definition = fields.get(selection.name.value) if fields else None
                    if definition is None:
                        continue  # __typename, or an unknown field other rules report
                    child = get_named_type(definition.type)
                    times_child, paged_child = self._multiplier(selection, definition.type, paged)
                    total += self._cost(
                        selection.selection_set, child, times * times_child, seen, paged=paged_child
                    )
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    target = schema.get_type(condition.name.value) if condition else parent
                    total += self._cost(
                        selection.selection_set, target or parent, times, seen, paged=paged
                    )
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in seen:
                        continue  # unknown or cyclic: other rules report it
                    target = schema.get_type(fragment.type_condition.name.value)
                    total += self._cost(
                        fragment.selection_set,
                        target if isinstance(target, GraphQLObjectType) else parent,
                        times,
                        seen | {name},
                        paged=paged,
                    )
            return total

    return CostLimit
