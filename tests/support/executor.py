"""An executor that counts what the shortcuts' walk did, for the differential tests."""

from __future__ import annotations

from typing import Any

from api.graphql.executor import _BAIL, Completed, ShortcutExecutionContext


class CountingWalk(ShortcutExecutionContext):
    """Counts the objects the walk completed, the times it gave up, and the answers
    written from a plan's rows (api/graphql/projection.py) it read."""

    filled = 0
    gave_up = 0
    written = 0

    def complete_value(self, *args: Any) -> Any:
        if type(args[-2]) is Completed:
            CountingWalk.written += 1
        return super().complete_value(*args)

    def _fill(self, *args: Any) -> Any:
        done = super()._fill(*args)
        if done is _BAIL:
            CountingWalk.gave_up += 1
        else:
            CountingWalk.filled += 1
        return done
