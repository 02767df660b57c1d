"""An engine's async client per event loop, opened when a loop first reads.

An async client's connections belong to the event loop that opened them: a served
process has one loop for its life, but every test client (and `asyncio.run`) runs its
own, and a store object outlives them. So each loop gets its own client, made on its
first `read_async`, closed by `close_async` on that loop (the app's lifespan does it at
shutdown) and forgotten, unclosed, once its loop is closed (its sockets went with it).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

C = TypeVar("C")


class PerLoop(Generic[C]):
    """Clients by event loop, made by `make` and closed by `close`."""

    def __init__(self, make: Callable[[], C], close: Callable[[C], Awaitable[object]]) -> None:
        self._make = make
        self._close = close
        self._lock = threading.Lock()  # loops of several threads (test clients) at once
        self._clients: dict[asyncio.AbstractEventLoop, C] = {}

    def get(self) -> C:
        """The running loop's client, made now if it has none yet."""
        loop = asyncio.get_running_loop()
        with self._lock:
            client = self._clients.get(loop)
            if client is None:
                for gone in [old for old in self._clients if old.is_closed()]:
                    del self._clients[gone]
                client = self._clients[loop] = self._make()
        return client

    def drop(self) -> None:
        """Forget the running loop's client without closing it (it no longer answers)."""
        with self._lock:
            self._clients.pop(asyncio.get_running_loop(), None)

    async def close(self) -> None:
        """Close the running loop's client, if it made one; the next read makes another."""
        with self._lock:
            client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await self._close(client)

    def forget(self) -> None:
        """Forget every loop's client (the store closes; their loops close them or end)."""
        with self._lock:
            self._clients.clear()
