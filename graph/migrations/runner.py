"""Applying the data migrations: verify what the graph recorded, then apply what is
pending, once, under the lock (see graph/migrations/__init__.py for the whole story)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from graph.errors import MigrationRefused
from graph.migrations import ledger
from graph.migrations import steps as table
from graph.migrations.steps import BATCH, Step
from graph.store import GraphStore

log = logging.getLogger(__name__)

# How long a lock lasts unless renewed, how often its owner renews it while it works,
# how often a waiting process looks again, and how long it waits before giving up.
LOCK_TTL = 60.0
RENEW_EVERY = LOCK_TTL / 4
POLL = 0.1
LOCK_WAIT = 900.0


@dataclass(frozen=True)
class Applied:
    version: int
    name: str
    changed: int
    duration_ms: int


@dataclass
class Report:
    """What one call applied, and how many steps it found applied already."""

    applied: list[Applied] = field(default_factory=list)
    already: int = 0


@dataclass(frozen=True)
class StepState:
    """A step as `pariscall db status` shows it: applied, pending or changed."""

    version: int
    name: str
    description: str
    state: str
    applied_at: str | None = None
    changed: int | None = None


def upgrade(store: GraphStore, steps: Sequence[Step] | None = None) -> Report:
    """Start-up: unique keys and indexes first, then the pending data migrations."""
    store.apply_schema()
    return migrate(store, steps, schema_applied=True)


def migrate(
    store: GraphStore,
    steps: Sequence[Step] | None = None,
    *,
    schema_applied: bool = False,
    wait: float = LOCK_WAIT,
) -> Report:
    """Apply the steps the graph has not recorded, in order, each recorded with its
    checksum. One read when nothing is pending; otherwise the schema (unless the caller
    just applied it), then the lock, then the steps still pending once it is held.

    Raises MigrationRefused when a recorded step changed or is unknown to this code, or
    when another process holds the lock for longer than `wait` seconds. `steps`: those of
    graph/migrations/steps.py unless given."""
    steps = table.STEPS if steps is None else steps
    if not pending(ledger.applied(store), steps):
        return Report(already=len(steps))
    if not schema_applied:
        store.apply_schema()
    owner = f"{socket.gethostname()} pid {os.getpid()} {uuid.uuid4().hex[:8]}"
    with held(store, owner, wait=wait):
        todo = pending(ledger.applied(store), steps)
        done = [apply(store, step, owner) for step in todo]
    return Report(applied=done, already=len(steps) - len(done))


def pending(recorded: dict[int, ledger.Record], steps: Sequence[Step]) -> list[Step]:
    """The steps not recorded yet, in order, once every recorded one is checked."""
    known = {step.version: step for step in steps}
    for version, done in sorted(recorded.items()):
        step = known.get(version)
        if step is None:
            raise MigrationRefused(
                f"the graph records migration {version} ({done.name}), applied on "
                f"{done.applied_at}, which this version of the software does not know: a "
                "newer version upgraded it; run that version or a later one"
            )
        if done.checksum != step.checksum:
            raise MigrationRefused(
                f"migration {version} ({step.name}) changed after it was applied on "
                f"{done.applied_at}: its checksum was {done.checksum}, the code's is "
                f"{step.checksum}. An applied step must not change: restore it as it was "
                "and add a new step for the new change"
            )
    return sorted((s for s in steps if s.version not in recorded), key=lambda s: s.version)


def apply(store: GraphStore, step: Step, owner: str) -> Applied:
    """Run one step and record it; the lock must be held by `owner`."""
    started = time.monotonic()
    changed = run_step(store, step)
    took = int((time.monotonic() - started) * 1000)
    recorded = ledger.record(
        store,
        owner=owner,
        version=step.version,
        name=step.name,
        description=step.description,
        checksum=step.checksum,
        applied_at=datetime.now(UTC).isoformat(),
        duration_ms=took,
        changed=changed,
    )
    if not recorded:
        raise MigrationRefused(
            f"the migration lock expired while migration {step.version} ({step.name}) ran; "
            "another process may apply it again (steps are idempotent): start again"
        )
    log.info("migration %s (%s) applied: %s changed in %s ms", step.version, step.name,
             changed, took)  # fmt: skip
    return Applied(step.version, step.name, changed, took)


def run_step(store: GraphStore, step: Step) -> int:
    """Run a step's statements (a batched one until it changes nothing): how much changed."""
    total = 0
    for text in step.texts(store.backend):
        while True:
            rows = store.write(text, {"batch": BATCH} if step.batched else None)
            changed = int(rows[0]["changed"]) if rows else 0
            total += changed
            if not step.batched or changed == 0:
                break
    return total


@contextmanager
def held(
    store: GraphStore, owner: str, *, wait: float = LOCK_WAIT, ttl: float = LOCK_TTL
) -> Iterator[None]:
    """Hold the migration lock for the block, renewed while it runs; wait for another
    owner to finish (or for its lock to expire) at most `wait` seconds."""
    deadline = time.monotonic() + wait
    pause = threading.Event()
    while not ledger.take_lock(store, owner, ttl=ttl, at=datetime.now(UTC).isoformat()):
        if time.monotonic() > deadline:
            holder = ledger.lock_holder(store) or {}
            raise MigrationRefused(
                f"migrations are being applied by {holder.get('owner')} since "
                f"{holder.get('taken_at')}; waited {wait:.0f} s for it to finish. If that "
                "process is gone, its lock expires within a minute: start again"
            )
        pause.wait(POLL)
    stop = threading.Event()
    renewer = threading.Thread(
        target=_renew, args=(store, owner, ttl, stop), name="migration-lock", daemon=True
    )
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        ledger.release_lock(store, owner)


def _renew(store: GraphStore, owner: str, ttl: float, stop: threading.Event) -> None:
    while not stop.wait(RENEW_EVERY):
        try:
            ledger.renew_lock(store, owner, ttl=ttl)
        except Exception as exc:  # the step's own statements will meet the same failure
            log.warning("could not renew the migration lock: %s", exc)


def status(store: GraphStore, steps: Sequence[Step] | None = None) -> list[StepState]:
    """Every step of the code and every step the graph recorded, in version order."""
    steps = table.STEPS if steps is None else steps
    recorded = ledger.applied(store)
    states = []
    for step in steps:
        done = recorded.get(step.version)
        if done is None:
            states.append(StepState(step.version, step.name, step.description, "pending"))
            continue
        state = "applied" if done.checksum == step.checksum else "changed since applied"
        states.append(
            StepState(step.version, step.name, step.description, state, done.applied_at,
                      done.changed)
        )  # fmt: skip
    known = {step.version for step in steps}
    states += [
        StepState(v, r.name, "", "unknown to this version", r.applied_at, r.changed)
        for v, r in recorded.items()
        if v not in known
    ]
    return sorted(states, key=lambda s: s.version)
