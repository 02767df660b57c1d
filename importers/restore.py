"""Registry files (from `pariscall export`): validated whole, then restored in one
publication (staged first, like recommendation sets, so a crash leaves nothing)."""

from __future__ import annotations

from typing import Any

from graph.browse import repository as browse
from graph.store import GraphStore
from importers import registry
from importers.plan import Plan
from importers.runs import ImportReport, Request, begin_staged_run, failing_run, import_event
from importers.validation import check_utf8

Contents = tuple[dict[str, list[dict[str, Any]]], Any]


class Registries:
    """The Importer of registry files."""

    def read(self, request: Request) -> Contents:
        check_utf8(request.path)
        return registry.read(request.path)

    def plan(self, store: GraphStore, contents: Contents, request: Request) -> Plan:
        nodes, _ = contents
        report = ImportReport(
            file=str(request.path), format="registry", source_id="", dry_run=request.dry_run,
            kind="registry",
        )  # fmt: skip
        for label, rows in nodes.items():
            present = set(browse.by_ids(store, label, [r["id"] for r in rows]))
            report.created += [r["id"] for r in rows if r["id"] not in present]
            report.updated += [r["id"] for r in rows if r["id"] in present]
        return Plan(report, contents)

    def publish(self, store: GraphStore, plan: Plan, request: Request) -> None:
        (nodes, links), report = plan.data, plan.report
        run = begin_staged_run(store, request, kind="registry", format="registry")
        report.run_id = run
        with failing_run(store, run):
            event = import_event(request, "import_registry", run, [])
            written = registry.write(store, run, nodes, links, counts=report.counts(), event=event)
        restored = sum(v for k, v in written.items() if "-" in k)
        report.warnings = [f"{restored} relationships restored"]
