"""Relay-style connections over SKIP/LIMIT pages computed in Cypher.

Cursors are opaque to clients (base64 of the offset); the page is fetched with one
extra row to know whether another page follows, and `totalCount` costs a count query
only when the client asks for it.

Why not strawberry's relay connections: they slice a node iterable the resolver returns
and expect node types implementing `relay.Node`, whose `id` becomes a global id (type
name and source id, encoded). The registry's ids are the publishers' and the registry's
own (`nist-ssdf-1.1:po.1.1`), quoted in files, pages and crosswalks: turning them into
global ids would change every answer clients read, and the pages here are cut in Cypher
(one statement with the connection's window and count, graph/planning), not sliced.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry

from api.graphql.context import Context
from schema.errors import Problem, ValidationFailed

T = TypeVar("T")
R = TypeVar("R")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith("o:"):
            raise ValueError(cursor)
        offset = int(text[2:])
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            [Problem("is not a cursor this API gave out", field="after")]
        ) from exc
    if offset < 0:
        raise ValidationFailed([Problem("is not a cursor this API gave out", field="after")])
    return offset + 1


def page_size(first: int | None, *, default: int, maximum: int) -> int:
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise ValidationFailed([Problem(f"must be between 0 and {maximum}", field="first")])
    return first


@dataclass(frozen=True)
class Window:
    """Which rows a page shows: `size` from `offset`. Fetch `limit` rows (one more than
    shown) to know whether another page follows."""

    offset: int
    size: int

    @property
    def limit(self) -> int:
        return self.size + 1


def window(ctx: Context, first: int | None, after: str | None) -> Window:
    """The page a client asks for with `first` and `after`, checked against the limits."""
    settings = ctx.settings
    size = page_size(first, default=settings.default_page_size, maximum=settings.max_page_size)
    return Window(decode_cursor(after), size)


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of records matching the filters, over all pages.")
    async def total_count(self) -> int:
        return await self.count_total()


def connection(
    nodes: Sequence[T], at: Window, *, count_total: Callable[[], Awaitable[int]]
) -> Connection[T]:
    """Build a connection from the rows fetched for window `at` (up to `at.limit`)."""
    offset, size = at.offset, at.size
    shown = list(nodes[:size])
    edges = [Edge(cursor=encode_cursor(offset + i), node=n) for i, n in enumerate(shown)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(nodes) > size,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )


@dataclass(frozen=True)
class Listing(Generic[R, T]):
    """A list the API pages through with `first` and `after`: a repository's pair of reads,
    `rows(store, *args, skip=, limit=, **filters)` for a page and `count(store, *args,
    **filters)` for `totalCount`, and `make`, the node a row becomes."""

    rows: Callable[..., Sequence[R]]
    count: Callable[..., int]
    make: Callable[[R], T]

    async def page(
        self,
        ctx: Context,
        first: int | None,
        after: str | None,
        filters: Mapping[str, Any],
        *args: Any,
    ) -> Connection[T]:
        at = window(ctx, first, after)
        found = await ctx.run(self.rows, *args, skip=at.offset, limit=at.limit, **filters)

        async def total() -> int:
            return await ctx.run(self.count, *args, **filters)

        return connection([self.make(r) for r in found], at, count_total=total)
