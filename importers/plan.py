"""The steps every kind of import file goes through, as one small protocol.

`pariscall import` and the upload page run one flow (importers/pipeline.py): read the
file into records (nothing else; a wrong file is refused with every problem it has),
plan them against the graph (what would be created, updated, left alone, refused), and
publish the plan in one atomic write with its audit event and run record. A dry run
stops after the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from graph.store import GraphStore
from importers.runs import ImportReport, Request

R = TypeVar("R")


@dataclass
class Plan:
    """What an import would change (`report`) and what it would write (`data`)."""

    report: ImportReport
    data: Any = None


class Importer(Protocol, Generic[R]):
    """One family of files: recommendation sets, spreadsheets, crosswalks, registries."""

    def read(self, request: Request) -> R:
        """The file's records, or ValidationFailed naming every problem (file, row,
        field); the graph is not read."""
        ...

    def plan(self, store: GraphStore, records: R, request: Request) -> Plan:
        """Compare with the graph; ValidationFailed or Conflict if it cannot be applied."""
        ...

    def publish(self, store: GraphStore, plan: Plan, request: Request) -> None:
        """Write the plan all or nothing, with its run record and audit event; fills the
        report's run id."""
        ...
