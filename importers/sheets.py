"""Spreadsheets of initiatives, signatories or memberships (CSV, XLSX).

A sheet is applied in one statement or not at all; that statement also writes its
audit event and the run's record. Every problem of a file comes in one answer: the
rows' own, and the unknown topics, groups and signatories of the rows otherwise valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from graph.audit import UnitOfWork
from graph.curation import repository as curation
from graph.imports import repository as imports
from graph.store import GraphStore
from importers import spreadsheet
from importers.plan import Plan
from importers.runs import ImportReport, Request, new_run_id, run_record, unit_of
from schema.errors import Problem, ValidationFailed

Planned = Callable[[list[str], list[str], list[str]], None]


def _apply(
    work: UnitOfWork,
    sheet: spreadsheet.Sheet,
    request: Request,
    *,
    dry_run: bool,
    provenance: dict[str, Any],
    on_plan: Planned | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """Upsert the sheet's records (or only plan them): ids created, updated, unchanged."""
    records: list[Any] = [record for _, record in sheet.rows]
    try:
        if sheet.kind == "initiatives":
            return curation.upsert_initiatives(
                work, records, now=request.now, provenance=provenance, dry_run=dry_run,
                on_plan=on_plan,
            )  # fmt: skip
        if sheet.kind == "signatories":
            return curation.upsert_signatories(work, records, dry_run=dry_run, on_plan=on_plan)
        return curation.upsert_memberships(work, records, dry_run=dry_run, on_plan=on_plan)
    except ValidationFailed as exc:
        raise ValidationFailed(_at_sheet_rows(exc.problems, sheet, request.file)) from exc


def _at_sheet_rows(problems: list[Problem], sheet: spreadsheet.Sheet, file: str) -> list[Problem]:
    """Row numbers from the use cases are record positions: make them sheet rows."""
    return [
        replace(p, row=sheet.rows[p.row][0] if p.row is not None else None, file=file)
        for p in problems
    ]


def _unit(store: GraphStore, sheet: spreadsheet.Sheet, request: Request) -> UnitOfWork:
    return unit_of(store, request, f"import_{sheet.kind}")


class Sheets:
    """The Importer of spreadsheets."""

    def read(self, request: Request) -> spreadsheet.Sheet:
        return spreadsheet.read_sheet(request.path, request.kind)

    def plan(self, store: GraphStore, sheet: spreadsheet.Sheet, request: Request) -> Plan:
        """A dry run of the write when one is asked for, or when the sheet has problems (to
        report the unknown topics, groups and signatories of its other rows with them);
        otherwise the write plans for itself, in its own statement."""
        created: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        if request.dry_run or sheet.problems:
            unknown: list[Problem] = []
            try:
                # The import's own unit: a dry run writes nothing, so it records nothing.
                created, updated, unchanged = _apply(
                    _unit(store, sheet, request), sheet, request, dry_run=True, provenance={}
                )
            except ValidationFailed as exc:
                unknown = exc.problems
            unknown += [
                replace(p, file=request.file)
                for p in curation.unknown_references(store, sheet.references)
            ]
            if sheet.problems or unknown:
                problems = sheet.problems + unknown
                raise ValidationFailed(sorted(problems, key=spreadsheet.problem_order))
        report = ImportReport(
            file=str(request.path),
            format=request.path.suffix.lower().lstrip("."),
            source_id="",
            dry_run=request.dry_run,
            kind=sheet.kind,
            warnings=sheet.warnings,
        )
        report.created, report.updated, report.unchanged = created, updated, len(unchanged)
        return Plan(report, sheet)

    def publish(self, store: GraphStore, plan: Plan, request: Request) -> None:
        sheet, report = plan.data, plan.report
        run = new_run_id(request.now)
        record = run_record(request, run, kind=sheet.kind, format=report.format)
        work = _unit(store, sheet, request)

        def planned(created: list[str], updated: list[str], unchanged: list[str]) -> None:
            work.note_targets(*created, *updated)
            work.note_change("file", None, request.file)
            work.note_change("created", None, created)
            work.note_change("updated", None, updated)
            counts = {"created": len(created), "updated": len(updated)}
            counts |= {"unchanged": len(unchanged), "withdrawn": 0}
            work.run = record | {"status": "published"} | counts

        provenance = {
            "import_run": run,
            "file_sha256": request.sha256,
            "imported_at": request.now.isoformat(),
        }
        created, updated, unchanged = _apply(
            work, sheet, request, dry_run=False, provenance=provenance, on_plan=planned
        )
        report.created, report.updated, report.unchanged = created, updated, len(unchanged)
        report.run_id = run
        if work.event is not None:
            report.working_groups = list(work.event["working_groups"])
        if not (created or updated):
            # Nothing changed: the run is recorded on its own, as for a set re-imported.
            imports.start_run(store, record | {"status": "unchanged", **report.counts()})
