"""GraphQL over WebSocket (graphql-transport-ws), held to what HTTP asks of a request.

Over HTTP every request passes the body limit, the rate budget and the token check
before GraphQL runs, with a context of its own. A socket is one connection carrying many
operations, so the same happens per message here:
- a message larger than the HTTP body limit closes the socket (1009) before it is parsed;
- every message after connection_init spends the rate budget of its address and token,
  the budget HTTP requests spend (api/limits.py): an operation over it gets a
  RATE_LIMITED error, any other message closes the socket (4429);
- the token is looked up again at every message: revoked, expired or changed, the
  socket is closed (4403) with the reason, its subscriptions with it;
- each operation runs with a context of its own: its request id (in its errors and the
  audit events it writes) and its own loaders, never another operation's cached reads.
Sockets are counted per address and per token, and the tokens of open sockets are
checked every few seconds even when they send nothing (api/sockets.py).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from json import JSONDecodeError
from typing import Any, cast

import orjson
from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.execution import PreExecutionError
from strawberry.utils.aio import aclosing

from api.auth import authenticate
from api.graphql.context import Context
from api.graphql.errors import describe
from api.limits import RateBudget, client_address, too_many
from api.requests import current_request_id
from api.sockets import FORBIDDEN, TOO_BIG, TOO_MANY, TRY_LATER, SocketRefused, Sockets, changed
from schema.errors import GraphUnavailable, Unauthenticated

# RFC 6455 allows 123 bytes of close reason.
REASON_BYTES = 123
NEEDS_TOKEN = (
    "this registry needs an API token: send it in the connection_init payload as "
    "{'Authorization': 'Bearer <token>'}"
)


@dataclass(frozen=True)
class SocketRules:
    """What the GraphQL view's sockets are held to."""

    sockets: Sockets
    budget: RateBudget
    max_message_bytes: int


def rules_of(view: Any) -> SocketRules:
    rules: SocketRules = view.socket_rules
    return rules


class TextFrames(ASGIWebSocketAdapter):
    """graphql-transport-ws messages are JSON text: browsers' clients (and graphql-ws)
    expect text frames, while the view encodes to bytes (orjson) for HTTP. A message over
    the body limit closes the socket before it is parsed; JSON nested deeper than orjson
    follows is refused like any text that is not JSON."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit = rules_of(self.view).max_message_bytes
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                # A character is at least one byte: most messages need no encoding to tell.
                if len(text) > limit or (len(text) * 4 > limit and len(text.encode()) > limit):
                    await self.close(TOO_BIG, f"message larger than {limit} bytes")
                    return
                try:
                    yield orjson.loads(text)
                except JSONDecodeError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
        except KeyError as exc:  # a binary frame
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass

    async def send_json(self, message: Mapping[str, object]) -> None:
        encoded = self.view.encode_json(message)
        try:
            await self.ws.send_text(encoded.decode() if isinstance(encoded, bytes) else encoded)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class PerOperation:
    """The schema as a socket's operations run it: each with a context of its own and
    its own request id (set in the operation's task, so its errors carry it too)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self.schema, name)

    async def stream(self, query: str | None, *, context_value: Context, **kwargs: Any) -> Any:
        request_id = uuid.uuid4().hex
        current_request_id.set(request_id)
        source = await self.schema.stream(
            query, context_value=context_value.for_operation(request_id), **kwargs
        )
        return _refusals_answered(source)


async def _refusals_answered(source: Any) -> AsyncGenerator[Any, None]:
    """The results, and a refusal raised on the way as the client's error: a document
    over the token limit is refused while it is parsed, which HTTP answers as an error
    and the stream let escape (a logged traceback, and a client told nothing)."""
    async with aclosing(source):
        try:
            async for result in source:
                yield result
        except GraphQLError as error:
            yield PreExecutionError(data=None, errors=[describe(error)])


class GuardedSocket(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with the HTTP door's checks at every message (see the module
    docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["schema"] = PerOperation(kwargs["schema"])
        super().__init__(**kwargs)
        self.ended = False
        socket = self.context.request
        self.address = client_address(socket.scope) if socket is not None else "unknown"

    async def handle(self) -> None:
        rules = rules_of(self.view)
        context = self.context
        try:
            seat = rules.sockets.take(self.address, self.end)
        except SocketRefused as exc:
            await self.end(exc.code, exc.reason)
            return
        context.seat = seat
        try:
            if context.secret is not None:  # signed in by header or page cookie
                rules.sockets.sign_in(seat, context.secret, context.actor)
            await super().handle()
        except SocketRefused as exc:
            await self.end(exc.code, exc.reason)
        finally:
            rules.sockets.leave(seat)

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except SocketRefused as exc:
            await self.end(exc.code, exc.reason)

    async def handle_message(self, message: Any) -> None:
        if not isinstance(message, dict):
            await self.handle_invalid_message("Failed to parse message")
            return
        if message.get("type") == "connection_init" or not self.connection_acknowledged:
            await super().handle_message(cast(Any, message))
            return
        if not await self._token_holds():
            return
        wait = await rules_of(self.view).budget.spend(
            address=self.address, token=self.context.secret
        )
        if wait is None:
            await super().handle_message(cast(Any, message))
        elif message.get("type") == "subscribe" and isinstance(message.get("id"), str):
            error = {
                "message": too_many(wait),
                "extensions": {
                    "code": "RATE_LIMITED",
                    "requestId": uuid.uuid4().hex,
                    "retryAfter": wait,
                },
            }
            await self.send_message(
                cast(Any, {"id": message["id"], "type": "error", "payload": [error]})
            )
        else:
            await self.end(TOO_MANY, too_many(wait))

    async def _token_holds(self) -> bool:
        """The HTTP door's check, at this message: the token as it is now."""
        context = self.context
        if context.secret is None:
            return True
        try:
            actor = await context.run(
                authenticate, context.secret, anonymous_read=context.anonymous_read
            )
        except Unauthenticated as exc:
            await self.end(FORBIDDEN, str(exc))
            return False
        except GraphUnavailable as exc:
            await self.end(TRY_LATER, exc.public)
            return False
        if actor != context.actor:
            await self.end(FORBIDDEN, changed(context.actor))
            return False
        return True

    async def end(self, code: int, reason: str) -> None:
        """Close the socket with the reason, its operations (subscriptions) ended first."""
        if self.ended:
            return
        self.ended = True
        for id in list(self.operations):
            await self.cleanup_operation(id)
        reason = reason.encode()[:REASON_BYTES].decode(errors="ignore")
        # The client may have gone first.
        with contextlib.suppress(RuntimeError, WebSocketDisconnected, WebSocketDisconnect):
            await self.websocket.close(code, reason)


async def sign_in(context: Context, sockets: Sockets) -> dict[str, object]:
    """connection_init: a token in its payload ({'Authorization': 'Bearer <token>'}) signs
    the socket in; without one the socket stays as its handshake made it (anonymous, or
    signed in by header or page cookie), which needs anonymous reading. SocketRefused
    closes it with the reason."""
    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    header = params.get("Authorization") or params.get("authorization")
    if header is None:
        if context.secret is None and not context.anonymous_read:
            raise SocketRefused(FORBIDDEN, NEEDS_TOKEN)
        return {"actor": context.actor.name}
    scheme, _, secret = str(header).partition(" ")
    secret = secret.strip()
    try:
        if scheme.lower() != "bearer" or not secret:
            raise Unauthenticated("the Authorization parameter must be 'Bearer <token>'")
        actor = await context.run(authenticate, secret, anonymous_read=context.anonymous_read)
    except Unauthenticated as exc:
        raise SocketRefused(FORBIDDEN, str(exc)) from exc
    except GraphUnavailable as exc:
        raise SocketRefused(TRY_LATER, exc.public) from exc
    if context.seat is not None:
        sockets.sign_in(context.seat, secret, actor)
    context.actor = actor
    context.secret = secret
    return {"actor": actor.name}
