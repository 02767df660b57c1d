"""Answers written straight from a plan's rows, when the plan covers the whole selection.

A planned root field's statement (graph/planning) already read everything its selection
asks for. Building an object for every node and completing each of its fields through
graphql-core was then about half of a working-group dashboard's time in the process
(~1,560 fields). When every field selected below a root field is one the plan answers —
a stored property (scalar or enum), `__typename`, a planned relation (a list, one node,
or a page with its connection's fields), a link's own properties and its two ends — the
response map is written from the rows here, field by field as graphql-core would write
it (the same conversions as api/graphql/building.py, the same output coercion as
api/graphql/executor.py, the same windows, cursors and orders as the relation fields).

Anything else gives up (`Unplanned`) before a value is returned: a field with a resolver
of its own, a relation the plan did not read (or read for another window), a null in a
non-null field, a value the type would not coerce, a fragment on another type, a response
key selected twice. The root field then returns its objects and the executor completes
them the standard way, so errors and their paths stay the standard ones. The answer
travels as `Completed`, which only the shortcut executor reads (it falls back on the
objects under middleware or incremental delivery).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    get_named_type,
)
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from api.graphql.building import build, field_converters
from api.graphql.context import Context
from api.graphql.executor import Completed, plan
from api.graphql.pagination import Window, encode_cursor, window
from api.graphql.planning import FIELDS, kept
from api.graphql.relations import ORDERS
from graph.planning import plan as plans
from graph.planning.reading import PLANNED, Found
from schema import kinds
from schema.errors import ValidationFailed

Row = dict[str, Any]
T = TypeVar("T")
Item = Callable[[Row, Row, Row], Any]  # (this node's row, far node's row, relationship)


class Unplanned(Exception):
    """The selection asks for something only the standard path answers."""


def _selected(selections: Iterable[Selection], of: GraphQLObjectType) -> list[SelectedField]:
    """The fields selected on `of`, fragments flattened in place (as graphql-core collects
    them); a fragment on another type or a response key selected twice gives up."""
    out: list[SelectedField] = []
    seen: set[str] = set()

    def walk(items: Iterable[Selection]) -> None:
        for item in items:
            if not kept(item):
                continue
            if isinstance(item, (FragmentSpread, InlineFragment)):
                if item.type_condition not in (None, of.name):
                    raise Unplanned(item.type_condition)
                walk(item.selections)
                continue
            key = item.alias or item.name
            if key in seen:
                raise Unplanned(key)
            seen.add(key)
            out.append(item)

    walk(selections)
    return out


def _object_type(field_type: Any) -> GraphQLObjectType:
    named = get_named_type(field_type)
    if not isinstance(named, GraphQLObjectType):
        raise Unplanned(str(named))
    return named


def _found(row: Row, key: str) -> Found:
    found = row.get(PLANNED, {}).get(key)
    if found is None:
        raise Unplanned(key)
    return found  # type: ignore[no-any-return]


def _coerced(value: Any, coerce: Callable[[Any], Any], nullable: bool) -> Any:
    if value is None:
        if nullable:
            return None
        raise Unplanned("null")
    out = coerce(value)
    if out is None or out is Undefined:
        raise Unplanned("coercion")
    return out


def node(
    ctx: Context, of: GraphQLObjectType, label: str, selections: Iterable[Selection]
) -> Callable[[Row], Row]:
    """The response map of a node of `label` (its row, as the plan shaped it) under
    `selections`."""
    from api.graphql.nodes import type_of  # nodes' relation fields import the planner

    kind = kinds.BY_LABEL[label]
    cls = type_of(kind)
    if of.is_type_of is not None:
        raise Unplanned(label)
    # a type that computes fields from others on building (Recommendation's title) is
    # built, and its fields read from the object
    computed = "__post_init__" in vars(cls)
    relations = FIELDS.get(label, {})
    # (response key, property read, the type it shows as it is, how any other value shows)
    steps: list[tuple[str, str, Any, Callable[[Any, Row], Any]]] = []
    for field in _selected(selections, of):
        key = field.alias or field.name
        if field.name == "__typename":
            steps.append((key, PLANNED, _NEVER, _constant(of.name)))
            continue
        relation = relations.get(field.name)
        if relation is not None:
            write = _relation(ctx, of, label, relation, field)
            steps.append((key, PLANNED, _NEVER, _related(write, key)))
            continue
        if field.arguments:
            raise Unplanned(field.name)
        leaf = _leaf(of, field.name, cls, kind.model)
        if leaf is None:
            raise Unplanned(field.name)
        attribute, same, *_, coerce, nullable, shown = leaf
        if computed:
            steps.append((key, attribute, _BUILT, _constant((coerce, nullable))))
        else:
            steps.append((key, attribute, same, shown))

    def project(row: Row) -> Row:
        out: Row = {}
        get = row.get
        for key, attribute, same, write in steps:
            value = get(attribute)
            # most values (a str, as stored and as shown) pass as they are
            out[key] = value if type(value) is same else write(value, row)
        return out

    def project_built(row: Row) -> Row:
        out: Row = {}
        built = build(cls, kind.model, row)
        for key, attribute, same, write in steps:
            if same is _BUILT:
                out[key] = _coerced(getattr(built, attribute), *write(None, row))
            else:
                out[key] = write(None, row)
        return out

    return project_built if computed else project


def _constant(value: Any) -> Callable[[Any, Row], Any]:
    return lambda _, row: value


def _related(write: Callable[[Row, str], Any], key: str) -> Callable[[Any, Row], Any]:
    return lambda _, row: write(row, key)


class _BUILT:
    """Marks a field read from the built object (of a type that computes fields)."""


_LEAVES = "pariscall.leaves"


def _leaf(of: GraphQLObjectType, name: str, cls: Any, model: Any) -> tuple[Any, ...] | None:
    """How a stored property becomes field `name` of `of`: its attribute, the values that
    pass as they are, an enum's names, the building's conversion, the output coercion
    and the writer of the values that do not pass as they are; None when the field is not
    a stored property. Worked out once per type and field, and kept in the type's own
    extensions (it goes with its schema)."""
    known: dict[str, tuple[Any, ...] | None] = of.extensions.setdefault(_LEAVES, {})
    if name not in known:
        known[name] = None
        leaf = plan(of, name)
        convert = dict(field_converters(cls, model)).get(leaf.attribute) if leaf else None
        if leaf is not None and convert is not None:
            exact = getattr(convert, "exact", None)
            same, names = _passing(of.fields[name].type, exact, leaf.coerce)
            spec = (leaf.attribute, same, names, convert, exact, leaf.coerce, leaf.nullable)
            known[name] = (*spec, _shown(*spec))
    return known[name]


def _shown(
    attribute: str,
    same: Any,
    names: dict[str, Any] | None,
    convert: Callable[[Any], Any],
    exact: type | None,
    coerce: Callable[[Any], Any],
    nullable: bool,
) -> Callable[[Any, Row], Any]:
    """How a stored value that does not pass as it is shows: an enum's name, or the
    building's conversion and the output coercion (a value neither takes gives up)."""

    def shown(value: Any, row: Row) -> Any:
        if names is not None and type(value) is str and value in names:
            return names[value]
        if exact is None or type(value) is not exact:
            try:
                value = convert(value)
            except (ValueError, TypeError, KeyError) as exc:
                raise Unplanned(attribute) from exc
        return _coerced(value, coerce, nullable)

    return shown


def _passing(
    leaf_type: Any, exact: type | None, coerce: Callable[[Any], Any]
) -> tuple[type | None, dict[str, Any] | None]:
    """What a stored value may be to be shown as it is (a str of a String or an ID, a
    bool of a Boolean), and for an enum the name shown for each stored value: the
    building's conversion and the output coercion, worked out once."""
    if isinstance(leaf_type, GraphQLNonNull):
        leaf_type = leaf_type.of_type
    if (leaf_type is GraphQLString or leaf_type is GraphQLID) and exact is str:
        return str, None
    if leaf_type is GraphQLBoolean and exact is bool:
        return bool, None
    members = getattr(leaf_type, "wrapped_cls", None)
    if isinstance(leaf_type, GraphQLEnumType) and isinstance(members, type):
        names = {}
        for member in cast(Any, members):
            if isinstance(member.value, str):
                names[member.value] = coerce(member)
        return _NEVER, names
    return _NEVER, None


class _NEVER:
    """The type no stored value has."""


def _relation(
    ctx: Context,
    of: GraphQLObjectType,
    label: str,
    relation: kinds.Relation,
    field: SelectedField,
) -> Callable[[Row, str], Any]:
    """The answer of a relation field from what the plan found under its response key,
    as api/graphql/relations.py answers it."""
    field_type = of.fields[field.name].type
    shown = relation.shown
    if shown is kinds.Shown.ONE:
        project = node(ctx, _object_type(field_type), relation.far, field.selections)

        def one(row: Row, key: str) -> Any:
            pairs = _found(row, key).pairs
            return project(pairs[0][0]) if pairs else None

        return one
    if shown is kinds.Shown.LIST:
        item = _item(ctx, _object_type(field_type), label, relation, field.selections)
        order = ORDERS.get((label, relation.name))

        def listed(row: Row, key: str) -> Any:
            pairs = _found(row, key).pairs
            return [
                item(row, far, rel) for far, rel in (sorted(pairs, key=order) if order else pairs)
            ]

        return listed
    args = field.arguments or {}
    try:
        first = args.get("first")
        at = window(ctx, None if first is None else int(first), args.get("after"))
    except (ValidationFailed, ValueError) as exc:
        raise Unplanned(field.name) from exc
    expected = plans.Window(at.offset, at.limit)

    def items(of_node: GraphQLObjectType, selections: Iterable[Selection]) -> Item:
        return _item(ctx, of_node, label, relation, selections)

    write = connection(_object_type(field_type), field.selections, items)

    def paged(row: Row, key: str) -> Any:
        found = _found(row, key)
        if found.window != expected:
            raise Unplanned(key)
        return write([(row, far, rel) for far, rel in found.pairs], at, found.total)

    return paged


def _item(
    ctx: Context,
    of: GraphQLObjectType,
    label: str,
    relation: kinds.Relation,
    selections: Iterable[Selection],
) -> Item:
    """What a relation lists for one (neighbour, relationship) pair: the neighbour, or the
    link object between this node and it."""
    if relation.shown_as_link is None:
        return _far_item(ctx, of, relation.far, selections)
    return _link(ctx, of, label, relation, selections)


def _far_item(
    ctx: Context, of: GraphQLObjectType, label: str, selections: Iterable[Selection]
) -> Item:
    """An item that shows the far node itself (`label`), whatever the relationship."""
    project = node(ctx, of, label, selections)
    return lambda this, far, rel: project(far)


class _End:
    """Stands for one end of a link while the link's own fields are made."""


THIS, OTHER = _End(), _End()


def _link_fields(
    ctx: Context,
    of: GraphQLObjectType,
    label: str,
    relation: kinds.Relation,
    selections: Iterable[Selection],
) -> list[tuple[str, str, Any]]:
    """A link's selected fields: (response key, attribute of the link object, the output
    coercion of its own field or the writers of the ends a node field may show)."""
    steps: list[tuple[str, str, Any]] = []
    for field in _selected(selections, of):
        key = field.alias or field.name
        if field.name == "__typename":
            steps.append((key, "", of.name))
            continue
        field_def = of.fields.get(field.name)
        leaf = plan(of, field.name) if field_def is not None and not field.arguments else None
        if leaf is not None:
            steps.append((key, leaf.attribute, (leaf.coerce, leaf.nullable)))
            continue
        if field_def is None or field.arguments:
            raise Unplanned(field.name)
        end = _object_type(field_def.type)
        definition = field_def.extensions.get("strawberry-definition")
        if definition is None or definition.base_resolver is not None:
            raise Unplanned(field.name)
        ends = {
            id(THIS): node(ctx, end, label, field.selections) if end.name == label else None,
            id(OTHER): (
                node(ctx, end, relation.far, field.selections) if end.name == relation.far else None
            ),
        }
        steps.append((key, definition.python_name, ends))
    return steps


def _link(
    ctx: Context,
    of: GraphQLObjectType,
    label: str,
    relation: kinds.Relation,
    selections: Iterable[Selection],
) -> Item:
    """A link object (Membership, Contribution, MappingLink): its own fields as its type's
    `between` makes them from the relationship, its ends as the nodes they are."""
    from api.graphql import nodes

    between = vars(nodes)[str(relation.shown_as_link)].between
    outgoing = relation.direction is kinds.OUT
    steps = _link_fields(ctx, of, label, relation, selections)

    def shown(rel: Row) -> Shown:
        """What each selected field of the link made from `rel` shows: a value, or which
        end a node field writes."""
        try:
            made = (
                between(rel, THIS, OTHER, OTHER) if outgoing else between(rel, OTHER, THIS, OTHER)
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise Unplanned("link") from exc
        out: Shown = []
        for key, attribute, spec in steps:
            if not attribute:
                out.append((key, spec, None))
                continue
            value = getattr(made, attribute)
            if isinstance(spec, dict):
                write = spec.get(id(value)) if isinstance(value, _End) else None
                if write is None:
                    raise Unplanned(attribute)
                out.append((key, value is THIS, write))
            else:
                out.append((key, _coerced(value, *spec), None))
        return out

    # `between` is a function of the relationship's properties alone, and a page's links
    # carry few distinct ones (a role, a date): what they show is worked out once for
    # each (a link object, an enum lookup and the coercions per item were a sixth of a
    # dashboard's writing)
    known: dict[tuple[Any, ...], Shown] = {}

    def project(this: Row, far: Row, rel: Row) -> Row:
        types = tuple(map(type, rel.values()))
        if _EXACT.issuperset(types):  # equal values of one type show the same
            properties = (types, *rel.items())
            fields = known.get(properties)
            if fields is None:
                fields = shown(rel)
                if len(known) < _KNOWN_LINKS:
                    known[properties] = fields
        else:  # a float (0.0 and -0.0 are equal, nan is not), a list...: not kept
            fields = shown(rel)
        out: Row = {}
        for key, value, write in fields:
            out[key] = value if write is None else write(this if value else far)
        return out

    return project


# What a link shows, per field: (response key, value, None), or for a field showing one
# of its ends (response key, whether it is this end, the end's writer).
Shown = list[tuple[str, Any, Callable[[Row], Row] | None]]
_KNOWN_LINKS = 1024
_EXACT = frozenset((str, int, bool, type(None)))


Entry = tuple[Row, Row, Row]


def connection(
    of: GraphQLObjectType,
    selections: Iterable[Selection],
    items: Callable[[GraphQLObjectType, Iterable[Selection]], Item],
) -> Callable[[Sequence[Entry], Window, int | None], Row]:
    """A connection's response map from the entries read for window `at` (up to its
    limit), as api/graphql/pagination.connection makes it; `items` compiles what a
    node of its edges is."""
    steps: list[tuple[str, str, Any]] = []
    for field in _selected(selections, of):
        key, name = field.alias or field.name, field.name
        if name == "__typename":
            steps.append((key, name, of.name))
        elif name == "totalCount":
            steps.append((key, name, None))
        elif name == "pageInfo":
            steps.append((key, name, _page_info(_object_type(of.fields[name].type), field)))
        elif name == "edges":
            edge = _object_type(of.fields[name].type)
            steps.append((key, name, _edges(edge, field, items)))
        else:
            raise Unplanned(name)

    def write(entries: Sequence[Entry], at: Window, total: int | None) -> Row:
        shown = entries[: at.size]
        out: Row = {}
        for key, name, spec in steps:
            if name == "__typename":
                out[key] = spec
            elif name == "totalCount":
                if total is None:
                    raise Unplanned(name)
                out[key] = total
            elif name == "pageInfo":
                out[key] = spec(len(entries) > at.size, at.offset, len(shown))
            else:
                out[key] = spec(shown, at.offset)
        return out

    return write


def _page_info(of: GraphQLObjectType, field: SelectedField) -> Callable[[bool, int, int], Row]:
    names = [(f.alias or f.name, f.name) for f in _selected(field.selections, of)]
    known = {"__typename", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}
    if any(name not in known for _, name in names):
        raise Unplanned("pageInfo")

    def write(has_next: bool, offset: int, count: int) -> Row:
        values = {
            "__typename": of.name,
            "hasNextPage": has_next,
            "hasPreviousPage": offset > 0,
            "startCursor": encode_cursor(offset) if count else None,
            "endCursor": encode_cursor(offset + count - 1) if count else None,
        }
        return {key: values[name] for key, name in names}

    return write


def _edges(
    of_list: GraphQLObjectType,
    field: SelectedField,
    items: Callable[[GraphQLObjectType, Iterable[Selection]], Item],
) -> Callable[[Sequence[Entry], int], list[Row]]:
    of = of_list
    steps: list[tuple[str, str, Any]] = []
    for inner in _selected(field.selections, of):
        key, name = inner.alias or inner.name, inner.name
        if name == "__typename":
            steps.append((key, name, of.name))
        elif name == "cursor":
            steps.append((key, name, None))
        elif name == "node":
            steps.append((key, name, items(_object_type(of.fields[name].type), inner.selections)))
        else:
            raise Unplanned(name)

    def write(shown: Sequence[Entry], offset: int) -> list[Row]:
        out = []
        for index, (this, far, rel) in enumerate(shown):
            edge: Row = {}
            for key, name, spec in steps:
                if name == "node":
                    edge[key] = spec(this, far, rel)
                elif name == "cursor":
                    edge[key] = encode_cursor(offset + index)
                else:
                    edge[key] = spec
            out.append(edge)
        return out

    return write


def answer(
    info: Any,
    write: Callable[[GraphQLObjectType, Iterable[Selection]], Any],
    objects: Callable[[], T],
) -> T | Completed:
    """A root field's answer: `Completed` when `write` answers its whole selection from
    the plan's rows and the shortcut executor runs, else the objects themselves."""
    if not info.context.reads_completed or len(info.selected_fields) != 1:
        return objects()  # only the shortcut executor reads a Completed
    try:
        value = write(_object_type(info._raw_info.return_type), info.selected_fields[0].selections)
    except Exception:
        return objects()
    return Completed(value, objects)


def nodes_of(ctx: Context, label: str) -> Callable[[GraphQLObjectType, Iterable[Selection]], Item]:
    """What a root list's edges show for each of its rows (no link, no relationship)."""

    return lambda of, selections: _far_item(ctx, of, label, selections)
