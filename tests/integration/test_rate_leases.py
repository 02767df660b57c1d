"""Workers claim a high shared budget in leases, and never serve more than it.

With `serve --workers N` every request spent its budget in the shared storage (the
embedded engine's Redis server here): a round trip per request, a sixth of a point read.
A budget of 100 a minute or more is now claimed 1 % at a time (at most 64 requests),
served from the worker's memory for a second; a smaller one is claimed a request at a
time as before. What the storage holds is read back to check what was claimed.
"""

from __future__ import annotations

import asyncio
import time

from limits import parse

from api.limits import Leases, RateBudget, lease_size


def _budget(port: int, per_address: str) -> RateBudget:
    return RateBudget(
        per_token="100000/minute", per_address=per_address, storage=f"redis://127.0.0.1:{port}"
    )


async def _remaining(budget: RateBudget, per_address: str, address: str) -> int:
    assert budget.shared is not None
    stats = await budget.shared.get_window_stats(parse(per_address), "address:" + address)
    return stats.remaining


def test_lease_sizes_follow_the_budget() -> None:
    assert [lease_size(parse(f"{n}/minute")) for n in (1, 99, 100, 300, 600, 10**7)] == [
        1, 1, 1, 3, 6, 64,
    ]  # fmt: skip


def test_a_high_budget_is_claimed_a_lease_at_a_time(engine_port: int) -> None:
    async def scenario() -> list[int]:
        budget = _budget(engine_port, "1000/minute")
        seen = []
        try:
            for spends in (1, 9, 1):
                for _ in range(spends):
                    assert await budget.spend(address="10.7.0.1", token=None) is None
                seen.append(await _remaining(budget, "1000/minute", "10.7.0.1"))
        finally:
            await budget.aclose()
        return seen

    # one claim of 10 serves ten requests; the eleventh claims the next ten
    assert asyncio.run(scenario()) == [990, 990, 980]


def test_a_small_budget_is_claimed_a_request_at_a_time(engine_port: int) -> None:
    async def scenario() -> int:
        budget = _budget(engine_port, "50/minute")
        try:
            assert await budget.spend(address="10.7.0.2", token=None) is None
            return await _remaining(budget, "50/minute", "10.7.0.2")
        finally:
            await budget.aclose()

    assert asyncio.run(scenario()) == 49


def test_a_lease_ends_after_its_time_and_its_rest_is_never_served(engine_port: int) -> None:
    async def scenario() -> list[int]:
        budget = _budget(engine_port, "1000/minute")
        budget.leases = Leases(seconds=0.05)
        try:
            assert await budget.spend(address="10.7.0.3", token=None) is None
            time.sleep(0.1)
            assert await budget.spend(address="10.7.0.3", token=None) is None
            return [await _remaining(budget, "1000/minute", "10.7.0.3")]
        finally:
            await budget.aclose()

    # the first lease's nine unspent requests stay counted: a new claim of ten
    assert asyncio.run(scenario()) == [980]


def test_the_last_request_of_a_budget_is_served_when_a_lease_would_go_over(
    engine_port: int,
) -> None:
    async def scenario() -> tuple[int | None, int | None, int]:
        budget = _budget(engine_port, "200/minute")  # leases of 2
        assert budget.shared is not None
        try:
            # another worker has spent 199 of the 200
            await budget.shared.hit(parse("200/minute"), "address:10.7.0.4", cost=199)
            last = await budget.spend(address="10.7.0.4", token=None)
            over = await budget.spend(address="10.7.0.4", token=None)
            return last, over, await _remaining(budget, "200/minute", "10.7.0.4")
        finally:
            await budget.aclose()

    last, over, remaining = asyncio.run(scenario())
    assert last is None
    assert isinstance(over, int) and over >= 1
    assert remaining == 0


def test_two_workers_never_serve_more_than_their_shared_budget(engine_port: int) -> None:
    async def scenario() -> tuple[int, int]:
        workers = [_budget(engine_port, "300/minute"), _budget(engine_port, "300/minute")]
        try:
            served = 0
            for n in range(400):
                if await workers[n % 2].spend(address="10.7.0.5", token=None) is None:
                    served += 1
            return served, await _remaining(workers[0], "300/minute", "10.7.0.5")
        finally:
            for worker in workers:
                await worker.aclose()

    served, remaining = asyncio.run(scenario())
    # each worker may end holding a lease it cannot serve elsewhere: at most 2 of 3 each
    assert 296 <= served <= 300, served
    assert remaining == 0
