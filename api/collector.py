"""The garbage collector of a serving process, set once its app is made.

Everything alive when a server starts lives as long as it: `gc.freeze()` keeps the
collector's full passes from walking it again and again (they made the dashboard's p99
135 ms instead of 40). And a request allocates thousands of containers that die when it
ends: at the default threshold (a young pass every 700 net allocations) a dashboard ran
five or six young passes, each promoting what the request still held, so older passes
followed; with a young generation larger than a request's, its objects mostly die young
and uncollected (1.5 ms of collector per dashboard in process, 0.07 after). The passes
that remain walk more objects each, as many in all.
"""

from __future__ import annotations

import gc

# Net allocations of tracked objects between young passes (CPython's default: 700).
YOUNG = 20_000


def settle() -> None:
    """Freeze what is alive and widen the young generation, in a serving process only
    (a test process builds many apps and keeps the defaults)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG, older, oldest)
