"""Abuse limits: request body size, and request rate per token and per address.

Both answer before any GraphQL work is done, in the GraphQL error shape, with the
status a client and a proxy understand: 413 for a body too large, 429 with Retry-After
when a caller goes too fast. Rates use a moving window (the `limits` library), in this
process's memory or in a storage every worker shares. The `RateBudget` is one for every
door: HTTP requests and WebSocket messages (api/sockets.py) draw on the same counters.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter as SharedMovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.leases import Claim, Leases, Refusals, most_leased
from api.requests import error_body
from api.web.session import TOKEN_COOKIE
from graph.rate_storage import shared_storage

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


# A shared storage that stops answering costs a request at most this long. The request is
# then counted in this process's own memory, never served without a budget.
SHARED_TIMEOUT_SECONDS = 2.0
# Round trips in flight to the shared storage per process; more wait for a free connection
# (a burst past an unbounded pool's size used to fail, and a failure served for free).
SHARED_CONNECTIONS = 64
# A failing shared storage is logged once, then at most this often, with a count.
FAILURE_LOG_SECONDS = 60.0
# What a failure of the shared storage looks like to the limiter (storage errors wrapped by
# `limits`, the socket's own errors and timeouts); anything else is a defect and raises.
SHARED_FAILURES = (StorageError, OSError, TimeoutError)


class RateBudget:
    """Requests per bearer token and per client address, whichever door they take."""

    def __init__(self, *, per_token: str, per_address: str, storage: str = "") -> None:
        # One process: its memory, counted in place. Several workers: a storage they share
        # (the embedded engine's Redis server, or one the deployment names), so a budget is
        # one budget; that storage is awaited, never waited on: a blocking round trip per
        # request held the worker's event loop for a fifth of a point read. When it fails,
        # this process's memory counts instead: a looser budget, never none.
        self.local = MovingWindowRateLimiter(storage_from_string("memory://"))
        self.shared: SharedMovingWindowRateLimiter | None = None
        self.close_shared: Callable[[], Awaitable[None]] | None = None
        if storage and not storage.startswith("memory://"):
            shared, self.close_shared = shared_storage(
                storage, connections=SHARED_CONNECTIONS, timeout=SHARED_TIMEOUT_SECONDS
            )
            self.shared = SharedMovingWindowRateLimiter(shared)
        self.per_token = parse(per_token)
        self.per_address = parse(per_address)
        self.failures = 0
        self.failure_logged = -math.inf
        self.leases = Leases()
        self.refusals = Refusals()
        self.claiming: dict[str, Claim] = {}
        self.waiting: dict[str, int] = {}  # requests waiting for a key's claim

    async def spend(self, *, address: str, token: str | None) -> int | None:
        """Count one request; None when it is within both budgets, else the seconds to
        wait. The token is kept hashed: no secret in the limiter's memory."""
        checks = [(self.per_address, "address:" + address)]
        if token:
            checks.append((self.per_token, "token:" + hashlib.sha256(token.encode()).hexdigest()))
        for limit, key in checks:
            wait = await self._wait(limit, key)
            if wait is not None:
                return wait
        return None

    async def aclose(self) -> None:
        """The shared storage's connections, closed with the loop they belong to."""
        if self.close_shared is not None:
            await self.close_shared()

    async def _wait(self, limit: RateLimitItem, key: str) -> int | None:
        if self.shared is not None:
            refused = self.refusals.wait(key)
            if refused is not None:
                return refused
            try:
                within = await self._shared_within(self.shared, limit, key)
            except SHARED_FAILURES as exc:
                self._failed(exc)  # counted below, in this process's memory
            else:
                if within:
                    return None
                refused = self.refusals.wait(key)  # another request of this key's
                if refused is not None:
                    return refused
                try:
                    stats = await self.shared.get_window_stats(limit, key)
                except SHARED_FAILURES as exc:
                    self._failed(exc)
                    return limit.get_expiry()  # over budget all the same: the whole window
                if stats.remaining > 0:  # freed meanwhile: its reset time is another's
                    return 1
                self.refusals.refuse(key, stats.reset_time)
                return _seconds_to(stats.reset_time)
        if self.local.hit(limit, key):
            return None
        return _seconds_to(self.local.get_window_stats(limit, key).reset_time)

    async def _shared_within(
        self, shared: SharedMovingWindowRateLimiter, limit: RateLimitItem, key: str
    ) -> bool:
        """One request of the shared budget: from this worker's lease, or claimed. One
        claim per key at a time: requests arriving meanwhile wait for it, and the next
        claim is sized for them."""
        while True:
            if self.leases.take(key):
                return True
            claim = self.claiming.get(key)
            if claim is None:
                break
            self.waiting[key] = self.waiting.get(key, 0) + 1
            try:
                await claim.done.wait()
            finally:
                self.waiting[key] -= 1
                if not self.waiting[key]:
                    del self.waiting[key]
            if claim.failure is not None:
                raise ConnectionError(f"the shared storage failed: {claim.failure!r}")
            if self.refusals.wait(key) is not None:
                return False
        claim = self.claiming[key] = Claim()
        try:
            return await self._claim(shared, limit, key)
        except SHARED_FAILURES as exc:
            claim.failure = exc
            raise
        finally:
            del self.claiming[key]
            claim.done.set()

    async def _claim(
        self, shared: SharedMovingWindowRateLimiter, limit: RateLimitItem, key: str
    ) -> bool:
        """A lease of the shared budget, or this one request when a lease would go over
        it: a budget is refused only when not one request is left."""
        size = self.leases.next_size(key, most_leased(limit), self.waiting.get(key, 0))
        stamped = time.monotonic()
        if await shared.hit(limit, key, cost=size):
            self.leases.grant(key, size, stamped)
            return True
        if size > 1 and await shared.hit(limit, key):
            self.leases.grant(key, 1, stamped)
            return True
        return False

    def _failed(self, exc: BaseException) -> None:
        self.failures += 1
        now = time.monotonic()
        if now - self.failure_logged >= FAILURE_LOG_SECONDS:
            log.warning(
                "rate limits counted in this process only: their shared storage failed "
                "(%r; %d failure(s) since the last message)",
                exc,
                self.failures,
            )
            self.failure_logged, self.failures = now, 0


def _seconds_to(reset: float) -> int:
    return max(1, math.ceil(reset - time.time()))


def too_many(wait: int) -> str:
    return f"too many requests; try again in {wait} s"


def client_address(scope: Scope) -> str:
    """The caller's address. A trusted proxy's X-Forwarded-For was applied by
    ForwardedForMiddleware, which runs first; the header itself is never read here."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def presented_token(headers: dict[bytes, bytes], cookie: str | None) -> str | None:
    """The token a request presents, as the rate budget counts it: the Authorization
    header's bearer value (the whole header when it is not one), or the page session's
    cookie."""
    authorization = headers.get(b"authorization")
    if authorization:
        header = authorization.decode("latin-1")
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() == "bearer" and value.strip() else header
    return cookie or None


class RateLimitMiddleware:
    """HTTP requests to `paths` spend the budget; over it: 429 with Retry-After."""

    def __init__(self, app: ASGIApp, *, budget: RateBudget, paths: tuple[str, ...]) -> None:
        self.app = app
        self.budget = budget
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.paths):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        cookie = HTTPConnection(scope).cookies.get(TOKEN_COOKIE)
        wait = await self.budget.spend(
            address=client_address(scope), token=presented_token(headers, cookie)
        )
        if wait is not None:
            start, body = _reply(
                429, too_many(wait), "RATE_LIMITED", [(b"retry-after", str(wait).encode())]
            )
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
