"""Turn project errors into GraphQL errors with a code, and mask everything else.

A client sees `extensions.code` (VALIDATION, NOT_FOUND, CONFLICT, FORBIDDEN,
UNAUTHENTICATED, GRAPH_UNAVAILABLE, INTERNAL) and `extensions.requestId`; an
unexpected error is logged with its traceback and the request id, and the client gets
a fixed message, never a stack trace or a statement.
"""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError, GraphQLSyntaxError

from api.requests import request_id
from graph.errors import GraphQueryError
from schema.errors import Conflict, GraphUnavailable, NotFound, PariscallError, ValidationFailed

log = logging.getLogger("pariscall.api")

MASKED = "Internal error; quote the request id to an operator"


# graphql-core's "Did you mean ...?" on arguments and input fields, which production's
# `disable_field_suggestions` does not cover: they would reveal the schema.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def describe(error: GraphQLError, *, production: bool = False) -> GraphQLError:
    """The error as a client may see it: with a code and the request id, masked when
    unexpected, without schema hints in production. Applying it twice changes nothing."""
    quoted = request_id()
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation and limit refusals from the GraphQL layer itself: safe to
        # show, each with a code a client can branch on.
        coded = _coded(error, quoted)
        if production:
            coded.message = _SUGGESTION.sub("", coded.message)
        return coded
    extensions = dict(error.extensions or {})
    extensions["requestId"] = quoted
    if isinstance(original, PariscallError) and not isinstance(original, GraphQueryError):
        extensions["code"] = original.code
        if isinstance(original, ValidationFailed):
            extensions["problems"] = [
                {"field": p.field, "message": p.message} for p in original.problems
            ]
        if isinstance(original, Conflict) and original.current_version is not None:
            extensions["currentVersion"] = original.current_version
        if isinstance(original, NotFound):
            extensions["kind"] = original.kind
        message = str(original)
        if isinstance(original, GraphUnavailable):
            log.warning("request %s: %s", quoted, original)
            message = GraphUnavailable.public
    else:
        log.error("unexpected error in request %s", quoted, exc_info=original)
        extensions["code"] = "INTERNAL"
        message = MASKED
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=extensions)


def _coded(error: GraphQLError, request_id: str) -> GraphQLError:
    extensions = dict(error.extensions or {})
    if "code" not in extensions:
        if isinstance(error, GraphQLSyntaxError):
            extensions["code"] = "GRAPHQL_PARSE"
        elif "token" in error.message and "maximum" in error.message:
            extensions["code"] = "TOO_MANY_TOKENS"
        else:
            extensions["code"] = "GRAPHQL_VALIDATION"
    extensions["requestId"] = request_id
    error.extensions = extensions
    return error


def log_client_or_server(errors: list[GraphQLError]) -> None:
    """A client's mistake is logged at INFO (operators keep ERROR for real faults);
    unexpected errors are logged by `describe` with their request id."""
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, PariscallError | GraphQLError):
            log.info("refused request %s: %s", request_id(), error.message)
