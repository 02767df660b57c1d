"""Values computed from a store's data, kept per store object for a while.

Search needs, for each label, things that are costly to read at every query (the
registry's accented spellings, the stored embeddings); they change rarely. Each is kept
here for `max_age` seconds per store object and label, then read again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from graph.store import GraphStore

T = TypeVar("T")


class PerStore(Generic[T]):
    """A cache of one kind of value, by (store object, key)."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._values: dict[tuple[int, str], tuple[float, T]] = {}

    def get(self, store: GraphStore, key: str, make: Callable[[], T]) -> T:
        """The kept value if younger than max_age, else `make()` (outside the lock)."""
        slot = (id(store), key)
        now = time.monotonic()
        with self._lock:
            kept = self._values.get(slot)
        if kept is not None and now - kept[0] < self.max_age:
            return kept[1]
        value = make()
        with self._lock:
            self._values[slot] = (now, value)
        return value

    def forget(self, store: GraphStore) -> None:
        """Drop every value of a store (tests, and a store that is closed)."""
        with self._lock:
            for slot in [s for s in self._values if s[0] == id(store)]:
                del self._values[slot]
