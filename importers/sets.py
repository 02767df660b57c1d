"""Recommendation sets (native JSON/YAML, OSCAL catalogs, CISO Assistant libraries).

Their records are staged in batches, then published in one statement: a crash (even
kill -9) at any point leaves the registry as it was. Re-importing the same file writes
nothing (everything "unchanged"); records missing from a newer version of the same
source are marked withdrawn, never deleted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.browse import repository as browse
from graph.imports import repository as imports
from graph.store import GraphStore
from importers import ciso, native, oscal
from importers.plan import Plan
from importers.recordset import RecordSet, content_of, content_sha, sha_of
from importers.runs import ImportReport, Request, begin_staged_run, failing_run, import_event
from importers.validation import check_utf8
from schema.errors import Conflict, Problem, ValidationFailed
from schema.models import Provenance, Source

READERS = {"native": native.read, "oscal": oscal.read, "ciso": ciso.read}


def read_set(request: Request, fmt: str) -> RecordSet:
    """A set's records, refused whole if it holds none or two get one id."""
    path = request.path
    check_utf8(path)
    records = READERS[fmt](path, source_id=request.source_id)
    if not records.recommendations:
        skipped = f" ({records.skipped} empty ones skipped)" if records.skipped else ""
        raise ValidationFailed(
            [Problem(f"holds no recommendations to import{skipped}", file=path.name)]
        )
    counts = Counter(r.id for r in records.recommendations)
    duplicates = [
        Problem(f"{n} records get the id '{id}'", file=path.name)
        for id, n in counts.items()
        if n > 1
    ]
    if duplicates:
        raise ValidationFailed(duplicates)
    return records


def check_same_publication(store: GraphStore, source: Source, file: str, *, replace: bool) -> None:
    """Refuse to let a file replace another publication that got the same source id (a
    new version of the same publication updates it as usual)."""
    stored = browse.by_ids(store, "Source", [source.id]).get(source.id)
    if stored is None or replace:
        return
    before = (stored.get("title"), stored.get("publisher"))
    if before == (source.title, source.publisher):
        return
    raise Conflict(
        f"source '{source.id}' already holds «{before[0]}» ({before[1]}, version "
        f"{stored.get('version') or 'unknown'}); {file} is «{source.title}» "
        f"({source.publisher}, version {source.version or 'unknown'}). Give --source "
        "with another id to keep both, or --replace to replace it"
    )


def check_topics(store: GraphStore, records: RecordSet, file: str) -> None:
    """Every topic a record names must be in the taxonomy."""
    wanted = sorted({t for r in records.recommendations for t in r.topics})
    known = set(browse.by_ids(store, "Topic", wanted)) if wanted else set()
    problems = [
        Problem(f"unknown topic '{t}'", field=f"{r.ref or r.id}.topics", file=file)
        for r in records.recommendations
        for t in r.topics
        if t not in known
    ]
    if problems:
        raise ValidationFailed(problems)


def plan(store: GraphStore, records: RecordSet, report: ImportReport) -> list[dict[str, Any]]:
    """Fill the report's lists; return the content (JSON values, hash included) of the
    records to write, created and updated. Each record is dumped once, here."""
    stored = imports.existing(store, records.source.id)
    to_write = []
    for rec in records.recommendations:
        content = content_of(rec)
        sha = sha_of(content)
        before = stored.get(rec.id)
        if before is None:
            report.created.append(rec.id)
        elif before[0] != sha or before[1] == "withdrawn":
            report.updated.append(rec.id)
        else:
            report.unchanged += 1
            continue
        to_write.append(content | {"content_sha": sha})
    in_file = {r.id for r in records.recommendations}
    report.withdrawn = sorted(
        id for id, (_, status) in stored.items() if id not in in_file and status != "withdrawn"
    )
    before_source = imports.source_sha(store, records.source.id)
    if before_source is None:
        report.source_change = "created"
    elif before_source != content_sha(records.source):
        report.source_change = "updated"
    return to_write


class RecommendationSets:
    """The Importer of recommendation sets in one of READERS' formats."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt

    def read(self, request: Request) -> RecordSet:
        return read_set(request, self.fmt)

    def plan(self, store: GraphStore, records: RecordSet, request: Request) -> Plan:
        report = ImportReport(
            file=str(request.path),
            format=records.format,
            source_id=records.source.id,
            dry_run=request.dry_run,
            skipped=records.skipped,
            warnings=list(records.notes),
        )
        check_same_publication(store, records.source, request.file, replace=request.replace)
        check_topics(store, records, request.file)
        return Plan(report, (records, plan(store, records, report)))

    def publish(self, store: GraphStore, plan: Plan, request: Request) -> None:
        records, to_write = plan.data
        report = plan.report
        source_id = records.source.id
        run = begin_staged_run(store, request, source_id=source_id, format=records.format)
        report.run_id = run
        if not report.changes_anything:
            imports.record_unchanged(store, run, report.counts())
            return
        provenance = Provenance(
            source_version=records.source.version,
            import_run=run,
            file_sha256=request.sha256,
            imported_at=request.now,
        )
        # The values every written record carries, as a Recommendation would dump them.
        stamped = provenance.model_dump(mode="json", exclude={"content_sha"})
        created = set(report.created)
        rows = (
            {k: v for k, v in (content | stamped).items() if v is not None}
            | {"stage_op": "create" if content["id"] in created else "update"}
            for content in to_write
        )
        total, done = len(to_write), 0

        def progress(batch: int) -> None:
            nonlocal done
            done += batch
            if request.on_progress:
                request.on_progress(done, total)

        with failing_run(store, run):
            imports.stage(store, run, rows, on_batch=progress)
            source = records.source.model_copy(
                update=dict(provenance) | {"content_sha": content_sha(records.source)}
            )
            imports.publish(
                store,
                run,
                source={k: v for k, v in source.model_dump(mode="json").items() if v is not None},
                counts=report.counts(),
                withdrawn=report.withdrawn,
                event=import_event(request, "import_recommendations", run, [source_id]),
            )
