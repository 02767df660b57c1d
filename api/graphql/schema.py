"""Assemble the strawberry Schema from the per-domain query and mutation classes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document

from api.graphql.analysis import AnalysisMutations, AnalysisQueries
from api.graphql.audit import AuditQueries
from api.graphql.collaboration import CollaborationMutations, CollaborationQueries
from api.graphql.contributions import ContributionMutations, ContributionQueries
from api.graphql.cost import cost_rule
from api.graphql.discussion import DiscussionMutations, DiscussionQueries
from api.graphql.errors import describe, log_client_or_server
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


class RequestRules(SchemaExtension):
    """Every rule a request is held to, in one extension made per request: its token
    bound at parsing, its cost and depth (and, in production, no introspection) at
    validation, the parsed and validated documents reused from the schema's caches, and
    its errors coded. Six extensions did this, and strawberry looks up every hook of
    every extension at every request: a tenth of a point read."""

    def __init__(self, shared: RuleCaches) -> None:
        super().__init__()
        self.shared = shared

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.shared.max_tokens
        context.validation_rules = context.validation_rules + self.shared.rules
        yield
        result = context.result
        if result is not None and result.errors:
            result.errors = [describe(e, production=self.shared.production) for e in result.errors]

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if _cached(context.query):
            context.graphql_document = self.shared.parse(context.query, **context.parse_options)
        yield  # a long text is parsed by strawberry, and kept by no cache

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not _cached(context.query):
            yield  # validated by strawberry
            return
        errors = self.shared.validate(
            context.schema._schema, context.graphql_document, context.validation_rules
        )
        context.pre_execution_errors = errors
        if not errors and context.query is not None and context.graphql_document is not None:
            self.shared.clean.keep(context.query, context.graphql_document)
        yield


# Texts up to this long are parsed, validated and kept once each (512 of each at most):
# the body limit lets a 2 MB document through, and a few hundred of them kept would pin
# gigabytes.
CACHED_TEXT_MOST = 20_000


def _cached(query: str | None) -> bool:
    return query is not None and len(query) <= CACHED_TEXT_MOST


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


class CleanDocuments:
    """Query texts whose documents passed every rule, with their operations by name (None
    for the only one): what api/graphql/known_queries.py may run directly."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.known: dict[str, tuple[DocumentNode, dict[str | None, OperationType]]] = {}

    def keep(self, query: str, document: DocumentNode) -> None:
        if query in self.known:
            return
        operations = {
            d.name.value if d.name else None: d.operation
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        }
        if len(operations) == 1:
            operations[None] = next(iter(operations.values()))
        if len(self.known) >= self.size:
            self.known.pop(next(iter(self.known)))
        self.known[query] = (document, operations)

    def query(self, text: str, operation: str | None) -> DocumentNode | None:
        """The clean document of `text` when `operation` names one of its queries."""
        found = self.known.get(text)
        if found is None or found[1].get(operation) is not OperationType.QUERY:
            return None
        self.hits += 1
        return found[0]


class RuleCaches:
    """What the requests of one schema share: the bounds of settings, and the documents
    parsed and validated once each. strawberry's own validation cache keeps one LRU per
    process keyed by schema, so every schema ever built stayed alive with it (a test run
    builds hundreds, about 8,000 objects each, and the collector's full passes over them
    stalled requests for seconds); these caches belong to one schema and go with it."""

    def __init__(self, settings: Settings) -> None:
        self.production = settings.production
        self.max_tokens = settings.max_tokens
        cost = cost_rule(
            max_cost=settings.max_cost,
            largest_page=settings.max_page_size,
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
        )
        introspection = (NoSchemaIntrospectionCustomRule,) if settings.production else ()
        self.rules: tuple[type[ASTValidationRule], ...] = (cost, *introspection)
        self.parse: Callable[..., DocumentNode] = lru_cache(maxsize=512)(parse)
        self.validate = _ByDocument(512)
        self.clean = CleanDocuments(512)

    def extension(self) -> RequestRules:
        return RequestRules(self)


class Schema(strawberry.Schema):
    production = False
    rules: RuleCaches

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Client mistakes at INFO, not strawberry's ERROR with a traceback; and each error
        coded in place, which is how a subscription's errors get their code (its results
        do not pass through the operation's extension)."""
        log_client_or_server(errors)
        errors[:] = [describe(e, production=self.production) for e in errors]


def build_schema(settings: Settings | None = None) -> Schema:
    """The schema; production mode turns introspection and field suggestions off."""
    settings = settings or Settings()
    rules = RuleCaches(settings)
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Clients send the same documents again and again: parse and validate each once
        # (the caches are shared across requests; the extension is made per request).
        extensions=[rules.extension],
        # The shortcuts lean on graphql-core internals: a setting turns them off, and the
        # GraphQL tests run both ways (tests/e2e/conftest.py).
        execution_context_class=ShortcutExecutionContext if settings.graphql_shortcuts else None,
        config=StrawberryConfig(
            auto_camel_case=True, disable_field_suggestions=settings.production
        ),
    )
    schema.production = settings.production
    schema.rules = rules
    return schema
