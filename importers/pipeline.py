"""One import of one file: read -> records -> plan against the graph -> publish.

Every kind of file goes through the same flow (importers/plan.py's Importer): a file
with any invalid record imports nothing; a dry run stops after the plan; the
publication is atomic and carries its audit event and run record, so a crash (even
kill -9) at any point leaves the registry as it was, and the staged leftovers of dead
runs are removed at the start of the next import.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.store import GraphStore
from importers import mappings, native, registry
from importers.crosswalks import Crosswalks
from importers.plan import Importer
from importers.recordset import RecordSet
from importers.restore import Registries
from importers.runs import ImportReport, Request
from importers.sets import READERS, RecommendationSets, plan, read_set
from importers.sheets import Sheets
from schema.errors import Problem, ValidationFailed

SPREADSHEETS = ("csv", "xlsx")
MAPPINGS = ("ciso-mapping", "oscal-mapping")
FORMATS = (*READERS, *SPREADSHEETS, *MAPPINGS, "registry")

__all__ = ["FORMATS", "ImportReport", "chosen_format", "detect", "plan", "read", "run_import"]


def importer(fmt: str) -> Importer[Any]:
    """The family that reads files of format `fmt`."""
    if fmt in SPREADSHEETS:
        return Sheets()
    if fmt in MAPPINGS:
        return Crosswalks(fmt)
    if fmt == "registry":
        return Registries()
    return RecommendationSets(fmt)


def chosen_format(path: Path, fmt: str = "auto") -> str:
    """The format a file will be read as (the name given, or the one detected)."""
    chosen = detect(path) if fmt == "auto" else fmt
    if chosen not in FORMATS:
        raise ValidationFailed([Problem(f"unknown format '{fmt}'", file=path.name)])
    return chosen


def detect(path: Path) -> str:
    """Guess the format: the project's own declare themselves; else by the file name."""
    if registry.is_registry(path):
        return "registry"
    if native.is_native(path):
        return "native"
    published = mappings.sniff(path)
    if published:
        return published
    name = path.name.lower()
    if name.endswith((".csv", ".xlsx")):
        return name.rsplit(".", 1)[1]
    if name.endswith((".yaml", ".yml")):
        return "ciso"
    if name.endswith(".json"):
        return "oscal"
    raise ValidationFailed(
        [
            Problem(
                "format not recognised from the file name; give --format oscal|ciso", file=path.name
            )
        ]
    )


def read(path: Path, *, fmt: str = "auto", source_id: str | None = None) -> RecordSet:
    """A recommendation set's records (what `run_import` would plan)."""
    if not path.is_file():
        raise ValidationFailed([Problem("no such file", file=str(path))])
    request = Request(path=path, fmt=fmt, source_id=source_id)
    return read_set(request, chosen_format(path, fmt))


def run_import(
    store: GraphStore,
    path: Path,
    *,
    fmt: str = "auto",
    source_id: str | None = None,
    dry_run: bool = False,
    kind: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    actor: str | None = None,
    role: str = "cli",
    replace: bool = False,
    request_id: str | None = None,
) -> ImportReport:
    """Import one file all-or-nothing; raises ValidationFailed (nothing written) if invalid.
    A file whose source id is already another publication's is refused (Conflict) unless
    `replace` is given. `actor` and `role` name who imports it, in the run record and the
    audit trail, with `request_id` when an API request sent it."""
    if not path.is_file():
        raise ValidationFailed([Problem("no such file", file=str(path))])
    request = Request(
        path=path, fmt=chosen_format(path, fmt), source_id=source_id, kind=kind,
        dry_run=dry_run, actor=actor, role=role, replace=replace, on_progress=on_progress,
        now=datetime.now(UTC), request_id=request_id,
    )  # fmt: skip
    family = importer(request.fmt)
    records = family.read(request)
    planned = family.plan(store, records, request)
    if not dry_run:
        family.publish(store, planned, request)
    return planned.report
