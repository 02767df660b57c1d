"""This worker's open WebSockets: how many each address and each token holds, and the
periodic check of their tokens.

A socket outlives the state of the token that opened it. Each of its messages is checked
again as it comes (api/graphql/transport.py), but a socket that only listens sends
nothing: every `every` seconds the tokens of all open sockets are read again in one
query, and a socket whose token was revoked, expired or changed is closed with the reason
(4403), which ends its subscriptions. Counts and checks are this process's: with several
workers each holds its own sockets, so the caps bound each worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import anyio.to_thread

from graph.access import repository as access
from graph.store import GraphStore
from schema.access import ANONYMOUS, Actor, actor_of, hash_secret, token_problem
from schema.errors import PariscallError

log = logging.getLogger("pariscall.api")

# Close codes: RFC 6455's "message too big" and "try again later", graphql-transport-ws's
# "forbidden", and "too many" in the protocol's 4xxx range (as HTTP 429).
TOO_BIG = 1009
TRY_LATER = 1013
FORBIDDEN = 4403
TOO_MANY = 4429


class SocketRefused(Exception):
    """A socket to close, with the code and the reason its client is told."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def changed(actor: Actor) -> str:
    return f"API token '{actor.name}' changed: connect again"


@dataclass(eq=False)
class Seat:
    """One open socket as the registry counts it: where from, signed in as whom, and how
    to close it."""

    address: str
    end: Callable[[int, str], Awaitable[None]]
    token_hash: str | None = None
    actor: Actor = ANONYMOUS


class Sockets:
    """This worker's open sockets (see the module docstring)."""

    def __init__(self, *, per_token: int, per_address: int, every: float) -> None:
        self.per_token = per_token
        self.per_address = per_address
        self.every = every
        self.seats: set[Seat] = set()
        self._task: asyncio.Task[None] | None = None

    def take(self, address: str, end: Callable[[int, str], Awaitable[None]]) -> Seat:
        """A seat for a new socket from `address`, or SocketRefused over the cap."""
        if sum(1 for s in self.seats if s.address == address) >= self.per_address:
            raise SocketRefused(
                TOO_MANY, f"too many sockets open from this address (at most {self.per_address})"
            )
        seat = Seat(address, end)
        self.seats.add(seat)
        return seat

    def sign_in(self, seat: Seat, secret: str, actor: Actor) -> None:
        """The seat now holds this token, or SocketRefused when it holds enough already."""
        held = sum(1 for s in self.seats if s is not seat and s.actor.token_id == actor.token_id)
        if actor.token_id is not None and held >= self.per_token:
            raise SocketRefused(
                TOO_MANY, f"too many sockets open for this token (at most {self.per_token})"
            )
        seat.token_hash = hash_secret(secret)
        seat.actor = actor

    def leave(self, seat: Seat) -> None:
        self.seats.discard(seat)

    async def check(self, store: GraphStore) -> None:
        """Close every socket whose token no longer holds as it did when it signed in."""
        seats = [s for s in self.seats if s.token_hash is not None]
        if not seats:
            return
        hashes = sorted({str(s.token_hash) for s in seats})
        found = await anyio.to_thread.run_sync(partial(access.tokens_by_hashes, store, hashes))
        now = datetime.now(UTC)
        for seat in seats:
            token = found.get(str(seat.token_hash))
            problem = token_problem(token, now)
            if problem is None and token is not None and actor_of(token) != seat.actor:
                problem = changed(seat.actor)
            if problem is not None:
                await seat.end(FORBIDDEN, problem)

    async def start(self, store: GraphStore) -> None:
        self._task = asyncio.create_task(self._watch(store), name="pariscall-sockets")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self, store: GraphStore) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.check(store)
            except PariscallError as exc:  # the graph is away: the next round tries again
                log.warning("open sockets' tokens not checked: %s", exc)
