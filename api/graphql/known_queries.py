"""Queries the registry already knows, answered without strawberry's HTTP view.

Clients send the same few documents again and again. Once a document has passed every
rule on the standard path (parsed within the token bound, validated with the cost, depth
and introspection rules: api/graphql/schema.py keeps it as clean), a plain POST of one of
its queries is run here by graphql-core directly: the same context (made before, by the
same call), the same execution context class, the same description of errors and the
same answer. strawberry's view and operation runner around that execution took a third
of a point read's server time.

Anything else goes the standard way: a document not yet seen, refused or longer than the
caches keep, a mutation or a subscription, a body that is not a plain JSON object (a
batch, uploads, `extensions`) or larger than KNOWN_BODY_MOST, a content type the view
would not read as JSON.
"""

from __future__ import annotations

from inspect import isawaitable
from typing import Any, cast

from graphql import ExecutionResult as CoreResult
from graphql import GraphQLError, execute
from starlette.requests import Request
from strawberry.execution import optimized_is_awaitable
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types.execution import ExecutionResult

from api.graphql.context import Context
from api.graphql.schema import Schema

# A larger body is left to the view unread: a known query is short (api/graphql/schema.py
# keeps texts up to CACHED_TEXT_MOST), and the view would read the body a second time.
KNOWN_BODY_MOST = 64 * 1024


async def known_query(
    schema: Schema, request: Request, context: Context, parse_json: Any
) -> ExecutionResult | None:
    """The result of a known query, its errors described, or None for the standard path.
    `parse_json` is the view's own reader of JSON bodies."""
    if not _json_body(request.headers.get("content-type", "")):
        return None
    body = await request.body()  # the body limit refuses it here, as the view's reading
    if len(body) > KNOWN_BODY_MOST:
        return None
    try:
        data = parse_json(body)
    except Exception:  # the view refuses it with its own message
        return None
    if not isinstance(data, dict) or data.get("extensions") is not None:
        return None
    query, variables, operation = (
        data.get("query"),
        data.get("variables"),
        data.get("operationName"),
    )
    if (
        not isinstance(query, str)
        or not isinstance(variables, dict | None)
        or not isinstance(operation, str | None)
    ):
        return None
    document = schema.rules.clean.query(query, operation)
    if document is None:
        return None
    result = await _executed(schema, document, context, variables, operation)
    if result.errors:
        schema.process_errors(result.errors)
    return ExecutionResult(data=result.data, errors=result.errors)


async def _executed(
    schema: Schema,
    document: Any,
    context: Context,
    variables: dict[str, Any] | None,
    operation: str | None,
) -> CoreResult:
    """The operation run as strawberry's runner runs it; an exception outside a resolver
    becomes the request's error, as there (a GraphQL error as it is)."""
    try:
        result = execute(
            schema._schema,
            document,
            root_value=None,
            context_value=context,
            variable_values=variables,
            operation_name=operation,
            is_awaitable=cast(Any, optimized_is_awaitable),
            executor_class=schema.execution_context_class,
        )
        if isawaitable(result):
            result = await result
    except GraphQLError as error:
        return CoreResult(data=None, errors=[error])
    except Exception as exc:  # described (masked) like the runner's
        return CoreResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])
    return result


def _json_body(content_type: str) -> bool:
    """Whether the view reads the body as JSON: its media type, parameters set aside."""
    if content_type == "application/json":
        return True
    return "application/json" in parse_content_type(content_type)[0] if content_type else False
