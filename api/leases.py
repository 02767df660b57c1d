"""What a worker has claimed of the budgets its workers share, and what it knows refused.

With `serve --workers N` the budgets live in a storage the workers share, and a round
trip to it per request cost a sixth of a point read. A busy key is claimed a lease at a
time instead: a few requests counted in the shared window at once, served from this
worker's memory for at most LEASE_SECONDS after the claim was stamped. One claim per key
is in flight at a time; the key's requests arriving meanwhile wait for it, and the next
claim is sized for them. Otherwise a key not seen in the last second is claimed a request
at a time, as before; a lease spent before its end is followed by one twice as large, and
one that ended unspent by one the size of what it served. Requests left when a lease ends
stay counted, never served: at most a lease (1 % of the budget) each time a client slows
down, and a window of the budget's length serves at most the budget and each worker's
last lease.

A key refused by the shared storage stays refused here until the window frees a request:
a moving window frees nothing before its oldest request ends, so that answer is exact and
costs no round trip (read again every REFUSAL_RECHECK_SECONDS, for counters cleared by
hand).
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem

# A lease is at most this share of its budget (1 %) and this many requests: the defaults
# (300 and 600 a minute) lease up to 3 and 6, a budget under 100 never more than one.
LEASE_SHARE = 100
LEASE_MOST = 64
LEASE_SECONDS = 1.0
# A refusal answered in place is read again from the storage after this long: an operator
# who clears the counters (or an engine restarted empty) is heard within it.
REFUSAL_RECHECK_SECONDS = 10.0
# Keys remembered; past it the oldest are forgotten (a forgotten lease is never served,
# a forgotten refusal costs a round trip).
KEYS_KEPT = 10_000


def most_leased(limit: RateLimitItem) -> int:
    """The largest lease of `limit`."""
    return max(1, min(LEASE_MOST, limit.amount // LEASE_SHARE))


@dataclass
class Lease:
    size: int  # requests claimed
    left: int  # not served yet
    until: float  # monotonic time it ends


@dataclass
class Claim:
    """A claim in flight for one key; the key's other requests wait for it, and a claim
    that failed fails them too (each waiting out its own timeout in turn stalled them)."""

    done: asyncio.Event = field(default_factory=asyncio.Event)
    failure: BaseException | None = None


class Leases:
    """Leases by key, in the order they end (all last as long)."""

    def __init__(self, seconds: float = LEASE_SECONDS, kept: int = KEYS_KEPT) -> None:
        self.seconds = seconds
        self.kept = kept
        self.held: dict[str, Lease] = {}

    def take(self, key: str) -> bool:
        """One request from the key's lease, if it holds one."""
        lease = self.held.get(key)
        if lease is None or lease.left <= 0 or time.monotonic() >= lease.until:
            return False
        lease.left -= 1
        return True

    def next_size(self, key: str, most: int, waiting: int = 0) -> int:
        """How many requests to claim for `key`, at most `most`: this one and the
        `waiting` others first, and more when the key's last lease was spent in time."""
        lease = self.held.get(key)
        now = time.monotonic()
        if lease is None or now >= lease.until + self.seconds:
            usual = 1  # not seen in the last second
        elif lease.left <= 0 and now < lease.until:
            usual = 2 * lease.size  # spent before its end
        else:
            usual = lease.size - lease.left  # what it served in its time
        return max(1, min(most, max(usual, 1 + waiting)))

    def grant(self, key: str, size: int, stamped: float) -> None:
        """`size` requests claimed at monotonic time `stamped` (taken before the round
        trip: the claim is stamped after it), the first of them served now."""
        self.held.pop(key, None)  # to the end of the order
        self.held[key] = Lease(size, size - 1, stamped + self.seconds)
        now = time.monotonic()
        while self.held:
            first = next(iter(self.held))
            if self.held[first].until + self.seconds > now and len(self.held) <= self.kept:
                break
            del self.held[first]  # ended over a second ago, or one too many


class Refusals:
    """Keys the shared storage refused, until their window frees a request (read again
    after `recheck` seconds)."""

    def __init__(self, kept: int = KEYS_KEPT, recheck: float = REFUSAL_RECHECK_SECONDS) -> None:
        self.kept = kept
        self.recheck = recheck
        # key: (wall-clock time it frees a request, as the storage stamps; time to re-read)
        self.until: dict[str, tuple[float, float]] = {}

    def wait(self, key: str) -> int | None:
        """Seconds until the key may be served again, or None when it is not refused."""
        found = self.until.get(key)
        if found is None:
            return None
        until, reread = found
        now = time.time()
        if now >= until or now >= reread:
            del self.until[key]
            return None
        return max(1, math.ceil(until - now))

    def refuse(self, key: str, until: float) -> None:
        self.until.pop(key, None)
        self.until[key] = (until, time.time() + self.recheck)
        if len(self.until) > self.kept:
            del self.until[next(iter(self.until))]  # the oldest: a round trip later
