"""HTTP-level abuse limits: request body size, and request rate per token and per address.

Both answer before any GraphQL work is done, in the GraphQL error shape, with the
status a client and a proxy understand: 413 for a body too large, 429 with Retry-After
when a caller goes too fast. Rates use a moving window (the `limits` library), kept in
memory: one process, one budget; run several workers and each keeps its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.requests import error_body

log = logging.getLogger("pariscall.api")


def _reply(
    status: int, message: str, code: str, headers: list[tuple[bytes, bytes]]
) -> tuple[dict[str, object], bytes]:
    body = json.dumps(error_body(message, code)).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
    }
    return start, body


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes`, whether announced by Content-Length or streamed."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, larger: dict[str, int] | None = None
    ) -> None:
        """`larger` gives some paths (file uploads) their own, higher limit."""
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except _TooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        start, body = _reply(
            413,
            f"request body larger than {limit} bytes",
            "PAYLOAD_TOO_LARGE",
            [],
        )
        await send(start)
        await send({"type": "http.response.body", "body": body})


class RateLimitMiddleware:
    """Requests per bearer token and per client address; over either budget: 429."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_token: str,
        per_address: str,
        storage: str = "",
        paths: tuple[str, ...] = ("/graphql",),
    ) -> None:
        self.app = app
        # One process: its memory. Several workers: a storage they share (the embedded
        # engine's Redis server, or one the deployment names), so a budget is one budget.
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage or "memory://"))
        self.per_token = parse(per_token)
        self.per_address = parse(per_address)
        self.paths = paths

    def _address(self, scope: Scope, headers: dict[bytes, bytes]) -> str:
        # A trusted proxy's X-Forwarded-For was applied by ForwardedForMiddleware, which
        # runs first; the header itself is never read here.
        client = scope.get("client")
        return str(client[0]) if client else "unknown"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.paths):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        checks = [(self.per_address, "address:" + self._address(scope, headers))]
        authorization = headers.get(b"authorization")
        if authorization:
            # The hash keeps secrets out of the limiter's memory.
            checks.append((self.per_token, "token:" + hashlib.sha256(authorization).hexdigest()))
        for limit, key in checks:
            try:
                within = self.limiter.hit(limit, key)
            except Exception as exc:  # the shared storage is down: serve, and say so
                log.warning("rate limits not applied: their storage failed (%s)", exc)
                break
            if not within:
                reset = self.limiter.get_window_stats(limit, key).reset_time
                wait = max(1, math.ceil(reset - time.time()))
                start, body = _reply(
                    429,
                    f"too many requests; try again in {wait} s",
                    "RATE_LIMITED",
                    [(b"retry-after", str(wait).encode())],
                )
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
