"""One GraphQL client shape over both doors of the API, so that an abuse test runs the
same case through each: a POST to /graphql, and an operation on a graphql-transport-ws
socket (Starlette's test client, on the app's own event loop).

Both answer an `Answer`: the GraphQL data and errors, or `refused` with the code of a
refusal made before GraphQL ran — an HTTP 401/403/413/429, or a socket error message
coded so, or the socket closed (its close code named as the HTTP refusal it stands for).
"""

from __future__ import annotations

import itertools
import json
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from typing import Any

import anyio
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

PROTOCOL = "graphql-transport-ws"
# Close codes of a socket, named as the refusal they stand for.
CLOSED = {1009: "PAYLOAD_TOO_LARGE", 4403: "UNAUTHENTICATED", 4429: "RATE_LIMITED"}
REFUSED_STATUSES = {401, 403, 413, 429}
# A GraphQL error a socket answers instead of running the operation.
REFUSED_CODES = {"RATE_LIMITED", "PAYLOAD_TOO_LARGE", "UNAUTHENTICATED"}


@dataclass
class Answer:
    data: Any = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    refused: str | None = None
    retry_after: int | None = None
    detail: str = ""  # the refusal's message (an HTTP error's, a close reason)

    @property
    def messages(self) -> list[str]:
        """The errors' messages, or the refusal's (a close reason has no error)."""
        return [str(e.get("message")) for e in self.errors] or (
            [self.detail] if self.detail else []
        )

    @property
    def codes(self) -> list[str]:
        return [str((e.get("extensions") or {}).get("code")) for e in self.errors]


class HttpDoor:
    kind = "http"

    def __init__(self, client: TestClient, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def ask(self, query: str, **variables: Any) -> Answer:
        return self.send({"query": query, "variables": variables})

    def send(self, body: dict[str, Any]) -> Answer:
        reply = self.client.post("/graphql", json=body, headers=self.headers)
        answer: dict[str, Any] = reply.json()
        errors = answer.get("errors") or []
        if reply.status_code in REFUSED_STATUSES:
            retry = reply.headers.get("retry-after")
            return Answer(
                errors=errors,
                refused=errors[0]["extensions"]["code"],
                retry_after=int(retry) if retry else None,
                detail=errors[0]["message"],
            )
        assert reply.status_code == 200, reply.text
        return Answer(data=answer.get("data"), errors=errors)

    def close(self) -> None:
        pass


class SocketDoor:
    """An acknowledged socket (or one refused at connection_init: see `closed`)."""

    kind = "ws"

    def __init__(self, client: TestClient, token: str | None, *, wait: float = 5) -> None:
        self.wait = wait
        self.closed: tuple[int, str] | None = None
        self._ids = itertools.count(1)
        self._stack = ExitStack()
        self.session = self._stack.enter_context(
            client.websocket_connect("/graphql", subprotocols=[PROTOCOL])
        )
        init: dict[str, Any] = {"type": "connection_init"}
        if token:
            init["payload"] = {"Authorization": f"Bearer {token}"}
        self.send(init)
        first = self.receive()
        self.acknowledged = first is not None and first["type"] == "connection_ack"

    def send(self, message: dict[str, Any] | str) -> None:
        text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
        self.session.send_text(text)

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next message, or None once the server closed the socket (`closed` says
        how); TimeoutError when nothing comes in time."""
        if self.closed is not None:
            return None
        session = self.session
        limit = self.wait if timeout is None else timeout

        async def within() -> Any:
            with anyio.fail_after(limit):
                # The test session's own queue of what the app sent (Starlette has no
                # receive with a timeout).
                return await session._send_rx.receive()

        message = session.portal.call(within)
        if message["type"] == "websocket.close":
            self.closed = (int(message.get("code", 1000)), str(message.get("reason") or ""))
            return None
        parsed: dict[str, Any] = json.loads(message["text"])
        return parsed

    def subscribe(self, query: str, **variables: Any) -> str:
        id = str(next(self._ids))
        self.send(
            {"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
        return id

    def ask(self, query: str, **variables: Any) -> Answer:
        return self.result(self.subscribe(query, **variables))

    def send_raw(self, text: str) -> Answer:
        """A message as it is (too large, say), then what the socket answered to it."""
        self.send(text)
        return self.result(None)

    def result(self, id: str | None) -> Answer:
        """What the operation `id` answered: its last result, its error, or the close."""
        answer = Answer()
        while True:
            message = self.receive()
            if message is None:
                assert self.closed is not None
                code, reason = self.closed
                return Answer(refused=CLOSED.get(code, str(code)), detail=reason)
            if id is not None and message.get("id") != id:
                continue
            if message["type"] == "next":
                answer.data = message["payload"].get("data")
                answer.errors = message["payload"].get("errors") or []
            elif message["type"] == "error":
                errors = message["payload"]
                extensions = errors[0].get("extensions") or {}
                if extensions.get("code") in REFUSED_CODES:
                    return Answer(
                        errors=errors,
                        refused=extensions["code"],
                        retry_after=extensions.get("retryAfter"),
                        detail=errors[0]["message"],
                    )
                return Answer(errors=errors)
            elif message["type"] == "complete":
                return answer

    def close(self) -> None:
        with suppress(WebSocketDisconnect):
            self._stack.close()

    def __enter__(self) -> SocketDoor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


Door = HttpDoor | SocketDoor


def open_door(kind: str, client: TestClient, token: str | None) -> Door:
    return HttpDoor(client, token) if kind == "http" else SocketDoor(client, token)
