"""Top-level read fields: lookups by id, paged lists with filters, and mixed search."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from pydantic import BaseModel
from strawberry.types import Info

from analysis import search as semantic_search
from api.graphql import inputs
from api.graphql.context import Context
from api.graphql.loaders import node_loader
from api.graphql.nodes import (
    Initiative,
    Principle,
    Recommendation,
    Signatory,
    Source,
    Topic,
    WorkingGroup,
    build,
)
from api.graphql.pagination import Connection, connection, decode_cursor, page_size
from api.graphql.prefetch import remember, wanted
from graph.repositories import browse
from schema import models as m

T = TypeVar("T")


@strawberry.enum
class SearchType(Enum):
    INITIATIVE = "Initiative"
    RECOMMENDATION = "Recommendation"
    SIGNATORY = "Signatory"
    SOURCE = "Source"
    TOPIC = "Topic"
    WORKING_GROUP = "WorkingGroup"


SearchResult = Annotated[
    Initiative | Recommendation | Signatory | Source | Topic | WorkingGroup,
    strawberry.union("SearchResult"),
]


@strawberry.type
class SearchHit:
    score: float
    node: SearchResult


TYPES: dict[str, tuple[type[Any], type[BaseModel]]] = {
    "Initiative": (Initiative, m.Initiative),
    "Recommendation": (Recommendation, m.Recommendation),
    "Signatory": (Signatory, m.Signatory),
    "Source": (Source, m.Source),
    "Topic": (Topic, m.Topic),
    "WorkingGroup": (WorkingGroup, m.WorkingGroup),
    "Principle": (Principle, m.Principle),
}


async def lookup(info: Info[Context, None], label: str, id: str) -> Any:
    """One node by id through the request's loader, as its GraphQL type (None if absent)."""
    row = await node_loader(info.context, label).load(id)
    if row is None:
        return None
    cls, model = TYPES[label]
    return build(cls, model, row)


async def _list(
    info: Info[Context, None],
    label: str,
    *,
    where: Any,
    order_by: Enum | None,
    direction: inputs.OrderDirection,
    first: int | None,
    after: str | None,
) -> Connection[Any]:
    ctx = info.context
    size = page_size(
        first, default=ctx.settings.default_page_size, maximum=ctx.settings.max_page_size
    )
    offset = decode_cursor(after)
    filters: dict[str, Any] = {}
    search = None
    if where is not None:
        for name, value in vars(where).items():
            if name == "search":
                search = value
            elif isinstance(value, list):
                filters[name] = [v.value if isinstance(v, Enum) else v for v in value]
            else:
                filters[name] = value
    request = browse.ListRequest(
        label=label,
        filters=filters,
        order=order_by.value if order_by else None,
        descending=direction == inputs.OrderDirection.DESC,
        search=search,
    )
    relations = wanted(info, label, ("edges", "node"))
    resolved, rows, found = await ctx.run(
        browse.resolve_and_page,
        request,
        skip=offset,
        limit=size + 1 if size else 0,
        relations=relations,
        shown=size,
    )
    remember(ctx, relations, [r["id"] for r in rows[:size]], found)
    cls, model = TYPES[label]

    async def total() -> int:
        return await ctx.run(browse.list_count, resolved)

    return connection(
        [build(cls, model, r) for r in rows], offset=offset, size=size, count_total=total
    )


ASC = inputs.OrderDirection.ASC


@strawberry.type
class ReadQueries:
    @strawberry.field
    async def initiative(self, info: Info[Context, None], id: strawberry.ID) -> Initiative | None:
        return await lookup(info, "Initiative", id)  # type: ignore[no-any-return]

    @strawberry.field
    async def working_group(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> WorkingGroup | None:
        return await lookup(info, "WorkingGroup", id)  # type: ignore[no-any-return]

    @strawberry.field
    async def signatory(self, info: Info[Context, None], id: strawberry.ID) -> Signatory | None:
        return await lookup(info, "Signatory", id)  # type: ignore[no-any-return]

    @strawberry.field
    async def recommendation(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> Recommendation | None:
        return await lookup(info, "Recommendation", id)  # type: ignore[no-any-return]

    @strawberry.field
    async def source(self, info: Info[Context, None], id: strawberry.ID) -> Source | None:
        return await lookup(info, "Source", id)  # type: ignore[no-any-return]

    @strawberry.field
    async def topic(self, info: Info[Context, None], id: strawberry.ID) -> Topic | None:
        return await lookup(info, "Topic", id)  # type: ignore[no-any-return]

    @strawberry.field
    async def principle(self, info: Info[Context, None], id: strawberry.ID) -> Principle | None:
        return await lookup(info, "Principle", id)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Initiatives, filtered and ordered (by title, or by rank when searching)."
    )
    async def initiatives(
        self,
        info: Info[Context, None],
        where: inputs.InitiativeWhere | None = None,
        order_by: inputs.InitiativeOrderField | None = None,
        direction: inputs.OrderDirection = ASC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Initiative]:
        return await _list(
            info,
            "Initiative",
            where=where,
            order_by=order_by,
            direction=direction,
            first=first,
            after=after,
        )

    @strawberry.field
    async def signatories(
        self,
        info: Info[Context, None],
        where: inputs.SignatoryWhere | None = None,
        order_by: inputs.SignatoryOrderField | None = None,
        direction: inputs.OrderDirection = ASC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Signatory]:
        return await _list(
            info,
            "Signatory",
            where=where,
            order_by=order_by,
            direction=direction,
            first=first,
            after=after,
        )

    @strawberry.field
    async def working_groups(
        self,
        info: Info[Context, None],
        where: inputs.WorkingGroupWhere | None = None,
        order_by: inputs.WorkingGroupOrderField | None = None,
        direction: inputs.OrderDirection = ASC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WorkingGroup]:
        return await _list(
            info,
            "WorkingGroup",
            where=where,
            order_by=order_by,
            direction=direction,
            first=first,
            after=after,
        )

    @strawberry.field
    async def recommendations(
        self,
        info: Info[Context, None],
        where: inputs.RecommendationWhere | None = None,
        order_by: inputs.RecommendationOrderField | None = None,
        direction: inputs.OrderDirection = ASC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Recommendation]:
        return await _list(
            info,
            "Recommendation",
            where=where,
            order_by=order_by,
            direction=direction,
            first=first,
            after=after,
        )

    @strawberry.field
    async def sources(
        self,
        info: Info[Context, None],
        where: inputs.SourceWhere | None = None,
        order_by: inputs.SourceOrderField | None = None,
        direction: inputs.OrderDirection = ASC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Source]:
        return await _list(
            info,
            "Source",
            where=where,
            order_by=order_by,
            direction=direction,
            first=first,
            after=after,
        )

    @strawberry.field(description="The topic taxonomy, by id.")
    async def topics(
        self,
        info: Info[Context, None],
        where: inputs.TopicWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Topic]:
        return await _list(
            info, "Topic", where=where, order_by=None, direction=ASC, first=first, after=after
        )

    @strawberry.field(description="The nine Paris Call principles, by code.")
    async def principles(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Principle]:
        return await _list(
            info, "Principle", where=None, order_by=None, direction=ASC, first=first, after=after
        )

    @strawberry.field(
        description="Search over several kinds of records, accents optional: full-text hits "
        "fused with those of the glossary's translation of the words and, for initiatives "
        "and recommendations, with the nearest in meaning (any language). `score` is the "
        "fused reciprocal-rank score: higher is better, comparable within one answer only."
    )
    async def search(
        self,
        info: Info[Context, None],
        text: str,
        types: list[SearchType] | None = None,
        first: int = 20,
    ) -> list[SearchHit]:
        limit = page_size(first, default=20, maximum=info.context.settings.max_page_size)
        labels = [t.value for t in (types or list(SearchType))]
        hits = await info.context.run(semantic_search.search, text, labels, limit)
        out = []
        for hit in hits:
            cls, model = TYPES[hit.label]
            out.append(SearchHit(score=hit.score, node=build(cls, model, hit.node)))
        return out
