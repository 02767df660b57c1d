"""Assemble the strawberry Schema from the per-domain query and mutation classes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document

from api.graphql.analysis import AnalysisMutations, AnalysisQueries
from api.graphql.audit import AuditQueries
from api.graphql.collaboration import CollaborationMutations, CollaborationQueries
from api.graphql.contributions import ContributionMutations, ContributionQueries
from api.graphql.cost import cost_rule
from api.graphql.discussion import DiscussionMutations, DiscussionQueries
from api.graphql.errors import describe, error_codes, log_client_or_server
from api.graphql.executor import ShortcutExecutionContext
from api.graphql.import_runs import ImportRunQueries
from api.graphql.mutations import CurationMutations
from api.graphql.queries import ReadQueries
from api.graphql.subscriptions import Subscription
from api.graphql.webhooks import WebhookMutations, WebhookQueries
from api.settings import Settings


@strawberry.type
class Query(
    ReadQueries,
    AnalysisQueries,
    AuditQueries,
    ImportRunQueries,
    CollaborationQueries,
    ContributionQueries,
    DiscussionQueries,
    WebhookQueries,
):
    pass


@strawberry.type
class Mutation(
    CurationMutations,
    AnalysisMutations,
    CollaborationMutations,
    ContributionMutations,
    DiscussionMutations,
    WebhookMutations,
):
    pass


def _parser_cache() -> ParserCache:
    return ParserCache(maxsize=512)


class _ValidationCache(SchemaExtension):
    """Each document validated once per schema. strawberry's own ValidationCache keeps
    one LRU per process keyed by schema, so every schema ever built stays alive with it
    (a test run builds hundreds, about 8,000 objects each, and the collector's full passes
    over them stalled requests for seconds); this cache belongs to one schema and goes
    with it."""

    def __init__(self, validate: Callable[..., Any]) -> None:
        super().__init__()
        self.validate = validate

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.pre_execution_errors = self.validate(
            context.schema._schema, context.graphql_document, context.validation_rules
        )
        yield


class _ByDocument:
    """`validate_document` remembered per parsed document, by identity: the parser cache
    hands the same document object for the same text, and hashing a document (an lru
    cache's key) walks its whole tree at every request. The documents are held, so an id
    is never another document's."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.known: dict[tuple[int, tuple[Any, ...]], tuple[Any, Any]] = {}

    def __call__(self, schema: Any, document: Any, rules: tuple[Any, ...]) -> Any:
        key = (id(document), rules)  # the rules: a new tuple of the same classes each time
        found = self.known.get(key)
        if found is not None and found[0] is document:
            self.hits += 1
            return found[1]
        errors = validate_document(schema, document, rules)
        if len(self.known) >= self.size:
            self.known.pop(next(iter(self.known)))
        self.known[key] = (document, errors)
        return errors


def _validation_cache() -> Callable[[], _ValidationCache]:
    validate = _ByDocument(512)
    return lambda: _ValidationCache(validate)


def _limits(settings: Settings) -> list[Callable[[], Any]]:
    """Depth, alias, token and cost bounds; each refuses the request before it runs."""
    rule = cost_rule(
        max_cost=settings.max_cost,
        largest_page=settings.max_page_size,
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
    )
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules([rule]),
    ]


class Schema(strawberry.Schema):
    production = False

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Client mistakes at INFO, not strawberry's ERROR with a traceback; and each error
        coded in place, which is how a subscription's errors get their code (its results
        do not pass through the operation's extension)."""
        log_client_or_server(errors)
        errors[:] = [describe(e, production=self.production) for e in errors]


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema; production mode turns introspection and field suggestions off."""
    settings = settings or Settings()
    extensions: list[Any] = [
        error_codes(production=settings.production),
        *_limits(settings),
        _parser_cache,
        _validation_cache(),
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Clients send the same documents again and again: parse and validate each once
        # (the caches are shared across requests; the extensions are made per request).
        extensions=extensions,
        # The shortcuts lean on graphql-core internals: a setting turns them off, and the
        # GraphQL tests run both ways (tests/e2e/conftest.py).
        execution_context_class=ShortcutExecutionContext if settings.graphql_shortcuts else None,
        config=StrawberryConfig(
            auto_camel_case=True, disable_field_suggestions=settings.production
        ),
    )
    schema.production = settings.production
    return schema
