"""The rate budget several workers share is awaited, never waited on.

With `serve --workers N` every request spends its budget in a storage the workers share
(the embedded engine's Redis server). That round trip used to block the worker's event
loop: while it lasted, no other request of the worker moved. Here the storage is the real
embedded engine behind a relay that holds each reply, and the loop must keep turning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import AsyncIterator

import pytest

from api.limits import RateBudget

HELD = 0.25  # seconds each reply of the storage is held by the relay


@contextlib.asynccontextmanager
async def slow_relay(port: int) -> AsyncIterator[int]:
    """A TCP relay to 127.0.0.1:`port` that holds every reply HELD seconds."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, hold: float) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(65536):
                await asyncio.sleep(hold)
                writer.write(chunk)
                await writer.drain()
        writer.close()

    async def relay(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.gather(pipe(client_r, server_w, 0), pipe(server_r, client_w, HELD))

    server = await asyncio.start_server(relay, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


@contextlib.asynccontextmanager
async def warm_budget_behind(
    port: int, *, per_address: str, warm: int
) -> AsyncIterator[RateBudget]:
    """A budget shared through a slow relay to the engine at `port`, with `warm` requests
    of other addresses spent first (the connections opened and the script loaded, each a
    held round trip of its own), closed at the end."""
    async with slow_relay(port) as relayed:
        budget = RateBudget(
            per_token="100/minute", per_address=per_address, storage=f"redis://127.0.0.1:{relayed}"
        )
        try:
            await asyncio.gather(
                *(
                    budget.spend(address=f"10.9.{n // 250}.{n % 250}", token=None)
                    for n in range(warm)
                )
            )
            yield budget
        finally:
            await budget.aclose()


def test_a_slow_shared_budget_holds_neither_the_loop_nor_other_requests(engine_port: int) -> None:
    async def scenario() -> tuple[list[int | None], float, int]:
        async with warm_budget_behind(engine_port, per_address="3/minute", warm=6) as budget:
            ticks = 0
            done = asyncio.Event()

            async def tick() -> None:
                nonlocal ticks
                while not done.is_set():
                    await asyncio.sleep(0.01)
                    ticks += 1

            ticker = asyncio.create_task(tick())
            started = time.perf_counter()
            spent = await asyncio.gather(
                *(budget.spend(address=f"10.0.0.{n}", token=None) for n in range(6))
            )
            elapsed = time.perf_counter() - started
            done.set()
            await ticker
            over = [await budget.spend(address="10.0.0.1", token=None) for _ in range(3)]
            return [*spent, *over], elapsed, ticks

    spent, elapsed, ticks = asyncio.run(scenario())
    # six addresses within budget, then the first one over its 3 a minute
    assert spent[:6] == [None] * 6
    assert spent[6:8] == [None, None] and isinstance(spent[8], int) and spent[8] >= 1
    # six held round trips waited together, not one after the other (6 x HELD)...
    assert elapsed < 3 * HELD, elapsed
    # ...while the loop went on turning (a blocked loop ticks once in all)
    assert ticks >= elapsed / 0.01 / 4, (ticks, elapsed)


def test_a_burst_past_the_connections_waits_for_one_and_is_never_served_free(
    engine_port: int,
) -> None:
    """More requests in flight than the shared storage's connections: they queue for one.
    An unbounded pool refused the ones past its size, and a refusal was served for free.
    The 150 requests come from 150 addresses whose budget is spent (one address's
    requests wait for one claim, api/leases.py): each needs its own round trips."""

    async def scenario() -> list[int | None]:
        async with warm_budget_behind(engine_port, per_address="1/minute", warm=80) as budget:
            assert budget.shared is not None
            addresses = [f"10.1.{n // 250}.{n % 250}" for n in range(150)]
            shared = budget.shared
            await asyncio.gather(  # spent by another worker
                *(shared.hit(budget.per_address, "address:" + a) for a in addresses)
            )
            spent = await asyncio.gather(
                *(budget.spend(address=address, token=None) for address in addresses)
            )
            return list(spent)

    spent = asyncio.run(scenario())
    assert spent.count(None) == 0
    assert all(isinstance(wait, int) and wait >= 1 for wait in spent)


def test_a_failed_shared_storage_counts_in_the_process_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing listens where the shared storage should be: requests are counted in this
    process's memory (a looser budget, never none), and the failure is logged once, not
    at every request."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    budget = RateBudget(
        per_token="100/minute", per_address="2/minute", storage=f"redis://127.0.0.1:{port}"
    )

    async def spend_four() -> list[int | None]:
        return [await budget.spend(address="10.2.0.1", token=None) for _ in range(4)]

    with caplog.at_level(logging.WARNING, logger="pariscall.api"):
        spent = asyncio.run(spend_four())
    assert spent[:2] == [None, None]
    assert all(isinstance(wait, int) and wait >= 1 for wait in spent[2:])
    failures = [r for r in caplog.records if "shared storage failed" in r.getMessage()]
    assert len(failures) == 1
