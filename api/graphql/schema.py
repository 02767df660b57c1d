"""Assemble the strawberry Schema from the per-domain query and mutation classes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.graphql.errors import ErrorCodes
from api.graphql.working_groups import WorkingGroupQueries


@strawberry.type
class Query(WorkingGroupQueries):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        extensions=[ErrorCodes],
        config=StrawberryConfig(auto_camel_case=True),
    )
