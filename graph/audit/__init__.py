"""The audit trail: every change writes its event in the same statement as the change, so
there is no change without its event and no event without its change.

A change runs in a `UnitOfWork`, opened by the use-case runner (graph/usecases.py) for
every door (GraphQL, uploads, the command line, importers), naming the actor, the
recorded action (schema.events.AuditAction) and the request. The repository functions
that write take the unit itself, not a store (`@writes` refuses a plain store with a
TypeError, so a write without its unit is impossible rather than silent); they add the
targets and before/after values as they learn them (`note_targets`, `note_change`) and
send each write through `work.write`, which turns the statement into its audited form
(see graph/audit/queries.py). A file import's unit also carries the run record the
statement writes beside the event (`work.run`).

Writes that have no actor (seeding demo data, migrations, a registry restore's
bookkeeping, test fixtures) say so with a named system unit, `UnitOfWork.system(store,
reason)`, whose statements run unchanged and record no event.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from graph.audit.queries import audited
from graph.store import GraphStore, Params, Row
from schema.access import Actor
from schema.events import AuditAction

P = ParamSpec("P")
R = TypeVar("R")


def new_event(
    *,
    actor: str,
    role: str,
    action: str,
    request_id: str | None,
    targets: Iterable[str] = (),
    working_groups: Iterable[str] = (),
    changes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An audit event as the graph stores it (its changes as JSON)."""
    return {
        "id": uuid.uuid4().hex,
        "at": datetime.now(UTC).isoformat(),
        "actor": actor,
        "role": role,
        "action": action,
        "targets": sorted(set(targets)),
        "working_groups": sorted(set(working_groups)),
        "changes": json.dumps(changes or {}, ensure_ascii=False, default=str, sort_keys=True),
        "request_id": request_id,
    }


class UnitOfWork:
    """One change: who makes it, under which recorded name, in which request, and the
    event it wrote (`event`, the last one when it wrote several)."""

    def __init__(
        self,
        store: GraphStore,
        actor: Actor,
        action: AuditAction | str,
        *,
        request_id: str | None = None,
        role: str | None = None,
    ) -> None:
        """`role` is how the actor acts when it holds no token's role (the machine's
        operator: 'cli'); by default the actor's own role."""
        self.store = store
        self.actor = actor
        self.action = AuditAction(action).value
        self.request_id = request_id
        self.role = role or (actor.role.value if actor.role else "anonymous")
        # Set by `system`: the writes of no actor, which record no event.
        self.reason: str | None = None
        self.targets: list[str] = []
        self.working_groups: list[str] = []
        self.changes: dict[str, list[Any]] = {}
        # A file import's run record: written by the next audited statement, with its data.
        self.run: dict[str, Any] | None = None
        self.written = 0
        # The last event written, for the notification that tells subscribers of it.
        self.event: dict[str, Any] | None = None

    @classmethod
    def system(cls, store: GraphStore, reason: str) -> UnitOfWork:
        """The unit of a write no actor makes (seeding, migrations, restore, fixtures),
        named by `reason`: its statements run unchanged and record no audit event, as
        those writes never have (the trail records what people and tokens change)."""
        if not reason:
            raise ValueError("a system unit of work says why it writes")
        work = cls.__new__(cls)
        work.store = store
        work.actor = Actor(name=f"system: {reason}", role=None)
        work.action = ""
        work.request_id = None
        work.role = "system"
        work.reason = reason
        work.targets, work.working_groups, work.changes = [], [], {}
        work.run, work.written, work.event = None, 0, None
        return work

    @property
    def audited(self) -> bool:
        """Whether its writes record an event (every unit but a system one)."""
        return self.reason is None

    def note_targets(self, *ids: str, working_groups: Iterable[str] = ()) -> None:
        self.targets.extend(i for i in ids if i)
        self.working_groups.extend(working_groups)

    def note_change(self, name: str, before: Any, after: Any) -> None:
        if before != after:
            self.changes[name] = [before, after]

    def note_changes(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        for name in sorted(set(before) | set(after)):
            self.note_change(name, before.get(name), after.get(name))

    def new_event(self) -> dict[str, Any]:
        """The event of what the unit noted so far, for a statement that writes it."""
        return new_event(
            actor=self.actor.name, role=self.role, action=self.action,
            request_id=self.request_id, targets=self.targets,
            working_groups=self.working_groups, changes=self.changes,
        )  # fmt: skip

    def write(self, cypher: str, params: Params | None = None) -> list[Row]:
        """Run one statement of the change, writing its audit event (and the import run
        noted in `run`) with it; nothing written, no event."""
        if not self.audited:
            return self.store.write(cypher, params)
        event = self.new_event()
        extra: dict[str, Any] = {"audit": event}
        if self.run is not None:
            extra["import_run"] = self.run
        rows = self.store.write(
            audited(cypher, run=self.run is not None), {**(params or {}), **extra}
        )
        if rows:
            self.written += 1
            self.run = None
            self.event = event
        return rows


def writes(fn: Callable[Concatenate[UnitOfWork, P], R]) -> Callable[Concatenate[UnitOfWork, P], R]:
    """Mark a function that changes the graph: it takes the change's unit of work, and a
    plain store given instead is refused before anything is read or written."""

    @functools.wraps(fn)
    def checked(work: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if not isinstance(work, UnitOfWork):
            raise TypeError(
                f"{fn.__module__}.{fn.__qualname__} changes the graph, so it takes a "
                f"UnitOfWork, not {type(work).__name__}: open one with UnitOfWork(store, "
                "actor, action) or, for a write no actor makes, UnitOfWork.system(store, reason)"
            )
        return fn(work, *args, **kwargs)

    return checked
