"""Request ids: taken from a sane X-Request-ID header or made up, echoed in the response,
and attached to log lines and masked errors so a user can quote it to an operator.

asgi-correlation-id carries the id (HTTP and WebSocket scopes alike); this module says
which incoming ids are believed and how an id is read where none was set."""

from __future__ import annotations

import re
import uuid

from asgi_correlation_id import CorrelationIdMiddleware
from asgi_correlation_id import correlation_id as current_request_id

__all__ = [
    "CorrelationIdMiddleware",
    "current_request_id",
    "error_body",
    "new_request_id",
    "request_id",
    "sane_request_id",
]

_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def sane_request_id(incoming: str) -> bool:
    """An incoming id is kept only if it cannot smuggle anything into a log line."""
    return _SANE.fullmatch(incoming) is not None


def new_request_id() -> str:
    """A fresh id, where the client sent none or one not believed."""
    return uuid.uuid4().hex


def request_id() -> str:
    """The current request's id, or '-' outside any request (start-up, CLI)."""
    return current_request_id.get() or "-"


def error_body(message: str, code: str) -> dict[str, object]:
    """A GraphQL-shaped error answered before GraphQL runs (401, 413, 429), so clients
    show it like any other error, with the request id to quote."""
    return {
        "data": None,
        "errors": [
            {
                "message": message,
                "extensions": {"code": code, "requestId": request_id()},
            }
        ],
    }
