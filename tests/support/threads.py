"""Starting work on several stores at the same instant, as workers of one server do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def at_once(work: Callable[[T], object], items: Sequence[T]) -> list[Any]:
    """work(item) in one thread per item, all released together; errors are answers."""
    start = threading.Barrier(len(items))
    answers: list[Any] = [None] * len(items)

    def run(k: int) -> None:
        start.wait()
        try:
            answers[k] = work(items[k])
        except BaseException as exc:  # reported by the caller with the others
            answers[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
