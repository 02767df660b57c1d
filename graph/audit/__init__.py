"""The audit trail: every change made through the API writes its event in the same
statement as the change, so there is no change without its event and no event without
its change.

The API opens a draft per mutation (`auditing`), naming the actor, the action and the
request; repositories add targets and before/after values as they learn them
(`note_targets`, `note_change`), and send their one write through `write`, which turns
the statement into its audited form (see graph/audit/queries.py) when a draft is open.
File imports open a draft too (the CLI's and the upload's), with the run record they
write beside the event. Writes with no draft open (seeding, tests) run unchanged.
"""

from __future__ import annotations

import contextvars
import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.audit.queries import audited
from graph.store import GraphStore, Params, Row


@dataclass
class Draft:
    actor: str
    role: str
    action: str
    request_id: str | None
    targets: list[str] = field(default_factory=list)
    working_groups: list[str] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    written: int = 0
    # A file import's run record: written by the next audited statement, with its data.
    run: dict[str, Any] | None = None
    # The last event written, for the notification that tells subscribers of it.
    last: dict[str, Any] | None = None

    def event(self) -> dict[str, Any]:
        return {
            "id": uuid.uuid4().hex,
            "at": datetime.now(UTC).isoformat(),
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "targets": sorted(set(self.targets)),
            "working_groups": sorted(set(self.working_groups)),
            "changes": json.dumps(self.changes, ensure_ascii=False, default=str, sort_keys=True),
            "request_id": self.request_id,
        }


_draft: contextvars.ContextVar[Draft | None] = contextvars.ContextVar(
    "pariscall_audit", default=None
)


@contextmanager
def auditing(*, actor: str, role: str, action: str, request_id: str | None) -> Iterator[Draft]:
    """Open the draft of one mutation's event for the calls made in this context."""
    draft = Draft(actor=actor, role=role, action=action, request_id=request_id)
    token = _draft.set(draft)
    try:
        yield draft
    finally:
        _draft.reset(token)


def note_targets(*ids: str, working_groups: tuple[str, ...] | list[str] = ()) -> None:
    draft = _draft.get()
    if draft is not None:
        draft.targets.extend(i for i in ids if i)
        draft.working_groups.extend(working_groups)


def note_change(name: str, before: Any, after: Any) -> None:
    draft = _draft.get()
    if draft is not None and before != after:
        draft.changes[name] = [before, after]


def note_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    for name in sorted(set(before) | set(after)):
        note_change(name, before.get(name), after.get(name))


def write(store: GraphStore, cypher: str, params: Params | None = None) -> list[Row]:
    """Run a mutation's write, with its audit event when a draft is open."""
    draft = _draft.get()
    if draft is None:
        return store.write(cypher, params)
    event = draft.event()
    extra: dict[str, Any] = {"audit": event}
    if draft.run is not None:
        extra["import_run"] = draft.run
    rows = store.write(audited(cypher, run=draft.run is not None), {**(params or {}), **extra})
    if rows:
        draft.written += 1
        draft.run = None
        draft.last = event
    return rows
