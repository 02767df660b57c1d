"""A TCP relay between a served app and its engine that holds back the engine's answers
to statements carrying a marker, until the test lets them go.

A slow statement, as the app sees it, is an engine that takes long to answer: the relay
makes exactly that on both engines (Bolt and FalkorDB's protocol both carry parameters
as plain bytes), with no statement written for the test, no load on the engine and no
timing to tune: a held read waits until `release()`, every other byte passes at once.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType


class Relay:
    """Listens on 127.0.0.1:`port` and relays each connection to `host`:`target`."""

    def __init__(self, host: str, target: int, marker: bytes) -> None:
        self.marker = marker
        self.held = 0  # answers waiting for release(), counted by the relay's thread
        self._target = (host, target)
        self._loop = asyncio.new_event_loop()
        self._released = asyncio.Event()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._relay, "127.0.0.1", 0)
        )
        self.port: int = self._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _relay(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        engine_in, engine_out = await asyncio.open_connection(*self._target)
        asked = asyncio.Event()  # the client sent the marker: hold the next answer
        await asyncio.gather(
            self._up(client_in, engine_out, asked),
            self._down(engine_in, client_out, asked),
            return_exceptions=True,
        )

    async def _up(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, asked: asyncio.Event
    ) -> None:
        tail = b""
        while data := await source.read(65536):
            if self.marker in tail + data:
                asked.set()  # before the engine can answer it
            tail = data[-len(self.marker) :]
            sink.write(data)
            await sink.drain()
        sink.close()

    async def _down(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, asked: asyncio.Event
    ) -> None:
        while data := await source.read(65536):
            if asked.is_set():
                asked.clear()
                self.held += 1
                await self._released.wait()
            sink.write(data)
            await sink.drain()
        sink.close()

    def release(self) -> None:
        """Let every held answer (and any later one) through."""
        self._loop.call_soon_threadsafe(self._released.set)

    def close(self) -> None:
        self.release()
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> Relay:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
