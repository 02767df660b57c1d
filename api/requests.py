"""Request ids: taken from a sane X-Request-ID header or made up, echoed in the response,
and attached to log lines and masked errors so a user can quote it to an operator."""

from __future__ import annotations

import contextvars
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "pariscall_request_id", default="-"
)


class RequestIdMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would break streaming and context)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SANE.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)


def error_body(message: str, code: str) -> dict[str, object]:
    """A GraphQL-shaped error answered before GraphQL runs (401, 413, 429), so clients
    show it like any other error, with the request id to quote."""
    return {
        "data": None,
        "errors": [
            {
                "message": message,
                "extensions": {"code": code, "requestId": current_request_id.get()},
            }
        ],
    }
