"""Bounds per GraphQL operation, checked in one walk of the document: nesting depth,
number of aliases, and cost (how many field resolutions it may ask for). One rule
instead of strawberry's separate limiters, which re-walked every request (about 1 ms
each on a small query); this one is cached with the rest of validation.

Each field costs the number of times it would resolve: a field under a connection
fetched with `first: 50` counts 50 times, and so on down. A list field without
`first` counts LIST_GUESS items; a `first` given as a variable counts as the largest
page. `__typename` costs one like any field (free to resolve, but not to expand).

Fragments count as if expanded where they are spread, so they cannot hide cost, but
they are never expanded: each fragment is measured once per (parent type, paging) and
its measure reused at every spread. A chain of fragments each spreading the next twice
costs 2**n by this count and takes n steps to measure, so it is refused at once instead
of being walked 2**n times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
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


@dataclass(frozen=True, slots=True)
class Measure:
    """What a selection set asks for, counted as expanded: its nesting depth below it,
    its aliases, and its cost when the set itself resolves once."""

    depth: int
    aliases: int
    cost: int

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost
        )


NOTHING = Measure(0, 0, 0)


def refusal(message: str, code: str, node: Any) -> GraphQLError:
    """A limit's refusal, with the code clients branch on."""
    return GraphQLError(message, node, extensions={"code": code})


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds one deployment sets (from `Settings`)."""

    max_cost: int
    largest_page: int
    max_depth: int = 10
    max_aliases: int = 15

    def refusal(self, measure: Measure, name: str, node: Any) -> GraphQLError | None:
        """The first bound `measure` breaks, as the error the client sees; None if none."""
        if measure.depth > self.max_depth:
            return refusal(
                f"'{name}' exceeds maximum operation depth of {self.max_depth}", "TOO_DEEP", node
            )
        if measure.aliases > self.max_aliases:
            return refusal(
                f"{measure.aliases} aliases: at most {self.max_aliases} are allowed",
                "TOO_MANY_ALIASES",
                node,
            )
        if measure.cost > self.max_cost:
            shown = f"{measure.cost}" if measure.cost < 10**12 else "10^12+"
            return refusal(
                f"this operation would resolve about {shown} fields, more than the "
                f"{self.max_cost} allowed: ask for smaller pages or fewer nested lists",
                "TOO_COSTLY",
                node,
            )
        return None


def cost_rule(
    *, max_cost: int, largest_page: int, max_depth: int = 10, max_aliases: int = 15
) -> type[ValidationRule]:
    """A validation rule refusing operations too deep, with too many aliases, or too costly."""
    limits = Limits(max_cost, largest_page, max_depth, max_aliases)
    return type("CostLimit", (CostLimit,), {"limits": limits})


class CostLimit(ValidationRule):
    """Measures each operation once (fragments memoised) and reports the first bound it
    breaks; `cost_rule` makes the subclass that carries a deployment's `Limits`."""

    limits: Limits

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        self.memo: dict[tuple[str, str, bool], Measure] = {}
        self.measuring: set[str] = set()

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
            measure = self._measure(definition.selection_set, root, paged=False)
            error = self.limits.refusal(measure, name, definition)
            if error is not None:
                self.report_error(error)

    def _multiplier(self, field: FieldNode, output: Any, paged: bool) -> tuple[int, bool]:
        """(how many times the field's children resolve, whether it is a paged field)."""
        for argument in field.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    # The server never returns more than the largest page: a bigger
                    # `first` is refused by the page check, and counts as that page.
                    return max(1, min(int(argument.value.value), self.limits.largest_page)), True
                return self.limits.largest_page, True
        if isinstance(get_nullable_type(output), GraphQLList):
            # A connection's `edges` is the list its `first` already counted.
            return (1 if paged and field.name.value == "edges" else LIST_GUESS), False
        return 1, False

    def _measure(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, *, paged: bool
    ) -> Measure:
        """The measure of a selection set resolved once under `parent`."""
        total = NOTHING
        if selection_set is None:
            return total
        schema = self.context.schema
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total = total + self._field(selection, parent, paged)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = schema.get_type(condition.name.value) if condition else parent
                total = total + self._measure(
                    selection.selection_set, target or parent, paged=paged
                )
            elif isinstance(selection, FragmentSpreadNode):
                total = total + self._spread(selection.name.value, parent, paged)
        return total

    def _field(self, field: FieldNode, parent: GraphQLNamedType, paged: bool) -> Measure:
        name = field.name.value
        if name == "__typename":
            return Measure(0, 1 if field.alias else 0, 1)
        if name.startswith("__"):
            # Introspection (__schema, __type) is bounded by the schema itself, and
            # tools' standard introspection query is deeper than any data query.
            return NOTHING
        aliases = 1 if field.alias else 0
        fields = getattr(parent, "fields", None)
        definition = fields.get(name) if fields else None
        if definition is None:  # an unknown field: other rules report it
            below = self._measure(field.selection_set, parent, paged=False)
            depth = 0 if field.selection_set is None else 1 + below.depth
            return Measure(depth, aliases + below.aliases, 1)
        times, paged_child = self._multiplier(field, definition.type, paged)
        below = self._measure(
            field.selection_set, get_named_type(definition.type), paged=paged_child
        )
        depth = 0 if field.selection_set is None else 1 + below.depth
        return Measure(depth, aliases + below.aliases, 1 + times * below.cost)

    def _spread(self, name: str, parent: GraphQLNamedType, paged: bool) -> Measure:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.measuring:
            return NOTHING  # unknown or cyclic: other rules report it
        target = self.context.schema.get_type(fragment.type_condition.name.value)
        if target is None or not getattr(target, "fields", None):
            target = parent  # a union or unknown condition: the parent's fields apply
        key = (name, target.name, paged)
        known = self.memo.get(key)
        if known is None:
            self.measuring.add(name)
            try:
                known = self._measure(fragment.selection_set, target, paged=paged)
            finally:
                self.measuring.discard(name)
            self.memo[key] = known
        return known
