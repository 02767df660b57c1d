"""GraphQL types and fields for working groups."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.pagination import Connection, connection, decode_cursor, page_size
from graph.repositories import working_groups as repo
from schema import enums
from schema.models import WorkingGroup as WorkingGroupModel

strawberry.enum(enums.WorkingGroupStatus)


@strawberry.type(description="A Paris Call working group.")
class WorkingGroup:
    id: strawberry.ID
    code: str
    name: str
    mandate: str | None
    status: enums.WorkingGroupStatus
    forum_year: int | None
    verified: bool
    note: str | None

    @classmethod
    def from_model(cls, m: WorkingGroupModel) -> WorkingGroup:
        return cls(
            id=strawberry.ID(m.id),
            code=m.code,
            name=m.name,
            mandate=m.mandate,
            status=m.status,
            forum_year=m.forum_year,
            verified=m.verified,
            note=m.note,
        )


@strawberry.type
class WorkingGroupQueries:
    @strawberry.field(description="Working groups, ordered by code.")
    async def working_groups(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[WorkingGroup]:
        ctx = info.context
        size = page_size(
            first, default=ctx.settings.default_page_size, maximum=ctx.settings.max_page_size
        )
        offset = decode_cursor(after)
        models = await ctx.run(repo.page, skip=offset, limit=size + 1)

        async def total() -> int:
            return await ctx.run(repo.count)

        return connection(
            [WorkingGroup.from_model(m) for m in models],
            offset=offset,
            size=size,
            count_total=total,
        )
