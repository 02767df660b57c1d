"""Published crosswalks (CISO Assistant mapping libraries, OSCAL mapping collections).

A crosswalk is imported all or nothing: every pair's ends must be in the registry. Each
pair becomes a 'published' MAPS_TO (replacing a suggestion on it); a pair a person
already confirmed or rejected is left as the person decided, and said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.imports import repository as imports
from graph.mappings import repository as mapping_repo
from graph.store import GraphStore
from importers import mappings
from importers.plan import Plan
from importers.runs import ImportReport, Request, new_run_id, run_record, unit_of
from schema.enums import MappingRationale
from schema.errors import Problem, ValidationFailed
from schema.events import AuditAction


@dataclass
class Resolved:
    """A crosswalk's pairs by the recommendation ids their ends name."""

    pairs: dict[tuple[str, str], mappings.Entry]
    mirrored: int


class Crosswalks:
    """The Importer of published crosswalks in format `fmt`."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt

    def read(self, request: Request) -> mappings.MappingFile:
        return mappings.read(request.path, self.fmt)

    def plan(self, store: GraphStore, found: mappings.MappingFile, request: Request) -> Plan:
        resolved = _resolve(store, found, request.file)
        report = ImportReport(
            file=str(request.path), format=self.fmt, source_id=found.id,
            dry_run=request.dry_run, kind="mappings", skipped=found.unrelated,
        )  # fmt: skip
        stored = mapping_repo.current(store, list(resolved.pairs))
        rows: list[dict[str, Any]] = []
        decided: list[str] = []
        stamp = {"imported_at": request.now.isoformat()}
        for (a, b), entry in resolved.pairs.items():
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
            same = bool(
                before and before.get("status") == "published" and before.get("from_id") == a
            )
            if same and before and all(before.get(k) == v for k, v in props.items()):
                report.unchanged += 1
                continue
            (report.updated if same else report.created).append(label)
            rows.append({"from_id": a, "to_id": b, "props": props | stamp})
        file = request.file
        if decided:
            report.warnings.append(
                f"{file}: {len(decided)} pair(s) a person already decided were left as "
                f"decided: {', '.join(decided[:5])}{' …' if len(decided) > 5 else ''}"
            )
        if found.unrelated:
            report.warnings.append(f"{file}: {found.unrelated} pair(s) marked not related")
        if resolved.mirrored:
            report.warnings.append(
                f"{file}: {resolved.mirrored} pair(s) also published the other way round (the "
                "converse relation) were counted once"
            )
        return Plan(report, rows)

    def publish(self, store: GraphStore, plan: Plan, request: Request) -> None:
        report, rows = plan.report, plan.data
        run = new_run_id(request.now)
        record = run_record(
            request, run, kind="mappings", format=self.fmt, source_id=report.source_id
        )
        counts = report.counts()
        report.run_id = run
        if not rows:
            imports.start_run(store, record | {"status": "unchanged", **counts})
            return
        work = unit_of(store, request, AuditAction.IMPORT_MAPPINGS)
        touched = sorted({str(row[k]) for row in rows for k in ("from_id", "to_id")})
        work.note_targets(*touched)
        work.note_change("file", None, request.file)
        work.run = record | {"status": "published"} | counts
        mapping_repo.publish(work, [r | {"props": r["props"] | {"import_run": run}} for r in rows])


def _resolve(store: GraphStore, found: mappings.MappingFile, file: str) -> Resolved:
    """Each pair's ends as recommendation ids; ValidationFailed listing every end that
    names none (or several)."""
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
                problems.append(Problem(why, field=f"{entry.where} ({name})", file=file))
            ends.append(rid)
        if ends[0] and ends[1]:
            back = pairs.get((ends[1], ends[0]))
            if back is not None and back.relation == mappings.CONVERSE[entry.relation]:
                mirrored += 1  # a set published both ways: one link, seen from each end
                continue
            pairs[(ends[0], ends[1])] = entry
    if problems:
        raise ValidationFailed(problems)
    return Resolved(pairs, mirrored)


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
