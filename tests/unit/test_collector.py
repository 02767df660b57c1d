"""A serving process's collector (api/collector.py): what is alive at start-up frozen,
and a young generation wider than a request's allocations."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from api import collector


@pytest.fixture
def restored() -> Iterator[None]:
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.usefixtures("restored")
def test_settling_freezes_what_is_alive_and_widens_the_young_generation() -> None:
    _, older, oldest = gc.get_threshold()
    collector.settle()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (collector.YOUNG, older, oldest)
    assert collector.YOUNG > 700  # CPython's default young generation
