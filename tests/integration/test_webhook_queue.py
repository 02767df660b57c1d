"""The webhook delivery queue on both engines: dispatchers claiming at the same time
never take the same delivery twice, and every due delivery is taken once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from graph.access import repository as access
from graph.store import GraphStore
from graph.webhooks import repository as webhooks
from schema.events import Event, EventKind
from tests.support.units import system


def _admin(store: GraphStore, now: datetime) -> str:
    """A hook delivers while its owner holds: an admin's token owns these."""
    token, _ = access.issue_token(system(store), name="Registry admin", role="admin", now=now)
    return token.id


def test_concurrent_dispatchers_claim_each_delivery_once(store: GraphStore) -> None:
    now = datetime.now(UTC)
    owner = _admin(store, now)
    for n in range(3):
        webhooks.create(
            system(store), working_group_id=None, url=f"https://198.51.100.{n + 1}/hook", kinds=[],
            created_by="test", owner_token=owner, now=now,
        )  # fmt: skip
    for n in range(40):
        event = Event(id=f"e{n:02d}", kind=EventKind.PROPOSAL_OPENED, at=now, actor="a",
                      action="propose_initiative", working_groups=["wg6"])  # fmt: skip
        assert webhooks.enqueue(store, event, now=now) == 3
    later = now + timedelta(seconds=1)

    def claim(_: int) -> list[str]:
        taken: list[str] = []
        while batch := webhooks.claim_due(store, now=later, limit=7):
            taken += [d.id for d, _ in batch]
        return taken

    with ThreadPoolExecutor(4) as pool:
        claimed = [id for ids in pool.map(claim, range(4)) for id in ids]
    assert len(claimed) == 120
    assert len(set(claimed)) == 120
    # Nothing is due before its time, and a claim is not due again.
    assert webhooks.claim_due(store, now=later, limit=10) == []


def test_a_stale_claim_goes_back_to_the_queue(store: GraphStore) -> None:
    now = datetime.now(UTC)
    webhooks.create(system(store), working_group_id=None, url="https://198.51.100.9/h", kinds=[],
                    created_by="test", owner_token=_admin(store, now), now=now)  # fmt: skip
    event = Event(id="e1", kind=EventKind.COMMENT_ADDED, at=now, actor="a", action="add_comment")
    webhooks.enqueue(store, event, now=now)
    assert len(webhooks.claim_due(store, now=now, limit=5)) == 1
    assert (
        webhooks.release_stale(store, now=now + timedelta(minutes=1), after=timedelta(minutes=2))
        == 0
    )
    assert (
        webhooks.release_stale(store, now=now + timedelta(minutes=3), after=timedelta(minutes=2))
        == 1
    )
    [(again, _)] = webhooks.claim_due(store, now=now + timedelta(minutes=3), limit=5)
    assert again.attempts == 2
