"""Sending webhook deliveries: each API worker runs a dispatcher that claims due
deliveries from the graph's queue, signs and posts them, and records the outcome,
retrying with doubling waits until MAX_ATTEMPTS (schema.webhooks).

The address is checked as each attempt connects, on the very address connected to
(api/delivery/addresses.py), so a name that later points into the operator's network is
refused then too; redirects are not followed (a hook's URL is the only place a delivery
goes), and a receiver's answer is never read beyond its status (nor decompressed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial

import anyio.to_thread
import httpx

from api.delivery.addresses import AddressRefused, CheckedTransport
from graph.store import GraphStore
from graph.webhooks import repository as webhooks
from schema.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Delivery,
    DeliveryState,
    Network,
    Webhook,
    retry_delay,
    sign,
)

log = logging.getLogger("pariscall.webhooks")

# With nothing due, a dispatcher still looks now and then: deliveries queued by another
# process (`pariscall import`) poke no one here.
IDLE_SECONDS = 30.0
START_SECONDS = 5.0
BATCH = 20
TIMEOUT_SECONDS = 10.0
STALE_AFTER = timedelta(minutes=2)


class Dispatcher:
    def __init__(self, store: GraphStore, allowed: Sequence[Network]) -> None:
        self.store = store
        self.allowed = list(allowed)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client = httpx.AsyncClient(
            transport=CheckedTransport(self.allowed),
            timeout=TIMEOUT_SECONDS,
            follow_redirects=False,
            trust_env=False,
        )

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="pariscall-webhooks")

    def poke(self) -> None:
        """Something was queued: look now rather than at the next poll (callable from
        any thread or loop)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self._client.aclose()

    async def _run(self) -> None:
        """Sleep until the next retry is due, something is queued here, or IDLE_SECONDS
        pass; then send what is due."""
        # At start-up, look after a short pause rather than at once: the worker is then
        # serving its first requests, and anything left pending from before can wait.
        wait = START_SECONDS
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()
            wait = IDLE_SECONDS
            try:
                while await self.round() == BATCH:
                    pass
                due = await anyio.to_thread.run_sync(webhooks.next_due, self.store)
                if due is not None:
                    wait = min(wait, max((due - datetime.now(UTC)).total_seconds(), 0.05))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the graph went away: try again later
                log.warning("webhook dispatch: %s", exc)

    async def round(self) -> int:
        """Send what is due now; returns how many deliveries were attempted."""
        now = datetime.now(UTC)
        await anyio.to_thread.run_sync(
            partial(webhooks.release_stale, self.store, now=now, after=STALE_AFTER)
        )
        due = await anyio.to_thread.run_sync(
            partial(webhooks.claim_due, self.store, now=now, limit=BATCH)
        )
        # A hook whose owner lost its authority since the event is sent nothing more.
        held = await anyio.to_thread.run_sync(
            partial(webhooks.drop_orphaned, self.store, due, now=now)
        )
        await asyncio.gather(*(self._attempt(d, h) for d, h in held))
        return len(due)

    async def _attempt(self, delivery: Delivery, hook: Webhook) -> None:
        body = delivery.body.encode()
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
            TIMESTAMP_HEADER: str(timestamp),
            DELIVERY_HEADER: delivery.id,
            EVENT_HEADER: delivery.kind.value,
            "user-agent": "pariscall-webhooks",
        }
        status: int | None = None
        error: str | None = None
        last = delivery.attempts >= MAX_ATTEMPTS
        try:
            # Streamed and left unread: only the status matters, and a receiver's body
            # (gzip-encoded, perhaps) is never inflated here.
            async with self._client.stream(
                "POST", hook.url, content=body, headers=headers
            ) as reply:
                status = reply.status_code
            if not 200 <= status < 300:
                error = f"answered {status}"
        except AddressRefused as exc:  # not worth retrying: the address stays refused
            error, last = str(exc)[:500], True
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        now = datetime.now(UTC)
        changes: dict[str, object] = {"last_status": status, "last_error": error}
        if error is None:
            changes |= {"state": DeliveryState.DELIVERED.value, "delivered_at": now.isoformat()}
        elif last:
            changes["state"] = DeliveryState.FAILED.value
        else:
            wait = timedelta(seconds=retry_delay(delivery.attempts))
            changes |= {"state": DeliveryState.PENDING.value, "next_at": (now + wait).isoformat()}
        await anyio.to_thread.run_sync(partial(webhooks.record, self.store, delivery.id, changes))
