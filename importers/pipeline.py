"""One import of one file: read -> validate -> plan against the graph -> stage -> publish.

A file with any invalid record imports nothing. Re-importing the same file writes
nothing to the registry (everything "unchanged"); records missing from a newer version
of the same source are marked withdrawn, never deleted. The publication is one atomic
statement, so a crash (even kill -9) at any point leaves the registry as it was; the
staged leftovers of dead runs are removed at the start of the next import.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph import audit
from graph.embedded import pid_alive
from graph.repositories import browse, curation, imports
from graph.repositories import mappings as mapping_repo
from graph.store import GraphStore
from importers import ciso, mappings, native, oscal, registry, spreadsheet
from importers.recordset import RecordSet, content_of, content_sha, sha_of
from importers.validation import check_utf8
from schema.enums import MappingRationale
from schema.errors import Conflict, PariscallError, Problem, ValidationFailed
from schema.models import Provenance, Source

READERS = {"native": native.read, "oscal": oscal.read, "ciso": ciso.read}
SPREADSHEETS = ("csv", "xlsx")
MAPPINGS = ("ciso-mapping", "oscal-mapping")
FORMATS = (*READERS, *SPREADSHEETS, *MAPPINGS, "registry")


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
    if not path.is_file():
        raise ValidationFailed([Problem("no such file", file=str(path))])
    check_utf8(path)
    records = READERS[chosen_format(path, fmt)](path, source_id=source_id)
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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        Problem(f"unknown topic '{t}'", field=f"{r.ref}.topics", file=file)
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
) -> ImportReport:
    """Import one file all-or-nothing; raises ValidationFailed (nothing written) if invalid.
    A file whose source id is already another publication's is refused (Conflict) unless
    `replace` is given.
    `actor` and `role` name who imports it, in the run record and the audit trail."""
    now = datetime.now(UTC)
    if not path.is_file():
        raise ValidationFailed([Problem("no such file", file=str(path))])
    chosen = chosen_format(path, fmt)
    if chosen in SPREADSHEETS:
        return import_spreadsheet(
            store, path, kind=kind, now=now, dry_run=dry_run, actor=actor, role=role
        )
    if chosen == "registry":
        return restore_registry(store, path, dry_run=dry_run, actor=actor, role=role)
    if chosen in MAPPINGS:
        return import_mappings(
            store, path, fmt=chosen, now=now, dry_run=dry_run, actor=actor, role=role
        )
    records = read(path, fmt=chosen, source_id=source_id)
    report = ImportReport(
        file=str(path),
        format=records.format,
        source_id=records.source.id,
        dry_run=dry_run,
        skipped=records.skipped,
        warnings=list(records.notes),
    )
    check_same_publication(store, records.source, path.name, replace=replace)
    check_topics(store, records, path.name)
    to_write = plan(store, records, report)
    if dry_run:
        return report
    sha = file_sha256(path)
    run = begin_staged_run(
        store, path, now, actor, source_id=records.source.id, format=records.format, sha=sha
    )
    report.run_id = run
    if not report.changes_anything:
        imports.record_unchanged(store, run, report.counts())
        return report
    provenance = Provenance(
        source_version=records.source.version, import_run=run, file_sha256=sha, imported_at=now
    )
    # The values every written record carries, as a Recommendation would dump them.
    stamped = provenance.model_dump(mode="json", exclude={"content_sha"})
    created = set(report.created)
    rows = (
        {k: v for k, v in (content | stamped).items() if v is not None}
        | {"stage_op": "create" if content["id"] in created else "update"}
        for content in to_write
    )
    total = len(to_write)
    done = 0

    def progress(batch: int) -> None:
        nonlocal done
        done += batch
        if on_progress:
            on_progress(done, total)

    try:
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
            event=import_event(
                actor, role, "import_recommendations", run, path.name, [records.source.id]
            ),
        )
    except Exception as exc:
        # Best effort: if the graph is gone, the next import cleans the stage up instead.
        with contextlib.suppress(PariscallError):
            imports.fail_run(store, run, f"{type(exc).__name__}: {exc}")
        raise
    return report


def import_spreadsheet(
    store: GraphStore,
    path: Path,
    *,
    kind: str | None,
    now: datetime,
    dry_run: bool = False,
    actor: str | None = None,
    role: str = "cli",
) -> ImportReport:
    """A spreadsheet of initiatives, signatories or memberships, applied in one statement
    or not at all; that statement also writes its audit event and the run's record."""
    sheet = spreadsheet.read_sheet(path, kind)
    kind, numbered, warnings = sheet.kind, sheet.rows, sheet.warnings
    records: list[Any] = [record for _, record in numbered]
    if sheet.problems:
        # Report what the graph knows too (unknown topics, groups, signatories) of the
        # rows that are otherwise valid: every problem of the file in one answer.
        unknown = _unknown_targets(store, kind, records, numbered, path.name)
        raise ValidationFailed(sorted(sheet.problems + unknown, key=spreadsheet.problem_order))
    report = ImportReport(
        file=str(path),
        format=path.suffix.lower().lstrip("."),
        source_id="",
        dry_run=dry_run,
        kind=kind,
        warnings=warnings,
    )
    run = new_run_id(now)
    sha = file_sha256(path)
    record = {
        "id": run,
        "kind": kind,
        "file": path.name,
        "file_sha256": sha,
        "format": report.format,
        "started_at": now.isoformat(),
    } | ({"actor": actor} if actor else {})
    with audit.auditing(
        actor=actor or "unknown", role=role, action=f"import_{kind}", request_id=None
    ) as draft:

        def planned(created: list[str], updated: list[str], unchanged: list[str]) -> None:
            audit.note_targets(*created, *updated)
            audit.note_change("file", None, path.name)
            audit.note_change("created", None, created)
            audit.note_change("updated", None, updated)
            counts = {"created": len(created), "updated": len(updated)}
            counts |= {"unchanged": len(unchanged), "withdrawn": 0}
            draft.run = record | {"status": "published"} | counts

        try:
            if kind == "initiatives":
                provenance = {"import_run": run, "file_sha256": sha, "imported_at": now.isoformat()}
                created, updated, unchanged = curation.upsert_initiatives(
                    store, records, now=now, provenance=provenance, dry_run=dry_run,
                    on_plan=planned,
                )  # fmt: skip
            elif kind == "signatories":
                created, updated, unchanged = curation.upsert_signatories(
                    store, records, dry_run=dry_run, on_plan=planned
                )
            else:
                created, updated, unchanged = curation.upsert_memberships(
                    store, records, dry_run=dry_run, on_plan=planned
                )
        except ValidationFailed as exc:
            raise ValidationFailed(_at_sheet_rows(exc.problems, numbered, path.name)) from exc
    report.created, report.updated, report.unchanged = created, updated, len(unchanged)
    if not dry_run:
        report.run_id = run
        if not (created or updated):
            # Nothing changed: the run is recorded on its own, as for a set re-imported.
            imports.start_run(store, record | {"status": "unchanged", **report.counts()})
    return report


def import_mappings(
    store: GraphStore,
    path: Path,
    *,
    fmt: str,
    now: datetime,
    dry_run: bool = False,
    actor: str | None = None,
    role: str = "cli",
) -> ImportReport:
    """A published crosswalk, all or nothing: every pair's ends must be in the registry.

    Each pair becomes a 'published' MAPS_TO (replacing a suggestion on it); a pair a
    person already confirmed or rejected is left as the person decided, and said so.
    """
    found = mappings.read(path, fmt)
    problems = list(found.problems)
    by_urn = mapping_repo.ids_by_urn(
        store, [e.urn for x in found.entries for e in (x.source, x.target) if e.urn]
    )
    by_ref = mapping_repo.ids_by_ref(
        store, [e.ref for x in found.entries for e in (x.source, x.target) if e.ref]
    )
    pairs: dict[tuple[str, str], mappings.Entry] = {}
    mirrored = 0
    for entry in found.entries:
        ends = []
        for name, end in (("source", entry.source), ("target", entry.target)):
            rid, why = _end_id(end, by_urn, by_ref)
            if rid is None:
                problems.append(Problem(why, field=f"{entry.where} ({name})", file=path.name))
            ends.append(rid)
        if ends[0] and ends[1]:
            back = pairs.get((ends[1], ends[0]))
            if back is not None and back.relation == mappings.CONVERSE[entry.relation]:
                mirrored += 1  # a set published both ways: one link, seen from each end
                continue
            pairs[(ends[0], ends[1])] = entry
    if problems:
        raise ValidationFailed(problems)
    report = ImportReport(
        file=str(path), format=fmt, source_id=found.id, dry_run=dry_run, kind="mappings",
        skipped=found.unrelated,
    )  # fmt: skip
    stored = mapping_repo.current(store, list(pairs))
    run = new_run_id(now)
    rows: list[dict[str, Any]] = []
    decided: list[str] = []
    for (a, b), entry in pairs.items():
        props = {
            "relation": entry.relation.value,
            "rationale": (entry.rationale or MappingRationale.SEMANTIC).value,
            "confidence": entry.confidence,
            "note": entry.note,
            "method": "human",
            "mapping": found.id,
            "mapping_version": found.version,
            "publisher": found.publisher,
        }
        before = stored.get(frozenset((a, b)))
        label = f"{a} → {b}"
        if before and before.get("status") in ("confirmed", "rejected"):
            decided.append(label)
            continue
        same = bool(before and before.get("status") == "published" and before.get("from_id") == a)
        if same and before and all(before.get(k) == v for k, v in props.items()):
            report.unchanged += 1
            continue
        (report.updated if same else report.created).append(label)
        stamp = {"import_run": run, "imported_at": now.isoformat()}
        rows.append({"from_id": a, "to_id": b, "props": props | stamp})
    if decided:
        report.warnings.append(
            f"{path.name}: {len(decided)} pair(s) a person already decided were left as "
            f"decided: {', '.join(decided[:5])}{' …' if len(decided) > 5 else ''}"
        )
    if found.unrelated:
        report.warnings.append(f"{path.name}: {found.unrelated} pair(s) marked not related")
    if mirrored:
        report.warnings.append(
            f"{path.name}: {mirrored} pair(s) also published the other way round (the "
            "converse relation) were counted once"
        )
    if dry_run:
        return report
    sha = file_sha256(path)
    record = {
        "id": run, "kind": "mappings", "file": path.name, "file_sha256": sha,
        "format": fmt, "source_id": found.id, "started_at": now.isoformat(),
    } | ({"actor": actor} if actor else {})  # fmt: skip
    counts = report.counts()
    report.run_id = run
    if not rows:
        imports.start_run(store, record | {"status": "unchanged", **counts})
        return report
    with audit.auditing(
        actor=actor or "unknown", role=role, action="import_mappings", request_id=None
    ) as draft:
        touched = sorted({str(row[k]) for row in rows for k in ("from_id", "to_id")})
        audit.note_targets(*touched)
        audit.note_change("file", None, path.name)
        draft.run = record | {"status": "published"} | counts
        mapping_repo.publish(store, rows)
    return report


def _end_id(
    end: mappings.End, by_urn: dict[str, str], by_ref: dict[str, list[tuple[str, str]]]
) -> tuple[str | None, str]:
    """The recommendation an end names, or why there is none."""
    if end.urn:
        rid = by_urn.get(end.urn)
        why = f"no imported recommendation has the URN {end.urn} (import its framework first)"
        return rid, why
    candidates = by_ref.get(end.ref or "", [])
    if end.source_id:
        candidates = [c for c in candidates if c[0] == end.source_id]
    if len(candidates) == 1:
        return candidates[0][1], ""
    if not candidates:
        within = f" in source {end.source_id}" if end.source_id else ""
        return None, f"no imported recommendation has the control id '{end.ref}'{within}"
    names = ", ".join(sorted(c[1] for c in candidates)[:4])
    return None, f"control id '{end.ref}' names {len(candidates)} recommendations ({names})"


def _unknown_targets(
    store: GraphStore, kind: str, records: list[Any], numbered: list[tuple[int, Any]], file: str
) -> list[Problem]:
    """The link targets of valid rows that do not exist, located at their sheet rows."""
    try:
        if kind == "initiatives":
            curation.upsert_initiatives(
                store, records, now=datetime.now(UTC), provenance={}, dry_run=True
            )
        elif kind == "memberships":
            curation.upsert_memberships(store, records, dry_run=True)
    except ValidationFailed as exc:
        return _at_sheet_rows(exc.problems, numbered, file)
    return []


def _at_sheet_rows(
    problems: list[Problem], numbered: list[tuple[int, Any]], file: str
) -> list[Problem]:
    """Row numbers from the use cases are record positions: make them sheet rows."""
    return [
        Problem(
            p.message,
            field=p.field,
            row=numbered[p.row][0] if p.row is not None else None,
            file=file,
        )
        for p in problems
    ]


def new_run_id(now: datetime) -> str:
    """An import run's id: when it started, and a random part for runs of one second."""
    return f"run-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def begin_staged_run(
    store: GraphStore, path: Path, now: datetime, actor: str | None, **fields: str
) -> str:
    """Record a run that stages before it publishes (after removing the stages of runs
    whose importer died); returns its id. `fields`: format, sha and source_id or kind."""
    host = socket.gethostname()
    imports.cleanup_abandoned(store, host=host, pid_alive=pid_alive, now=now)
    run = new_run_id(now)
    record: dict[str, object] = {"id": run, "status": "staging", "file": path.name}
    record["file_sha256"] = fields.pop("sha")
    record |= fields | {"started_at": now.isoformat(), "host": host, "pid": os.getpid()}
    imports.start_run(store, record | ({"actor": actor} if actor else {}))
    return run


def import_event(
    actor: str | None, role: str, action: str, run: str, file: str, targets: list[str]
) -> dict[str, Any]:
    """The audit event a publishing statement writes with the data it publishes."""
    draft = audit.Draft(
        actor=actor or "unknown", role=role, action=action, request_id=None, targets=targets
    )
    draft.changes = {"file": [None, file], "import_run": [None, run]}
    return draft.event()


def restore_registry(
    store: GraphStore,
    path: Path,
    *,
    dry_run: bool = False,
    actor: str | None = None,
    role: str = "cli",
) -> ImportReport:
    """A registry file (from `pariscall export`): validated whole, then written."""
    check_utf8(path)
    nodes, links = registry.read(path)
    report = ImportReport(
        file=str(path), format="registry", source_id="", dry_run=dry_run, kind="registry"
    )
    for label, rows in nodes.items():
        present = set(browse.by_ids(store, label, [r["id"] for r in rows]))
        report.created += [r["id"] for r in rows if r["id"] not in present]
        report.updated += [r["id"] for r in rows if r["id"] in present]
    if dry_run:
        return report
    run = begin_staged_run(
        store, path, datetime.now(UTC), actor, kind="registry", format="registry",
        sha=file_sha256(path),
    )  # fmt: skip
    report.run_id = run
    try:
        event = import_event(actor, role, "import_registry", run, path.name, [])
        written = registry.write(store, run, nodes, links, counts=report.counts(), event=event)
    except Exception as exc:
        with contextlib.suppress(PariscallError):
            imports.fail_run(store, run, f"{type(exc).__name__}: {exc}")
        raise
    report.warnings = [f"{sum(v for k, v in written.items() if '-' in k)} relationships restored"]
    return report
