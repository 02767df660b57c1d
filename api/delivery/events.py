"""Carrying events from the change that made them to every subscriber, in every worker.

Each worker keeps a `Hub` of its own subscribers (one bounded queue each). Events are
published on a channel all workers listen to: a Redis pub/sub channel, which is the
embedded engine itself by default (FalkorDB is a Redis server) or any Redis server
named by `PARISCALL_EVENTS_URL`; with `PARISCALL_EVENTS_URL=memory` (or on Neo4j with
no URL) events stay in the process, which is right for one worker. The channel is
named after the graph, so two registries on one server never hear each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urlsplit

import anyio.to_thread

from graph.channel import RedisChannel, publish_once
from graph.store import GraphStore
from graph.webhooks import repository as webhooks
from importers.pipeline import ImportReport
from schema.access import Described, Readers
from schema.errors import PariscallError
from schema.events import Event, EventKind

log = logging.getLogger("pariscall.events")

# A subscriber that falls this far behind loses its oldest events, not the server its memory.
QUEUE_SIZE = 1000
MEMORY = "memory"


@dataclass(frozen=True)
class Channel:
    url: str | None  # None: this process only
    name: str


def channel_of(events_url: str | None, store: GraphStore) -> Channel:
    """Where events travel for this store: see the module docstring."""
    graph = urlsplit(store.location).path.strip("/") or "pariscall"
    name = f"pariscall:events:{graph}"
    if events_url == MEMORY:
        return Channel(None, name)
    if events_url:
        return Channel(events_url, name)
    if store.backend.can.redis_protocol:
        parts = urlsplit(store.location)
        return Channel(f"redis://{parts.hostname}:{parts.port}", name)
    return Channel(None, name)


@dataclass
class Hub:
    """This worker's subscribers; `deliver` never blocks on a slow one."""

    queues: set[asyncio.Queue[Event]] = field(default_factory=set)

    def deliver(self, event: Event) -> None:
        for queue in list(self.queues):
            if queue.full():  # a slow subscriber loses its oldest event
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

    @contextlib.contextmanager
    def listening(self) -> Iterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self.queues.add(queue)
        try:
            yield queue
        finally:
            self.queues.discard(queue)


class Broker:
    """Publishes on the channel and feeds the hub from it (or directly, in memory); an
    announced event is also queued for the webhooks that hear it."""

    def __init__(self, channel: Channel, store: GraphStore | None = None) -> None:
        self.channel = channel
        self.store = store
        self.hub = Hub()
        self.on_queued: Callable[[], None] | None = None
        self._redis: RedisChannel | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.channel.url is None:
            return
        self._redis = RedisChannel(self.channel.url, self.channel.name)
        ready = asyncio.Event()
        self._task = asyncio.create_task(self._relay(self._redis, ready), name="pariscall-events")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ready.wait(), 5)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._redis is not None:
            await self._redis.close()

    async def publish(self, event: Event) -> None:
        """Tell every worker's subscribers; a channel that fails loses the event, never
        the change that made it (which is already written with its audit event). The
        blocking publish runs in a worker thread: it belongs to no event loop, so an
        app served by several loops (test clients) publishes from any."""
        if self._redis is None:
            self.hub.deliver(event)
            return
        await anyio.to_thread.run_sync(self._redis.publish, event.model_dump_json())

    async def announce(self, event: Event) -> None:
        """Tell subscribers and queue webhook deliveries (exactly once per event: only the
        process that made the change announces it)."""
        await self.publish(event)
        if self.store is None:
            return
        try:
            queued = await anyio.to_thread.run_sync(
                partial(webhooks.enqueue, self.store, event, now=datetime.now(UTC))
            )
        except PariscallError as exc:
            log.warning("event %s not queued for webhooks: %s", event.id, exc)
            return
        if queued and self.on_queued is not None:
            self.on_queued()

    async def _relay(self, channel: RedisChannel, ready: asyncio.Event) -> None:
        """Channel -> hub; a payload that is not an event is logged and skipped."""
        async for payload in channel.listen(ready):
            try:
                self.hub.deliver(Event.model_validate_json(payload))
            except ValueError as exc:
                log.warning("event channel carried something else: %s", exc)


def import_finished(report: ImportReport, *, actor: str) -> Event | None:
    """The event of a published import (none for a dry run or a file that changed nothing)."""
    if report.dry_run or report.run_id is None or not report.changes_anything:
        return None
    return Event(
        id=report.run_id,
        kind=EventKind.IMPORT_FINISHED,
        at=datetime.now(UTC),
        actor=actor,
        action=f"import_{report.kind}",
        targets=[report.source_id] if report.source_id else [],
        working_groups=list(report.working_groups),
        described=Described(readers=Readers.IMPORT),
    )


def announce_now(store: GraphStore, channel: Channel, event: Event) -> None:
    """Announce from a process with no event loop of its own (the CLI's imports): the
    API workers' dispatchers send the webhook deliveries it queues."""
    webhooks.enqueue(store, event, now=datetime.now(UTC))
    if channel.url is not None:
        publish_once(channel.url, channel.name, event.model_dump_json())


async def stream(hub: Hub) -> AsyncIterator[Event]:
    """Every event the hub delivers from now on, in order."""
    with hub.listening() as queue:
        while True:
            yield await queue.get()
