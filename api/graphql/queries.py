"""Top-level read fields: lookups by id, paged lists with filters, and mixed search."""

from __future__ import annotations

import inspect
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeAlias, TypeVar, Union, cast

import strawberry
from pydantic import BaseModel
from strawberry.types import Info

from analysis import search as semantic_search
from analysis.search import bounded
from api.graphql import inputs, nodes, planning, projection
from api.graphql.building import build
from api.graphql.context import Context
from api.graphql.executor import Completed
from api.graphql.pagination import Connection, connection, page_size, window
from graph.browse import repository as browse
from graph.planning import reading as planner
from graph.planning.plan import Listing, Lookup, Window
from schema.kinds import BY_LABEL, LISTED, SEARCHED, Kind, snake

T = TypeVar("T")


# Label -> (GraphQL type, model) of every listed kind: its type in api/graphql/nodes.py,
# or one made from its model and relations where nodes.py has none.
TYPES: dict[str, tuple[type[Any], type[BaseModel]]] = {
    kind.label: (nodes.type_of(kind), kind.model) for kind in LISTED
}

if TYPE_CHECKING:
    SearchType: TypeAlias = Enum
    SearchResult: TypeAlias = Any
else:
    SearchType = strawberry.enum(
        Enum("SearchType", {snake(label).upper(): label for label in SEARCHED})
    )
    SearchResult = Annotated[
        Union[tuple(TYPES[label][0] for label in SEARCHED)],  # noqa: UP007 - made at runtime
        strawberry.union("SearchResult"),
    ]


@strawberry.type
class SearchHit:
    score: float
    node: SearchResult


async def lookup(info: Info[Context, None], label: str, id: str) -> Any:
    """One node by id, as its GraphQL type (None if absent), with the relations selected
    below it: one statement (graph/planning), awaited on the store's async client."""
    selected = planning.root_fields(info)
    below = planning.branches(info.context, label, selected)
    wanted = planning.properties(label, selected)
    row = await planner.lookup_async(info.context.planned, Lookup(label, id, below, wanted))
    if row is None:
        return None
    cls, model = TYPES[label]
    return projection.answer(
        info,
        lambda of, selections: projection.node(info.context, of, label, selections)(row),
        lambda: planning.made(cls, model, row),
    )


async def _list(
    info: Info[Context, None],
    label: str,
    *,
    where: Any,
    order_by: Enum | None,
    direction: inputs.OrderDirection,
    first: int | None,
    after: str | None,
) -> Connection[Any] | Completed:
    ctx = info.context
    at = window(ctx, first, after)
    filters: dict[str, Any] = {}
    search = None
    if where is not None:
        for name, value in vars(where).items():
            if name == "search":
                limit = ctx.settings.max_search_chars
                search = None if value is None else bounded(value, limit, field="where.search")
            elif isinstance(value, list):
                filters[name] = [v.value if isinstance(v, Enum) else v for v in value]
            else:
                filters[name] = value
    nodes_selected = planning.root_fields(info, "edges", "node")
    below = planning.branches(ctx, label, nodes_selected)
    plan = Listing(
        label,
        Window(at.offset, at.limit),
        filters,
        order_by.value if order_by else None,
        direction == inputs.OrderDirection.DESC,
        total=any(f.name == "totalCount" for f in planning.root_fields(info)),
        below=below,
        properties=planning.properties(label, nodes_selected),
    )
    # A text search ranks with its own (blocking) statements, in a worker thread; the
    # page is the one planned statement, awaited.
    narrowed = plan if search is None else await ctx.run(planner.ranked, plan, search)
    if narrowed is None:
        page = planner.nothing(plan)
    else:
        page = await planner.listing_async(ctx.planned, narrowed)
    cls, model = TYPES[label]

    async def total() -> int:
        if page.total is not None:
            return page.total
        request = browse.ListRequest(label, filters, plan.order, plan.descending, search)
        return await ctx.run(lambda store: browse.list_count(store, browse.resolve(store, request)))

    def written(of: Any, selections: Any) -> Any:
        write = projection.connection(of, selections, projection.nodes_of(ctx, label))
        return write([(row, row, {}) for row in page.rows], at, page.total)

    return projection.answer(
        info,
        written,
        lambda: connection(
            [planning.made(cls, model, r) for r in page.rows], at, count_total=total
        ),
    )


ASC = inputs.OrderDirection.ASC
# Every listed kind has a lookup and a list, in the schema from the kinds that point at
# others to the ones they point at (the reverse of the kinds' order).
LOOKUPS = LISTS = tuple(kind.label for kind in reversed(LISTED))


def _lookup_field(label: str) -> Any:
    """`initiative(id: ID!): Initiative`, and so on for each listed kind."""

    async def resolve(self: Any, info: Info[Context, None], id: strawberry.ID) -> Any:
        return await lookup(info, label, id)

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", POSITIONAL),
            inspect.Parameter("info", POSITIONAL, annotation=Info[Context, None]),
            inspect.Parameter("id", POSITIONAL, annotation=strawberry.ID),
        ],
        return_annotation=Optional[TYPES[label][0]],  # noqa: UP045 - a runtime value
    )
    resolve.__name__ = snake(label)
    return strawberry.field(resolver=resolve)


def linked(label: str, key: str, description: str | None = None) -> Any:
    """A field that is the `label` record whose id the object holds in `key` (null when it
    holds none, or the record is gone)."""

    async def resolve(self: Any, info: Info[Context, None]) -> Any:
        id = getattr(self, key)
        return None if id is None else await lookup(info, label, id)

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", POSITIONAL),
            inspect.Parameter("info", POSITIONAL, annotation=Info[Context, None]),
        ],
        return_annotation=Optional[TYPES[label][0]],  # noqa: UP045 - a runtime value
    )
    return strawberry.field(resolver=resolve, description=description)


def _list_field(kind: Kind) -> Any:
    """`initiatives(where:, orderBy:, direction:, first:, after:)`: the arguments the kind's
    listing offers, on one connection implementation."""
    assert kind.listing is not None
    label = kind.label

    async def resolve(
        self: Any,
        info: Info[Context, None],
        where: Any = None,
        order_by: Enum | None = None,
        direction: inputs.OrderDirection = ASC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Any] | Completed:
        return await _list(
            info, label, where=where, order_by=order_by, direction=direction, first=first,
            after=after,
        )  # fmt: skip

    parameters = [
        inspect.Parameter("self", POSITIONAL),
        inspect.Parameter("info", POSITIONAL, annotation=Info[Context, None]),
    ]
    where = inputs.WHERE.get(label)
    if where is not None:
        parameters.append(_optional("where", where))
    order = inputs.ORDER_FIELDS.get(label)
    if order is not None:
        parameters.append(_optional("order_by", order))
        parameters.append(
            inspect.Parameter(
                "direction", POSITIONAL, default=ASC, annotation=inputs.OrderDirection
            )
        )
    parameters += [_optional("first", int), _optional("after", str)]
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters,
        return_annotation=cast(Any, Connection)[TYPES[label][0]],
    )
    resolve.__name__ = kind.listing.api_name
    return strawberry.field(resolver=resolve, description=kind.listing.description)


POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _optional(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        POSITIONAL,
        default=None,
        annotation=Optional[annotation],  # noqa: UP045
    )


class ReadQueries:
    """Lookups by id and lists of every listed kind (made from schema/kinds.py), and
    mixed search."""


@strawberry.field(
    description="Search over several kinds of records, accents optional: full-text hits "
    "fused with those of the glossary's translation of the words and, for initiatives "
    "and recommendations, with the nearest in meaning (any language). `score` is the "
    "fused reciprocal-rank score: higher is better, comparable within one answer only."
)
async def search(
    self: Any,
    info: Info[Context, None],
    text: str,
    types: list[SearchType] | None = None,
    first: int = 20,
) -> list[SearchHit]:
    bounded(text, info.context.settings.max_search_chars)
    limit = page_size(first, default=20, maximum=info.context.settings.max_page_size)
    labels = [t.value for t in (types or list(SearchType))]
    hits = await info.context.run(semantic_search.search, text, labels, limit)
    out = []
    for hit in hits:
        cls, model = TYPES[hit.label]
        out.append(SearchHit(score=hit.score, node=build(cls, model, hit.node)))
    return out


for _label in LOOKUPS:
    setattr(ReadQueries, snake(_label), _lookup_field(_label))
for _label in LISTS:
    _kind = BY_LABEL[_label]
    assert _kind.listing is not None
    setattr(ReadQueries, _kind.listing.api_name, _list_field(_kind))
setattr(ReadQueries, "search", search)  # noqa: B010 - after the generated fields
strawberry.type(ReadQueries)  # in place: the class, now a GraphQL type
