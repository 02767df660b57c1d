"""From a root field's selection to a plan (graph/planning), and back to objects.

The root resolvers (api/graphql/queries.py) read which relation fields the client
selected below them, to any depth, with their `first`/`after` and whether `totalCount`
is asked, and have graph/planning answer all of it in one statement. The objects built
from the answer carry what their relation fields found (`planned`), filed by response
key; the relation fields (api/graphql/relations.py) answer from it and, for anything
not planned, still read through the request's DataLoaders. Each level reads only the
properties its selection shows (`properties`). When the plan covers the whole selection,
api/graphql/projection.py writes the answer from the rows without building the objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, TypeVar

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection
from strawberry.utils.str_converters import to_camel_case

from api.graphql.building import build
from api.graphql.context import Context
from api.graphql.pagination import window
from graph.planning.plan import PLANNED_LABELS, Branch, Properties, Window
from graph.planning.reading import PLANNED, Found
from schema import kinds
from schema.errors import ValidationFailed

T = TypeVar("T")

# GraphQL type -> relation field (as the schema names it) -> the relation: every relation
# the API shows on a planned kind (schema/kinds.py).
FIELDS: dict[str, dict[str, kinds.Relation]] = {
    label: {
        to_camel_case(r.name): r
        for r in kinds.BY_LABEL[label].relations
        if r.shown is not kinds.Shown.HIDDEN
    }
    for label in PLANNED_LABELS
}


def kept(selection: Selection) -> bool:
    """Whether @skip/@include keep a selection."""
    directives = selection.directives or {}
    if directives.get("skip", {}).get("if") is True:
        return False
    return directives.get("include", {}).get("if", True) is not False


def fields(selections: Iterable[Selection]) -> list[SelectedField]:
    """Selected fields with fragments flattened into their parent."""
    out: list[SelectedField] = []
    for item in selections:
        if not kept(item):
            continue
        if isinstance(item, (FragmentSpread, InlineFragment)):
            out.extend(fields(item.selections))
        else:
            out.append(item)
    return out


def under(selected: Iterable[SelectedField], *path: str) -> list[SelectedField]:
    """The fields selected at `path` below `selected`."""
    level = list(selected)
    for step in path:
        level = fields(s for f in level if f.name == step for s in f.selections)
    return level


@cache
def _data_fields(label: str) -> dict[str, str] | None:
    """GraphQL name -> property of the kind's type's data fields (a field without a
    resolver is read from the property of its Python name, api/graphql/building.py);
    None when the type computes something from its properties on building (a
    `__post_init__`): it is then always read whole."""
    from api.graphql.nodes import type_of  # nodes' relation fields import this module

    cls = type_of(kinds.BY_LABEL[label])
    if "__post_init__" in vars(cls):
        return None
    definition = cls.__strawberry_definition__
    return {
        f.graphql_name or to_camel_case(f.python_name): f.python_name
        for f in definition.fields
        if f.base_resolver is None
    }


def properties(label: str, selected: Iterable[SelectedField]) -> Properties:
    """The properties a node of `label` must bring for the fields selected on it: its
    id, the data fields asked for and the keys of the relations asked for (their
    resolvers read them when not planned); None (all of them) when a selected field
    has a resolver of its own, which may read any."""
    data, relations = _data_fields(label), FIELDS.get(label, {})
    if data is None or any(f.directives for f in selected):
        return None
    out = {"id"}
    for field in selected:
        if field.name == "__typename":
            continue
        relation = relations.get(field.name)
        if relation is not None:
            if relation.key is not None:
                out.add(relation.key)
        elif field.name in data:
            out.add(data[field.name])
        else:
            return None
    return frozenset(out)


def branches(ctx: Context, label: str, selected: Iterable[SelectedField]) -> tuple[Branch, ...]:
    """The plan's branches for the relation fields of `label` among `selected`, and
    theirs below them. A field whose arguments the API would refuse is left out: its
    resolver then raises at its own path, as it would without the plan."""
    relations = FIELDS.get(label, {})
    out = []
    for field in selected:
        relation = relations.get(field.name)
        if relation is None:
            continue
        inner = fields(field.selections)
        if relation.shown is kinds.Shown.PAGE:
            args = field.arguments or {}
            try:
                first = args.get("first")  # a literal's text, a variable's value
                at = window(ctx, None if first is None else int(first), args.get("after"))
            except (ValidationFailed, ValueError):
                continue
            limit: Window | None = Window(at.offset, at.limit)
            total = any(f.name == "totalCount" for f in inner)
            inner = under(inner, "edges", "node")
        else:
            limit = Window(0, 1) if relation.shown is kinds.Shown.ONE else None
            total = False
        if relation.shown_as_link and relation.key is None:
            # below a link object, the far node is its field named after the far kind
            # (Membership.signatory, Contribution.initiative, MappingLink.recommendation)
            inner = under(inner, to_camel_case(kinds.snake(relation.far)))
        below = branches(ctx, relation.far, inner)
        key = field.alias or field.name
        wanted = properties(relation.far, inner)
        out.append(Branch(key, label, relation.name, limit, total, below, wanted))
    return tuple(out)


def root_fields(info: Info[Context, None], *path: str) -> list[SelectedField]:
    """The fields selected at `path` below the field being resolved."""
    return under(fields(info.selected_fields), info.field_name, *path)


def made(cls: type[T], model: Any, row: dict[str, Any]) -> T:
    """`build`, keeping what the row's planned branches found on the object."""
    obj = build(cls, model, row)
    found = row.get(PLANNED)
    if found is not None:
        obj._planned = found  # type: ignore[attr-defined]
    return obj


def planned(obj: Any, info: Any) -> Found | None:
    """What the plan found for this field of `obj` (by its response key), if anything."""
    found = getattr(obj, "_planned", None)
    if found is None:
        return None
    answer: Found | None = found.get(info.path.key)
    return answer
