"""FastAPI application factory: one GraphStore per process, opened in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any, cast

import anyio.to_thread
import orjson
from cross_web import HTTPException  # what strawberry's HTTP views raise (its dependency)
from fastapi import BackgroundTasks, FastAPI, Request, WebSocket
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.requests import HTTPConnection
from starlette.routing import Route
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from api.auth import authenticate, bearer, refused, socket_bearer
from api.delivery.events import Broker, channel_of
from api.delivery.webhooks import Dispatcher
from api.forwarded import ForwardedForMiddleware, networks
from api.graphql.context import Context
from api.graphql.errors import describe
from api.graphql.known_queries import known_query
from api.graphql.schema import Schema, build_schema
from api.graphql.transport import GuardedSocket, SocketRules, TextFrames, sign_in
from api.limits import BodyLimitMiddleware, RateBudget, RateLimitMiddleware
from api.requests import (
    CorrelationIdMiddleware,
    error_body,
    new_request_id,
    request_id,
    sane_request_id,
)
from api.settings import Settings
from api.sockets import Sockets
from api.uploads import router as upload_router
from api.web.graphiql import offline
from api.web.headers import SecurityHeadersMiddleware, graphiql_policy
from api.web.pages import mount as mount_pages
from api.web.pages import unavailable_page
from graph.connect import open_store
from graph.migrations.runner import upgrade
from graph.store import GraphStore
from schema.access import ANONYMOUS
from schema.errors import GraphUnavailable, Unauthenticated

log = logging.getLogger("pariscall.api")


class BadRequestBody(Exception):
    """A GraphQL request body that is not JSON this service can read."""


class Router(GraphQLRouter[Any, None]):
    production = False
    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = GuardedSocket
    # One socket protocol, the one its checks are written for (the README's).
    protocols = (GRAPHQL_TRANSPORT_WS_PROTOCOL,)
    socket_rules: SocketRules
    # The response whose status and headers the view may set (strawberry's FastAPI route
    # sets it before each run; so does _graphql_post).
    temporal_response: Response

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL that works offline: its assets come from our static files."""
        return offline(super().graphql_ide_html)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """GraphiQL under the pages' policy, its own inline script and style allowed."""
        html = self.graphql_ide_html
        return HTMLResponse(html, headers={"content-security-policy": graphiql_policy(html)})

    def parse_json(self, data: str | bytes) -> Any:
        """Refused bodies get a GraphQL-shaped JSON 400, never a plain-text answer: not
        JSON, or nested deeper than a parser may follow (orjson stops at 1,024 levels;
        the standard module overflowed Python's stack at 50,000 and answered 500)."""
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            if "depth" in str(exc).lower() or "recursion" in str(exc).lower():
                raise BadRequestBody(
                    "the request body nests JSON more than 1,024 levels deep"
                ) from exc
            raise BadRequestBody(f"the request body is not valid JSON: {exc}") from exc

    async def process_result(self, request: Any, result: ExecutionResult) -> Any:
        """Errors refused before the operation ran (a syntax error) never reach the
        schema's error extension: describe them here; the others were already, and
        `describe` leaves them as they are."""
        if result.errors:
            result.errors = [describe(e, production=self.production) for e in result.errors]
        return await super().process_result(request, result)

    async def on_ws_connect(self, context: Context) -> dict[str, object]:
        """connection_init signs the socket in (api/graphql/transport.py)."""
        return await sign_in(context, self.socket_rules.sockets)

    def encode_json(self, data: object) -> str | bytes:
        """orjson: a dashboard's 30 KB answer in 0.04 ms instead of 0.28 ms; the standard
        encoder for anything orjson refuses (integers beyond 64 bits)."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return super().encode_json(data)


def create_app(settings: Settings, *, store: GraphStore | None = None) -> FastAPI:
    """Build the app; with `store` given, the caller owns it (tests, embedding)."""
    # One rate budget for HTTP requests and WebSocket messages alike.
    budget = RateBudget(
        per_token=settings.rate_limit_per_token,
        per_address=settings.rate_limit_per_address,
        storage=settings.rate_limit_storage,
    )
    sockets = Sockets(
        per_token=settings.max_sockets_per_token,
        per_address=settings.max_sockets_per_address,
        every=settings.socket_recheck_seconds,
    )
    app = FastAPI(
        title="Paris Call supply-chain registry",
        lifespan=_lifespan(settings, store, sockets, budget),
        docs_url=None if settings.production else "/docs",
        redoc_url=None,
        openapi_url=None if settings.production else "/openapi.json",
    )
    _add_limits(app, settings, budget)
    _add_error_answers(app)
    _mount_graphql(app, settings, SocketRules(
        sockets=sockets, budget=budget, max_message_bytes=settings.max_body_bytes
    ))  # fmt: skip
    app.include_router(upload_router())
    mount_pages(app, settings)
    app.add_api_route("/health", health, methods=["GET"])
    return app


def _lifespan(
    settings: Settings, store: GraphStore | None, sockets: Sockets, budget: RateBudget
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start-up and shutdown: one store per process (owned unless the caller gave one),
    the schema upgraded once across workers, then the broker, webhooks and sockets."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        active = store if store is not None else open_store(settings.graph_config())
        try:
            # Keys, indexes and pending data migrations, once across workers.
            await anyio.to_thread.run_sync(upgrade, active)
        except GraphUnavailable:
            log.warning("graph unavailable at start-up; schema will be applied by `db migrate`")
        app.state.store = active
        broker = Broker(channel_of(settings.events_url, active), active)
        await broker.start()
        app.state.events = broker
        dispatcher = Dispatcher(active, settings.webhook_networks())
        broker.on_queued = dispatcher.poke
        if settings.webhook_dispatch:
            dispatcher.start()
        await sockets.start(active)
        try:
            yield
        finally:
            await sockets.stop()
            await dispatcher.stop()
            await broker.stop()
            await budget.aclose()
            # This loop's async client goes with the loop, whoever owns the store.
            await active.close_async()
            if owned:
                active.close()

    return lifespan


def _add_limits(app: FastAPI, settings: Settings, budget: RateBudget) -> None:
    """Body size, rate, forwarded address, security headers and request id, in the order
    they must run (added last runs first: the request id exists before any limit answers)."""
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={"/imports": settings.max_upload_bytes},
    )
    app.add_middleware(RateLimitMiddleware, budget=budget, paths=("/graphql", "/search"))
    if settings.trust_forwarded_for:
        app.add_middleware(ForwardedForMiddleware, trusted=networks(settings.trusted_proxies))
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name="X-Request-ID",
        validator=sane_request_id,
        generator=new_request_id,
    )


def _add_error_answers(app: FastAPI) -> None:
    """What a refused, unreadable or unavailable request gets outside GraphQL's own errors."""

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        return refused(exc)

    @app.exception_handler(GraphUnavailable)
    async def unavailable(request: Request, exc: GraphUnavailable) -> Response:
        """The engine went away outside GraphQL's own error handling (a token looked up
        before the operation, a page's reads): JSON for the API, a page for people."""
        log.warning("request %s: %s", request_id(), exc)
        if request.url.path.startswith(("/graphql", "/imports", "/health")) and not (
            request.method == "GET" and "text/html" in request.headers.get("accept", "")
        ):
            return JSONResponse(error_body(exc.public, exc.code), status_code=503)
        return HTMLResponse(unavailable_page(request), status_code=503)

    @app.exception_handler(BadRequestBody)
    async def bad_body(request: Request, exc: BadRequestBody) -> JSONResponse:
        return JSONResponse(error_body(str(exc), "BAD_REQUEST"), status_code=400)


def _context_getter(settings: Settings) -> Callable[[HTTPConnection], Awaitable[Context]]:
    """Who is asking, for each GraphQL request or socket, with the store and events."""

    async def get_context(connection: HTTPConnection) -> Context:
        active: GraphStore = connection.app.state.store
        if isinstance(connection, WebSocket):
            # A socket signs in by header or page cookie, or in connection_init (see
            # api/graphql/transport.py), which decides whether it may stay anonymous.
            secret = socket_bearer(connection)
        else:
            secret = bearer(cast(Request, connection))
        check = partial(authenticate, active, secret, anonymous_read=settings.anonymous_read)
        if secret is None:
            # Nothing to look up: no worker thread for it.
            actor = ANONYMOUS if isinstance(connection, WebSocket) else check()
        else:
            actor = await anyio.to_thread.run_sync(check)
        context = Context(
            store=active,
            settings=settings,
            request_id=request_id(),
            actor=actor,
            events=connection.app.state.events,
        )
        context.secret = secret
        return context

    return get_context


def _mount_graphql(app: FastAPI, settings: Settings, rules: SocketRules) -> None:
    """The GraphQL endpoint over HTTP and WebSocket, with the socket limits."""
    schema = app.state.schema = build_schema(settings)
    graphql: Router = Router(
        schema,
        context_getter=_context_getter(settings),
        graphql_ide=None if settings.production else "graphiql",
    )
    graphql.production = settings.production
    graphql.socket_rules = rules
    app.include_router(graphql, prefix="/graphql")
    # Before the router's own POST route: the same view, without FastAPI's dependency
    # solving around it (a sixth of a point read's server time).
    post = _graphql_post(graphql, schema, _context_getter(settings))
    app.router.routes.insert(0, Route("/graphql", post, methods=["POST"]))


def _graphql_post(
    graphql: Router, schema: Schema, get_context: Callable[[HTTPConnection], Awaitable[Context]]
) -> Callable[[Request], Awaitable[Response]]:
    """POST /graphql as strawberry's FastAPI route answers it (its context, its view, its
    answer to an HTTPException), with the context made by a plain call: that route
    resolves its context through four nested dependencies on every request. A query the
    schema already knows clean is run without the view (api/graphql/known_queries.py)."""

    async def post(request: Request) -> Response:
        context = await get_context(request)
        # Where the view reads the status and headers it may add, made as FastAPI makes
        # the `response` it injects: no status and no length of its own.
        response = Response()
        del response.headers["content-length"]
        response.status_code = None  # type: ignore[assignment]
        context.request, context.response = request, response
        context.background_tasks = BackgroundTasks()
        graphql.temporal_response = response
        known = await known_query(schema, request, context, graphql.parse_json)
        if known is not None:  # as the view answers it
            body = await graphql.process_result(request, known)
            answer = graphql.create_response(response_data=body, sub_response=response)
            answer.background = context.background_tasks
            return answer
        try:
            answer = await graphql.run(request=request, context=context, root_value=None)
        except HTTPException as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status_code)
        answer.background = context.background_tasks
        return answer

    return post


async def health(request: Request) -> JSONResponse:
    """Whether the engine answers, its version and the stored schema version."""
    active: GraphStore = request.app.state.store
    try:
        info = await anyio.to_thread.run_sync(active.health)
    except GraphUnavailable as exc:
        log.warning("health: %s", exc)
        return JSONResponse(
            {"status": "unavailable", "backend": active.backend, "error": exc.public},
            status_code=503,
        )
    return JSONResponse(
        {
            "status": "ok",
            "backend": info.backend,
            "version": info.version,
            "schemaVersion": info.schema_version,
        }
    )
