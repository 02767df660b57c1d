"""The storage the workers' rate budgets share: a Redis server (the embedded engine's, or
one the deployment names), awaited through `limits`' bridge on redis-py's asyncio client.

Connections are bounded and queued: redis-py's asyncio pool refuses a command past its
size instead of waiting, and a refused count must not become a free request (the budget,
api/limits.py, counts in its own process when this storage fails). No retry: a retried
timeout would double the time a request waits on a storage that stopped answering.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from limits.aio.storage import Storage
from limits.storage import storage_from_string
from redis.asyncio import BlockingConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff


def shared_storage(
    url: str, *, connections: int, timeout: float
) -> tuple[Storage, Callable[[], Awaitable[None]]]:
    """The `limits` storage at `url` (redis:// or rediss://), and what closes its
    connections (with the event loop they were opened on)."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=connections,
        timeout=timeout,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )
    # limits hands these to redis-py's client (its options are typed as scalars)
    client: dict[str, Any] = {"connection_pool": pool, "retry": Retry(NoBackoff(), 0)}
    storage = storage_from_string(
        "async+" + url, implementation="redispy", wrap_exceptions=True, **client
    )
    if not isinstance(storage, Storage):
        raise TypeError(f"not an asyncio storage: {url}")
    return storage, pool.disconnect
