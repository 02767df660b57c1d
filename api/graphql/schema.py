"""Assemble the strawberry Schema from the per-domain query and mutation classes."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from api.graphql.analysis import AnalysisMutations, AnalysisQueries
from api.graphql.audit_log import AuditQueries
from api.graphql.errors import ErrorCodes
from api.graphql.mutations import CurationMutations
from api.graphql.queries import ReadQueries


@strawberry.type
class Query(ReadQueries, AnalysisQueries, AuditQueries):
    pass


@strawberry.type
class Mutation(CurationMutations, AnalysisMutations):
    pass


def _parser_cache() -> ParserCache:
    return ParserCache(maxsize=512)


def _validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=512)


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        # Clients send the same documents again and again: parse and validate each once
        # (the caches are shared across requests; the extensions are made per request).
        extensions=[ErrorCodes, _parser_cache, _validation_cache],
        config=StrawberryConfig(auto_camel_case=True),
    )
