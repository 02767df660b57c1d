"""Shortcuts in graphql-core's executor for the plain parts of a read.

Most of a large read is data read straight off objects: an initiative's id, title and
status, its edges and nodes, its planned topics. For each field the standard executor
builds a resolve-info tuple and a path, calls strawberry's default resolver through two
wrappers, walks the completion rules and checks every value for awaitables: a working-
group dashboard has about 1,560 fields and spent most of its time there.

Two shortcuts, both answering exactly what the standard executor answers:
- a plain leaf (no resolver, no field extension, no arguments; a scalar or an enum) is
  read and coerced directly (`execute_field`);
- a value whose whole selection is plain — leaves, data attributes, lists, `__typename`
  and resolvers marked `speculative` that answer at once — is completed by one tight
  walk (`complete_value`). The walk has no side effects, so whenever it meets anything
  else (an awaitable, an error, a null in a non-null field, an abstract type, @defer)
  it gives up and the standard path completes the value from the start: results,
  errors and their paths are the standard ones. tests/unit/test_executor.py and an
  end-to-end test compare both executors.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from inspect import iscoroutine, signature
from math import isfinite
from typing import Any, NamedTuple, TypeVar, cast

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    get_named_type,
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
Resolved = Any  # a resolver's answer


def coercer(leaf: Any) -> Callable[[Any], Any]:
    """The type's own output coercion, with the common exact case answered first: a str
    for String and ID, a bool, a 32-bit int, a finite float, a member of the enum."""
    coerce: Callable[[Any], Any] = leaf.coerce_output_value
    if leaf is GraphQLString or leaf is GraphQLID:
        return lambda v: v if type(v) is str else coerce(v)
    if leaf is GraphQLBoolean:
        return lambda v: v if type(v) is bool else coerce(v)
    if leaf is GraphQLInt:
        return lambda v: (
            v if type(v) is int and GRAPHQL_MIN_INT <= v <= GRAPHQL_MAX_INT else coerce(v)
        )
    if leaf is GraphQLFloat:
        return lambda v: v if type(v) is float and isfinite(v) else coerce(v)
    members = getattr(leaf, "wrapped_cls", None)
    if (
        isinstance(leaf, GraphQLEnumType)
        and isinstance(members, type)
        and issubclass(members, Enum)
    ):
        names: dict[Any, str] = {}
        for member in members:
            # the first name whose value matches, as the type's own coercion picks
            match = (n for n, value in leaf.values.items() if value.value == member.value)
            name = next(match, None)
            if name is not None:
                names[member] = name
        return lambda v: names[v] if type(v) is members and v in names else coerce(v)
    return coerce


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
    return Leaf(definition.python_name, coercer(leaf), nullable)


class Completed(NamedTuple):
    """A field's answer already completed (api/graphql/projection.py writes one from a
    plan's rows); `objects` makes what the standard path would complete instead."""

    value: Any
    objects: Callable[[], Any]


F = TypeVar("F", bound=Callable[..., Any])
SPECULATIVE = "__pariscall_speculative__"


def speculative(resolver: F) -> F:
    """Mark a resolver the walk may call and then ignore: it reads, changes nothing, and
    either answers at once or returns a coroutine that has not started yet."""
    setattr(resolver, SPECULATIVE, True)
    return resolver


class How(Enum):
    LEAF = "leaf"  # read the attribute and coerce it
    DATA = "data"  # read the attribute and complete it by its type
    CALL = "call"  # call a speculative resolver, then complete its answer
    TYPENAME = "typename"


class FieldPlan(NamedTuple):
    how: How
    attribute: str
    field_def: GraphQLField | None
    call: Callable[[Any, Any], Resolved] | None = None
    leaf: Leaf | None = None


class Step(NamedTuple):
    """One field of a selection: its response key, how to get it, and its own group."""

    key: str
    how: How
    attribute: str
    coerce: Callable[[Any], Any] | None  # leaves only
    nullable: bool
    field_def: GraphQLField | None
    call: Callable[[Any, Any], Resolved] | None
    needs_path: bool  # a resolver at or below it gets the path in its resolve info
    details: Any  # graphql-core's field group for this key
    nodes: list[Any]  # its field nodes, as resolve infos carry them
    node_id: int


class Selection(NamedTuple):
    steps: tuple[Step, ...]
    waits_on: frozenset[int]  # node ids of the speculative calls at and below this level


_BAIL = object()
_LEAF, _DATA, _TYPENAME = How.LEAF, How.DATA, How.TYPENAME
_PLANS_KEY = "pariscall.plans"
Plans = tuple[dict[tuple[str, str], Leaf | None], dict[tuple[str, str], FieldPlan | None]]


def plans_of(schema: GraphQLSchema) -> Plans:
    """The schema's leaf and field plans, kept in its own `extensions` so that they go
    with it: in a module-level WeakKeyDictionary the plans (its fields and types) held
    their key, and no schema built in the process was ever freed."""
    found: Plans | None = schema.extensions.get(_PLANS_KEY)
    if found is None:
        found = schema.extensions[_PLANS_KEY] = ({}, {})
    return found


def field_plan(
    schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str
) -> FieldPlan | None:
    """How the walk gets `parent_type.name`, or None when only the standard path may."""
    if name == "__typename":
        return FieldPlan(How.TYPENAME, name, None)
    field_def = parent_type.fields.get(name)
    if field_def is None or field_def.args:
        return None
    definition = (field_def.extensions or {}).get(STRAWBERRY_FIELD)
    if definition is None or definition.extensions:
        return None
    if getattr(field_def.resolve, "_is_default", False):
        if definition.base_resolver is not None or definition.default_resolver is not getattr:
            return None
        leaf = plan(parent_type, name)  # the leaf shortcut's own plan, when it is a leaf
        how = How.DATA if leaf is None else How.LEAF
        return FieldPlan(how, definition.python_name, field_def, leaf=leaf)
    resolver = definition.base_resolver
    if (
        resolver is None
        or resolver.is_async
        or not getattr(resolver.wrapped_func, SPECULATIVE, False)
    ):
        return None
    return FieldPlan(
        How.CALL, definition.python_name, field_def, caller(schema, field_def, definition)
    )


def caller(
    schema: GraphQLSchema, field_def: GraphQLField, definition: Any
) -> Callable[[Any, Any], Resolved]:
    """The resolver itself for the common `(self, info)` shape, skipping strawberry's
    argument and extension wrappers (a field in the plan has neither); strawberry's own
    wrapper in any other case."""
    resolve: Callable[[Any, Any], Resolved] = field_def.resolve  # type: ignore[assignment]
    strawberry_schema = (schema.extensions or {}).get(STRAWBERRY_FIELD)
    converter = getattr(strawberry_schema, "schema_converter", None)
    resolver = definition.base_resolver
    func = resolver.wrapped_func
    try:
        parameters = list(signature(func).parameters)
    except (TypeError, ValueError):
        return resolve
    if (
        getattr(converter, "_exception_handler_specs", None) != ()
        or resolver.self_parameter is None
        or resolver.info_parameter is None
        or parameters != [resolver.self_parameter.name, resolver.info_parameter.name]
    ):
        return resolve
    info_class = cast(Any, strawberry_schema).config.info_class
    info_name = resolver.info_parameter.name

    def call(source: Any, info: Any) -> Resolved:
        return func(source, **{info_name: info_class(_raw_info=info, _field=definition)})

    return call


class ShortcutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hasattr(self.context_value, "reads_completed"):  # api/graphql/context.Context
            self.context_value.reads_completed = True
        self._leaves, self._fields = plans_of(self.schema)
        # (object type, id of its field group) -> (the group, kept alive; its plan)
        self._selections: dict[tuple[GraphQLObjectType, int], tuple[Any, Selection | None]] = {}
        # field nodes whose speculative resolver answered with an awaitable this request
        self._waits: set[int] = set()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        if not node.arguments and not self._middleware_in_use():
            leaf = self._leaf(parent_type, node.name.value)
            if leaf is not None:
                value = getattr(source, leaf.attribute, _MISSING)
                if value is None and leaf.nullable:
                    return None
                if value is not None and value is not _MISSING:
                    try:
                        coerced = leaf.coerce(value)
                    except Exception:  # the standard path reports it at this field's path
                        coerced = None
                    if coerced is not None and coerced is not Undefined:
                        return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if type(result) is Completed:  # written from a plan's rows (api/graphql/projection)
            if position_context is None and not self._middleware_in_use():
                return result.value
            result = result.objects()
        if position_context is None and not self._middleware_in_use():
            try:
                walked = self._walk(return_type, field_details_list, path, result)
            except Exception:  # the standard path raises it again, with its path
                walked = _BAIL
            if walked is not _BAIL:
                return walked
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _middleware_in_use(self) -> bool:
        middleware = self.middleware_manager
        return middleware is not None and bool(middleware.middlewares)

    def _walk(self, of: GraphQLOutputType, details: Any, path: Path, value: Any) -> Any:
        """The completed value, or _BAIL when the standard path must complete it."""
        if isinstance(of, GraphQLNonNull):
            if value is None:
                return _BAIL
            of = of.of_type
        elif value is None:
            return None
        if isinstance(value, Exception):
            return _BAIL
        if isinstance(of, GraphQLObjectType):
            selection = self._selection(of, details)
            if selection is None:
                return _BAIL
            return self._fill(selection, of, path, value)
        if isinstance(of, GraphQLList):
            if type(value) is not list and type(value) is not tuple:
                return _BAIL  # an iterator could not be read twice
            return self._walk_list(of.of_type, details, path, value)
        if isinstance(of, GraphQLScalarType | GraphQLEnumType):
            coerced = of.coerce_output_value(value)
            return _BAIL if coerced is None or coerced is Undefined else coerced
        return _BAIL  # interfaces and unions: the standard path resolves the type

    def _walk_list(self, item_type: GraphQLOutputType, details: Any, path: Path, items: Any) -> Any:
        required = isinstance(item_type, GraphQLNonNull)
        inner = cast(GraphQLNonNull[Any], item_type).of_type if required else item_type
        out: list[Any] = []
        if isinstance(inner, GraphQLObjectType):
            # the common list of objects: one plan for every item
            selection = self._selection(inner, details)
            if selection is None:
                return _BAIL
            with_paths = bool(selection.waits_on)
            for index, item in enumerate(items):
                if item is None:
                    if required:
                        return _BAIL
                    out.append(None)
                    continue
                item_path = Path(path, index, None) if with_paths else path
                done = self._fill(selection, inner, item_path, item)
                if done is _BAIL:
                    return _BAIL
                out.append(done)
            return out
        for index, item in enumerate(items):
            done = self._walk(item_type, details, Path(path, index, None), item)
            if done is _BAIL:
                return _BAIL
            out.append(done)
        return out

    def _fill(self, selection: Selection, of: GraphQLObjectType, path: Path, source: Any) -> Any:
        """One object's response map under its selection."""
        if isinstance(source, Exception) or not selection.waits_on.isdisjoint(self._waits):
            return _BAIL
        out: dict[str, Any] = {}
        steps: Any = selection.steps  # unpacked as plain tuples: the loop is the hot path
        for (
            key,
            how,
            attribute,
            coerce,
            nullable,
            field_def,
            call,
            needs_path,
            details,
            nodes,
            node_id,
        ) in steps:
            if how is _LEAF:
                value = getattr(source, attribute, _MISSING)
                if value is None:
                    if not nullable:
                        return _BAIL
                    out[key] = None
                    continue
                if value is _MISSING:
                    return _BAIL
                coerced = coerce(value)
                if coerced is None or coerced is Undefined:
                    return _BAIL
                out[key] = coerced
                continue
            if how is _TYPENAME:
                out[key] = of.name
                continue
            # the path exists for resolve infos; without a resolver below, none is made
            field_path = Path(path, key, of.name) if needs_path else path
            if how is _DATA:
                value = getattr(source, attribute, _MISSING)
                if value is _MISSING:
                    return _BAIL
            else:
                value = call(source, self.build_resolve_info(field_def, nodes, of, field_path))
                if self.is_awaitable(value):
                    if iscoroutine(value):
                        value.close()  # not started: nothing happened
                    self._waits.add(node_id)
                    return _BAIL
            done = self._walk(field_def.type, details, field_path, value)
            if done is _BAIL:
                return _BAIL
            out[key] = done
        return out

    def _selection(self, of: GraphQLObjectType, details: Any) -> Selection | None:
        """The walk's plan for one object type under one field group, or None when some
        field at or below it is the standard path's; made once a request (the group
        depends on this request's variables through @skip and @include). Planning the
        levels below first means the walk never does work it would then give up."""
        key = (of, id(details))
        cached = self._selections.get(key)
        if cached is not None:
            return cached[1]
        selection = self._plan_selection(of, details)
        self._selections[key] = (details, selection)
        return selection

    def _plan_selection(self, of: GraphQLObjectType, details: Any) -> Selection | None:
        # is_type_of checks belong to the standard path, as do deferred fragments
        if of.is_type_of is not None:
            return None
        grouped, defer_usages, *_ = self.collect_subfields(of, details)
        if defer_usages:
            return None
        steps = []
        waits_on: set[int] = set()
        for response_key, group in grouped.items():
            first = group[0]
            node = first.node
            if node.arguments or first.fragment_variable_values or first.defer_usage:
                return None
            plan_key = (of.name, node.name.value)
            if plan_key not in self._fields:
                self._fields[plan_key] = field_plan(self.schema, of, node.name.value)
            found = self._fields[plan_key]
            if found is None:
                return None
            leaf = found.leaf
            needs_path = found.how is How.CALL
            if found.how is not How.LEAF and found.field_def is not None:
                named = get_named_type(found.field_def.type)
                if isinstance(named, GraphQLObjectType):
                    below = self._selection(named, group)
                    if below is None:
                        return None
                    waits_on |= below.waits_on
                    needs_path = needs_path or bool(below.waits_on)
                elif not is_leaf_type(named):
                    return None  # an interface or a union
            if found.how is How.CALL:
                waits_on.add(id(node))
            steps.append(
                Step(
                    response_key,
                    found.how,
                    found.attribute,
                    leaf.coerce if leaf else None,
                    leaf.nullable if leaf else True,
                    found.field_def,
                    found.call,
                    needs_path,
                    group,
                    [detail.node for detail in group],
                    id(node),
                )
            )
        return Selection(tuple(steps), frozenset(waits_on))

    def _leaf(self, parent_type: GraphQLObjectType, name: str) -> Leaf | None:
        key = (parent_type.name, name)
        if key not in self._leaves:
            self._leaves[key] = plan(parent_type, name)
        return self._leaves[key]
