"""Bearer-token authentication: who the caller is, decided once per request.

A request without a token is anonymous (allowed to read when the deployment says so);
a token that is unknown, expired or revoked is refused with 401, whatever the request,
so a client never mistakes a broken credential for anonymous access.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from fastapi import Request, WebSocket
from fastapi.responses import JSONResponse

from api.requests import error_body
from api.web import session
from graph.access import repository as access
from graph.store import GraphStore
from schema.access import ANONYMOUS, Actor, actor_of, hash_secret, token_problem
from schema.errors import Unauthenticated


def bearer(request: Request) -> str | None:
    """The token of a request: its Authorization header, or the page session's cookie.

    A cookie-borne token on a POST must come with the page's CSRF token (see
    api/web/session.py), or the request is refused.
    """
    header = request.headers.get("authorization")
    if not header:
        cookie = request.cookies.get(session.TOKEN_COOKIE)
        sent = request.headers.get(session.CSRF_HEADER)
        if cookie and request.method != "GET" and not session.csrf_ok(request, sent):
            raise Unauthenticated("missing or wrong CSRF token: reload the page")
        return cookie or None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return value.strip()


def socket_bearer(socket: WebSocket) -> str | None:
    """The token of a WebSocket handshake: its Authorization header, or the page
    session's cookie when the page that opens it is this site's own (same Origin as
    Host), so another site cannot ride a signed-in browser's cookie."""
    header = socket.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        return value.strip()
    cookie = socket.cookies.get(session.TOKEN_COOKIE)
    origin = urlsplit(socket.headers.get("origin", "")).netloc
    if cookie and origin and origin == socket.headers.get("host"):
        return cookie
    return None


def authenticate(store: GraphStore, secret: str | None, *, anonymous_read: bool) -> Actor:
    """The actor of a request, or Unauthenticated with the reason."""
    if secret is None:
        if not anonymous_read:
            raise Unauthenticated("this registry needs an API token: send 'Bearer <token>'")
        return ANONYMOUS
    token = access.token_by_hash(store, hash_secret(secret))
    problem = token_problem(token, datetime.now(UTC))
    if problem or token is None:
        raise Unauthenticated(problem or "unknown API token")
    return actor_of(token)


def refused(exc: Unauthenticated) -> JSONResponse:
    """A GraphQL-shaped 401, so GraphQL clients show the reason like any other error."""
    body = error_body(str(exc), exc.code)
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
