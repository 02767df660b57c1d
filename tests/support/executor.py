"""An executor that counts what the shortcuts' walk did, for the differential tests."""

from __future__ import annotations

from typing import Any

from api.graphql.executor import _BAIL, ShortcutExecutionContext


class CountingWalk(ShortcutExecutionContext):
    """Counts the objects the walk completed and the times it gave up."""

    filled = 0
    gave_up = 0

    def _fill(self, *args: Any) -> Any:
        done = super()._fill(*args)
        if done is _BAIL:
            CountingWalk.gave_up += 1
        else:
            CountingWalk.filled += 1
        return done
