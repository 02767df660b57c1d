"""Lists the API pages through, read a page at a time: a statement for a page of rows
(with $skip and $limit) and one counting the rows (returning `n`), both taking the
list's filters as $parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graph.store import GraphStore

M = TypeVar("M")


def paged(
    page: str, count: str, make: Callable[[dict[str, Any]], M]
) -> tuple[Callable[..., list[M]], Callable[..., int]]:
    """The two reads of a list: `rows(store, *, skip, limit, **filters)`, each row made
    into a record by `make`, and `total(store, **filters)`."""

    def rows(store: GraphStore, *, skip: int, limit: int, **filters: Any) -> list[M]:
        return [make(r) for r in store.read(page, {**filters, "skip": skip, "limit": limit})]

    def total(store: GraphStore, **filters: Any) -> int:
        return int(store.read(count, filters)[0]["n"])

    return rows, total
