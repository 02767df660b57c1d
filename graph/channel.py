"""The events channel's adapter: Redis pub/sub, on the embedded engine's server (FalkorDB
is a Redis server) or on one the deployment names. The only module outside the stores
that talks to a Redis client; api/delivery/events.py decides what travels on it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import redis
import redis.asyncio

log = logging.getLogger("pariscall.events")


class RedisChannel:
    """Publish from any thread; listen from one event loop, reconnecting when cut."""

    def __init__(self, url: str, name: str) -> None:
        self.name = name
        self._url = url
        self._publisher = redis.Redis.from_url(url, socket_timeout=5)
        self._listener: redis.asyncio.Redis | None = None

    def publish(self, payload: str) -> bool:
        """Blocking; False when the channel could not take it (logged)."""
        try:
            self._publisher.publish(self.name, payload)
        except (redis.RedisError, OSError) as exc:
            log.warning("event not published: %s", exc)
            return False
        return True

    async def listen(self, ready: asyncio.Event) -> AsyncIterator[bytes]:
        """Every payload published from now on; `ready` is set once subscribed."""
        self._listener = redis.asyncio.Redis.from_url(self._url)
        while True:
            try:
                async with self._listener.pubsub() as pubsub:
                    await pubsub.subscribe(self.name)
                    ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            yield message["data"]
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as exc:
                log.warning("event channel: %s; listening again in 1 s", exc)
                await asyncio.sleep(1)

    async def close(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.aclose()
        self._publisher.close()


def publish_once(url: str, name: str, payload: str) -> None:
    """Publish from a short-lived process (the CLI), then let go of the connection."""
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.publish(name, payload)
    except (redis.RedisError, OSError) as exc:
        log.warning("event not published: %s", exc)
    finally:
        client.close()
