"""Workers claim a busy key's shared budget in leases, and never serve more than it.

With `serve --workers N` every request spent its budget in the shared storage (the
embedded engine's Redis server here): a round trip per request, a sixth of a point read.
A busy key is now claimed a few requests at a time (api/leases.py); a key seen less than
once a second, a request at a time, as before. What the storage holds is read back to
check what was claimed, and its round trips are counted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from limits import parse

import api.limits
from api.leases import Leases, Refusals, most_leased
from api.limits import RateBudget


def _budget(port: int, per_address: str, *, seconds: float = 1.0) -> RateBudget:
    budget = RateBudget(
        per_token="100000/minute", per_address=per_address, storage=f"redis://127.0.0.1:{port}"
    )
    budget.leases = Leases(seconds=seconds)
    return budget


async def _remaining(budget: RateBudget, per_address: str, address: str) -> int:
    assert budget.shared is not None
    stats = await budget.shared.get_window_stats(parse(per_address), "address:" + address)
    return stats.remaining


def _counted(budget: RateBudget) -> list[str]:
    """The budget's round trips to the shared storage, by name, as they are made."""
    calls: list[str] = []
    shared: Any = budget.shared
    for name in ("hit", "get_window_stats"):
        method = getattr(shared, name)

        async def counted(*args: Any, _name: str = name, _method: Any = method, **kw: Any) -> Any:
            calls.append(_name)
            return await _method(*args, **kw)

        setattr(shared, name, counted)
    return calls


def test_the_largest_lease_follows_the_budget() -> None:
    assert [most_leased(parse(f"{n}/minute")) for n in (1, 99, 100, 300, 600, 10**7)] == [
        1, 1, 1, 3, 6, 64,
    ]  # fmt: skip


def test_a_busy_key_is_claimed_in_leases_that_double_while_spent(engine_port: int) -> None:
    async def scenario() -> tuple[list[int], int]:
        budget = _budget(engine_port, "1000/minute")  # leases of at most 10
        calls = _counted(budget)
        seen = []
        try:
            for spends in (1, 2, 4, 8, 1):
                for _ in range(spends):
                    assert await budget.spend(address="10.7.0.1", token=None) is None
                seen.append(await _remaining(budget, "1000/minute", "10.7.0.1"))
        finally:
            await budget.aclose()
        return seen, calls.count("hit")

    seen, claims = asyncio.run(scenario())
    # claims of 1, 2, 4 and 8 served fifteen requests exactly; the sixteenth claimed 10
    assert seen == [999, 997, 993, 985, 975]
    assert claims == 5


def test_a_key_seen_less_than_once_a_second_is_claimed_a_request_at_a_time(
    engine_port: int,
) -> None:
    """Eight workers see a client in turn, each less often than its leases last: nothing
    is claimed that is not served (a lease per request refused it at a sixth of its
    budget)."""

    async def scenario() -> tuple[int, int]:
        workers = [_budget(engine_port, "600/minute", seconds=0.05) for _ in range(8)]
        served = 0
        try:
            for n in range(120):
                if await workers[n % 8].spend(address="10.7.0.2", token=None) is None:
                    served += 1
                await asyncio.sleep(0.02)  # each worker: once in 0.16 s
            return served, await _remaining(workers[0], "600/minute", "10.7.0.2")
        finally:
            for worker in workers:
                await worker.aclose()

    assert asyncio.run(scenario()) == (120, 480)


def test_a_lease_ended_unspent_is_followed_by_one_of_what_it_served(engine_port: int) -> None:
    async def scenario() -> list[int]:
        budget = _budget(engine_port, "1000/minute", seconds=0.5)
        try:
            for _ in range(4):  # claims of 1, 2, then 4 of which one is served
                assert await budget.spend(address="10.7.0.3", token=None) is None
            time.sleep(0.7)  # the lease of 4 ends with 3 unspent, still counted
            assert await budget.spend(address="10.7.0.3", token=None) is None
            return [await _remaining(budget, "1000/minute", "10.7.0.3")]
        finally:
            await budget.aclose()

    assert asyncio.run(scenario()) == [1000 - 7 - 1]


def test_requests_at_once_wait_for_one_claim_sized_for_them(engine_port: int) -> None:
    async def scenario() -> tuple[list[int | None], int, int]:
        budget = _budget(engine_port, "6400/minute")  # leases of at most 64
        calls = _counted(budget)
        try:
            spent = await asyncio.gather(
                *(budget.spend(address="10.7.0.4", token=None) for _ in range(64))
            )
            remaining = await _remaining(budget, "6400/minute", "10.7.0.4")
            return list(spent), remaining, calls.count("hit")
        finally:
            await budget.aclose()

    spent, remaining, claims = asyncio.run(scenario())
    assert spent == [None] * 64
    # the first claims its own request; the next is sized for the 63 waiting (each
    # claiming its own lease claimed 4,096; doubling leases, 127)
    assert claims == 2
    assert remaining == 6400 - 64


def test_the_last_request_is_served_when_a_lease_would_go_over_and_then_refused_in_place(
    engine_port: int,
) -> None:
    async def scenario() -> tuple[list[int | None], int, list[str]]:
        budget = _budget(engine_port, "200/minute")  # leases of at most 2
        assert budget.shared is not None
        try:
            # another worker has spent 198 of the 200
            await budget.shared.hit(parse("200/minute"), "address:10.7.0.5", cost=198)
            calls = _counted(budget)
            spent = [await budget.spend(address="10.7.0.5", token=None) for _ in range(6)]
            made = list(calls)
            return spent, await _remaining(budget, "200/minute", "10.7.0.5"), made
        finally:
            await budget.aclose()

    spent, remaining, calls = asyncio.run(scenario())
    # a claim of 1, then a lease of 2 refused and the last request claimed alone
    assert spent[:2] == [None, None]
    assert all(isinstance(wait, int) and wait >= 1 for wait in spent[2:])
    assert remaining == 0
    # two claims each for the second and third requests (a lease, then one request), the
    # first refusal reads when the window frees a request; the next three ask nothing
    assert calls == ["hit"] * 5 + ["get_window_stats"]


def test_two_workers_never_serve_more_than_their_shared_budget(engine_port: int) -> None:
    async def scenario() -> tuple[int, int]:
        workers = [_budget(engine_port, "300/minute"), _budget(engine_port, "300/minute")]
        try:
            served = 0
            for n in range(400):
                if await workers[n % 2].spend(address="10.7.0.6", token=None) is None:
                    served += 1
            return served, await _remaining(workers[0], "300/minute", "10.7.0.6")
        finally:
            for worker in workers:
                await worker.aclose()

    served, remaining = asyncio.run(scenario())
    # each worker may end holding a lease it cannot serve elsewhere: at most 2 of 3 each
    assert 296 <= served <= 300, served
    assert remaining == 0


def test_leases_are_kept_for_a_second_after_they_end_and_bounded() -> None:
    leases = Leases(seconds=0.01, kept=100)
    for n in range(50):
        leases.grant(f"k{n}", 3, time.monotonic())
    time.sleep(0.03)  # over a second (here 0.01 s) after they ended
    leases.grant("fresh", 3, time.monotonic())
    assert list(leases.held) == ["fresh"]
    for n in range(1000):
        leases.grant(f"m{n}", 3, time.monotonic())
    assert len(leases.held) == 100 and "m999" in leases.held


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[float]:
    monkeypatch.setattr(api.limits, "SHARED_TIMEOUT_SECONDS", 0.3)
    yield 0.3


def test_requests_waiting_on_a_claim_that_times_out_are_counted_here_at_once(
    short_timeout: float,
) -> None:
    """A storage that accepts connections and never answers: the key's requests waiting
    on the claim fail with it, to this process's memory, instead of each becoming the
    next claimer and waiting out its own timeout (twenty took six seconds)."""

    async def scenario() -> tuple[list[int | None], float]:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read(1 << 20)
            await asyncio.sleep(3600)

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        budget = RateBudget(
            per_token="100000/minute", per_address="600/minute", storage=f"redis://127.0.0.1:{port}"
        )
        started = time.monotonic()
        try:
            spent = await asyncio.gather(
                *(budget.spend(address="10.7.0.7", token=None) for _ in range(20))
            )
            return list(spent), time.monotonic() - started
        finally:
            server.close()
            await budget.aclose()

    spent, elapsed = asyncio.run(scenario())
    assert spent == [None] * 20  # counted in memory: within its 600
    assert elapsed < 4 * short_timeout, elapsed


def test_a_refusal_read_after_its_window_freed_a_request_is_not_kept(engine_port: int) -> None:
    """The window frees a request between the refused claim and the read of its reset
    time: that reset time is not the refusal's, and the next request is served."""

    async def scenario() -> tuple[int | None, int | None]:
        budget = _budget(engine_port, "3/2 seconds")
        shared: Any = budget.shared
        read = shared.get_window_stats

        async def late(*args: Any, **kw: Any) -> Any:
            await asyncio.sleep(0.3)
            return await read(*args, **kw)

        shared.get_window_stats = late
        try:
            started = time.monotonic()
            for _ in range(3):
                assert await budget.spend(address="10.7.0.8", token=None) is None
            await asyncio.sleep(max(0.0, started + 1.85 - time.monotonic()))
            refused = await budget.spend(address="10.7.0.8", token=None)  # read at ~2.15 s
            return refused, await budget.spend(address="10.7.0.8", token=None)
        finally:
            await budget.aclose()

    refused, after = asyncio.run(scenario())
    assert refused == 1
    assert after is None


def test_a_refusal_answered_in_place_is_read_again_after_a_while() -> None:
    refusals = Refusals(recheck=0.05)
    refusals.refuse("k", time.time() + 60)
    assert refusals.wait("k") == 60
    time.sleep(0.06)
    assert refusals.wait("k") is None  # the storage is asked again
