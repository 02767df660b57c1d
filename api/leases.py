"""What a worker has claimed of the budgets its workers share, and what it knows refused.

With `serve --workers N` the budgets live in a storage the workers share, and a round
trip to it per request cost a sixth of a point read. A busy key is claimed a lease at a
time instead: a few requests counted in the shared window at once, served from this
worker's memory for at most LEASE_SECONDS after the claim was stamped. A key not seen in
the last second is claimed a request at a time, as before; a lease spent before its end
is followed by one twice as large, and one that ended unspent by one the size of what it
served. So a client claims about what it spends, and the requests left when a lease ends
(counted, never served) are at most one lease of a client that slowed down.

A key refused by the shared storage stays refused here until the window frees a request:
a moving window frees nothing before its oldest request ends, so that answer is exact and
costs no round trip.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem

# A lease is at most this share of its budget (1 %) and this many requests: the defaults
# (300 and 600 a minute) lease up to 3 and 6, a budget under 100 never more than one.
LEASE_SHARE = 100
LEASE_MOST = 64
LEASE_SECONDS = 1.0
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

    def next_size(self, key: str, most: int) -> int:
        """How many requests to claim for `key`, at most `most`."""
        lease = self.held.get(key)
        now = time.monotonic()
        if lease is None or most <= 1 or now >= lease.until + self.seconds:
            return 1  # not seen in the last second
        if lease.left <= 0 and now < lease.until:
            return min(most, 2 * lease.size)  # spent before its end
        return max(1, min(most, lease.size - lease.left))  # what it served in its time

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
    """Keys the shared storage refused, until their window frees a request."""

    def __init__(self, kept: int = KEYS_KEPT) -> None:
        self.kept = kept
        self.until: dict[str, float] = {}  # key: wall-clock time (the storage's clock)

    def wait(self, key: str) -> int | None:
        """Seconds until the key may be served again, or None when it is not refused."""
        until = self.until.get(key)
        if until is None:
            return None
        wait = until - time.time()
        if wait <= 0:
            del self.until[key]
            return None
        return max(1, math.ceil(wait))

    def refuse(self, key: str, until: float) -> None:
        self.until.pop(key, None)
        self.until[key] = until
        if len(self.until) > self.kept:
            del self.until[next(iter(self.until))]  # the oldest: a round trip later
