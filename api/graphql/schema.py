"""Assemble the strawberry Schema from the per-domain query and mutation classes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.graphql.errors import ErrorCodes
from api.graphql.mutations import CurationMutations
from api.graphql.queries import ReadQueries


@strawberry.type
class Query(ReadQueries):
    pass


@strawberry.type
class Mutation(CurationMutations):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[ErrorCodes],
        config=StrawberryConfig(auto_camel_case=True),
    )
