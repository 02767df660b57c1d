"""What every import shares: its request, its report and its run record.

An import of one file is one run: recorded in the graph with who ran it, the file's
hash and what it changed, and written with the audit event of its change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from graph.audit import UnitOfWork, new_event
from graph.embedded import pid_alive
from graph.imports import repository as imports
from graph.store import GraphStore
from schema.access import Actor
from schema.errors import PariscallError
from schema.events import AuditAction


@dataclass(frozen=True)
class Request:
    """One file to import, and how: what the command line or the upload asked."""

    path: Path
    fmt: str
    source_id: str | None = None
    kind: str | None = None
    dry_run: bool = False
    actor: str | None = None
    role: str = "cli"
    replace: bool = False
    on_progress: Callable[[int, int], None] | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The API request that sent the file (an upload), for its audit events.
    request_id: str | None = None

    @property
    def file(self) -> str:
        return self.path.name

    @cached_property
    def sha256(self) -> str:
        """The file's hash, read once: the run record and every record carry it."""
        return file_sha256(self.path)


@dataclass
class ImportReport:
    file: str
    format: str
    source_id: str
    dry_run: bool
    run_id: str | None = None
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    withdrawn: list[str] = field(default_factory=list)
    skipped: int = 0
    source_change: str = "unchanged"
    kind: str = "recommendations"
    warnings: list[str] = field(default_factory=list)
    # The working groups whose records a sheet changed: whose feed and hooks hear of it.
    working_groups: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "withdrawn": len(self.withdrawn),
            "skipped": self.skipped,
        }

    @property
    def changes_anything(self) -> bool:
        return (
            bool(self.created or self.updated or self.withdrawn)
            or self.source_change != "unchanged"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_run_id(now: datetime) -> str:
    """An import run's id: when it started, and a random part for runs of one second."""
    return f"run-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def run_record(request: Request, run: str, **fields: Any) -> dict[str, Any]:
    """The run's record as a one-statement import writes it (with its data)."""
    record = {
        "id": run,
        "file": request.file,
        "file_sha256": request.sha256,
        "started_at": request.now.isoformat(),
    }
    return record | fields | ({"actor": request.actor} if request.actor else {})


def begin_staged_run(store: GraphStore, request: Request, **fields: str) -> str:
    """Record a run that stages before it publishes (after removing the stages of runs
    whose importer died); returns its id. `fields`: format and source_id or kind."""
    host = socket.gethostname()
    imports.cleanup_abandoned(store, host=host, pid_alive=pid_alive, now=request.now)
    run = new_run_id(request.now)
    record = run_record(request, run, status="staging", **fields)
    imports.start_run(store, record | {"host": host, "pid": os.getpid()})
    return run


@contextlib.contextmanager
def failing_run(store: GraphStore, run: str) -> Iterator[None]:
    """Mark a staged run failed if its publication raises (best effort: if the graph is
    gone, the next import cleans the stage up instead)."""
    try:
        yield
    except Exception as exc:
        with contextlib.suppress(PariscallError):
            imports.fail_run(store, run, f"{type(exc).__name__}: {exc}")
        raise


def unit_of(store: GraphStore, request: Request, action: AuditAction | str) -> UnitOfWork:
    """The unit of work of a file's import, recorded under `action`, as the one who runs
    it: the command line's operator, or the token that uploaded it (its role)."""
    actor = Actor(name=request.actor or "unknown", role=None)
    return UnitOfWork(store, actor, action, request_id=request.request_id, role=request.role)


def import_event(request: Request, action: str, run: str, targets: list[str]) -> dict[str, Any]:
    """The audit event a publishing statement writes with the data it publishes."""
    return new_event(
        actor=request.actor or "unknown", role=request.role, action=AuditAction(action).value,
        request_id=request.request_id, targets=targets,
        changes={"file": [None, request.file], "import_run": [None, run]},
    )  # fmt: skip
