"""Curation storage: write validated registry records and links, each in one atomic
statement with its audit event, and refuse writes pointing at records that do not exist.

The use cases that validate and decide are in graph/curation/service.py. Updates of
initiatives carry the version the client read; a stale version writes nothing and
raises Conflict with the current version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from graph.access import repository as access
from graph.audit import UnitOfWork, writes
from graph.browse import repository as browse
from graph.curation import queries as q
from graph.errors import ConstraintViolation
from graph.links import queries as lq
from graph.nodes import queries as nq
from graph.nodes import repository as nodes
from graph.nodes.repository import to_row
from graph.relationships import queries as rq
from graph.store import GraphStore
from schema.errors import Conflict, NotFound, Problem, ValidationFailed
from schema.kinds import LABEL_OF, NOUNS, linkable, settable
from schema.models import Initiative, Model, Signatory
from schema.records import InitiativeRecord, target_field
from schema.relationships import Contribution, Membership
from schema.validation import validated

M = TypeVar("M", bound=Model)
# Told (created, updated, unchanged) just before a sheet's write, to complete its record.
Plan = Callable[[list[str], list[str], list[str]], None]


def _require(store: GraphStore, label: str, id: str) -> dict[str, Any]:
    row = browse.by_ids(store, label, [id]).get(id)
    if row is None:
        raise NotFound(NOUNS[label], id)
    return row


@writes
def create_initiative(work: UnitOfWork, record: InitiativeRecord, *, now: datetime) -> Initiative:
    """Create an initiative with its links in one statement; unknown targets are refused."""
    missing = missing_targets(work.store, [record])
    if missing:
        raise ValidationFailed([unknown(kind, id, field=field) for _, field, kind, id in missing])
    initiative = record.initiative().model_copy(
        update={"version": 1, "created_at": now, "updated_at": now}
    )
    row = link_row(initiative, record)
    work.note_targets(record.id, working_groups=record.working_groups)
    work.note_changes({}, row["props"])
    try:
        rows = work.write(q.CREATE_WITH_LINKS, {"row": row})
    except ConstraintViolation as exc:
        raise Conflict(f"initiative '{record.id}' already exists") from exc
    return Initiative.model_validate(_known(Initiative, rows[0]["node"]))


def link_row(initiative: Initiative, record: InitiativeRecord) -> dict[str, Any]:
    """The `row` the link statements expect: properties, and under each settable
    relation's input name its target ids (or, for links carrying a role, id -> role)."""
    row: dict[str, Any] = {
        "props": {k: v for k, v in nodes.to_row(initiative).items() if v is not None}
    }
    for relation in settable("Initiative"):
        field = str(relation.input)
        row[field] = record.roles(relation) if relation.roles else record.targets(relation)
    return row


def declared_targets(record: InitiativeRecord) -> list[tuple[str, str, str]]:
    """(field, label, id) of every record an initiative record links to."""
    return [
        (f"{target_field(relation)}[{position}]", relation.far, id)
        for relation in settable("Initiative")
        for position, id in enumerate(record.targets(relation))
    ]


def missing_targets(
    store: GraphStore, records: Sequence[InitiativeRecord]
) -> list[tuple[int, str, str, str]]:
    """(record index, field, kind, id) for every link target that does not exist."""
    declared = [declared_targets(r) for r in records]
    found = _existing(store, [(label, id) for d in declared for _, label, id in d])
    return [
        (index, field, NOUNS[label], id)
        for index, targets in enumerate(declared)
        for field, label, id in targets
        if (label, id) not in found
    ]


def _existing(store: GraphStore, wanted: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (label, id) pairs name a stored record, in one round trip."""
    ids: dict[str, list[str]] = {param: [] for param in q.LINK_TARGETS.values()}
    for label, id in wanted:
        ids[q.LINK_TARGETS[label]].append(id)
    return {(row["label"], row["id"]) for row in store.read(q.EXISTING_TARGETS, ids)}


def unknown_references(
    store: GraphStore, references: Sequence[tuple[int, str, str, str]]
) -> list[Problem]:
    """'unknown topic …' at each (row, field, label, id) whose record does not exist, in
    one round trip: the references of rows that failed their own checks, so that a sheet
    reports every problem of a row at once."""
    if not references:
        return []
    found = _existing(store, [(label, id) for _, _, label, id in references])
    return [
        unknown(NOUNS[label], id, field=field, row=row)
        for row, field, label, id in references
        if (label, id) not in found
    ]


def unknown(noun: str, id: str, *, field: str | None = None, row: int | None = None) -> Problem:
    """'unknown topic …', coded so a page says it in its own language."""
    return Problem(
        f"unknown {noun} '{id}'", field=field, row=row,
        kind=f"unknown_{noun.replace(' ', '_')}", context=(("id", id),),
    )  # fmt: skip


def current(store: GraphStore, model: type[M], id: str) -> M:
    """The stored record, or NotFound."""
    label = LABEL_OF[model]
    return validated(model, _known(model, _require(store, label, id)))


@writes
def save_initiative_changes(
    work: UnitOfWork,
    id: str,
    *,
    version: int,
    props: Mapping[str, Any],
    before: Mapping[str, Any],
    now: datetime,
) -> Initiative:
    """Write validated changes if `version` is current; raise Conflict (nothing written)
    otherwise, with the current version."""
    work.note_targets(id)
    work.note_changes({k: before.get(k) for k in props}, dict(props))
    rows = work.write(
        q.UPDATE_IF_VERSION,
        {"id": id, "version": version, "props": dict(props), "now": now.isoformat()},
    )
    if rows:
        return Initiative.model_validate(_known(Initiative, rows[0]["node"]))
    again = work.store.read(q.VERSION_OF, {"id": id})
    if not again:
        raise NotFound("initiative", id)
    raise stale_version(id, current=int(again[0]["version"]), sent=version)


def stale_version(id: str, *, current: int, sent: int) -> Conflict:
    """The answer to a change of an initiative read at an older version."""
    return Conflict(
        f"initiative '{id}' is at version {current}, not {sent}: "
        "reload it and apply your change again",
        current_version=current,
    )


@writes
def link_initiative(work: UnitOfWork, *, initiative_id: str, label: str, target_id: str) -> None:
    name, row = _link(work, initiative_id, label, target_id)
    work.note_change(f"link:{label}:{target_id}", None, "linked")
    work.write(lq.merge_links(name), {"rows": [row]})


@writes
def unlink_initiative(work: UnitOfWork, *, initiative_id: str, label: str, target_id: str) -> bool:
    """Remove a link; False when there was none."""
    name, row = _link(work, initiative_id, label, target_id)
    work.note_change(f"link:{label}:{target_id}", "linked", None)
    return _count(work.write(lq.delete_links(name), {"rows": [row]})) > 0


def _link(
    work: UnitOfWork, initiative_id: str, label: str, target_id: str
) -> tuple[str, dict[str, str]]:
    """The link statement's name and row for the initiative's settable relation towards
    `label`, once both ends are known to exist."""
    _require(work.store, "Initiative", initiative_id)
    _require(work.store, label, target_id)
    relation = linkable("Initiative")[label]
    from_id, to_id = lq.oriented(relation, initiative_id, target_id)
    work.note_targets(initiative_id, target_id)
    return lq.link_name("Initiative", relation), {"from_id": from_id, "to_id": to_id}


@writes
def set_contributor(work: UnitOfWork, contribution: Contribution) -> None:
    initiative_id, signatory_id = contribution.initiative_id, contribution.signatory_id
    _require(work.store, "Initiative", initiative_id)
    _require(work.store, "Signatory", signatory_id)
    work.note_targets(initiative_id, signatory_id)
    work.note_change(f"contributor:{signatory_id}", None, contribution.role.value)
    work.write(rq.MERGE_CONTRIBUTIONS, {"rows": [to_row(contribution)]})


@writes
def remove_contributor(work: UnitOfWork, *, initiative_id: str, signatory_id: str) -> bool:
    _require(work.store, "Initiative", initiative_id)
    _require(work.store, "Signatory", signatory_id)
    params = {"signatory_id": signatory_id, "initiative_id": initiative_id}
    work.note_targets(initiative_id, signatory_id)
    work.note_change(f"contributor:{signatory_id}", "contributor", None)
    return _count(work.write(rq.DELETE_CONTRIBUTION, params)) > 0


@writes
def add_member(work: UnitOfWork, membership: Membership) -> None:
    """Add a signatory to a group, or change its role there."""
    working_group_id, signatory_id = membership.working_group_id, membership.signatory_id
    _require(work.store, "WorkingGroup", working_group_id)
    _require(work.store, "Signatory", signatory_id)
    work.note_targets(working_group_id, signatory_id, working_groups=[working_group_id])
    work.note_change(f"member:{signatory_id}", None, membership.role.value)
    work.write(rq.MERGE_MEMBERSHIPS, {"rows": [to_row(membership)]})


@writes
def remove_member(work: UnitOfWork, *, working_group_id: str, signatory_id: str) -> bool:
    _require(work.store, "WorkingGroup", working_group_id)
    _require(work.store, "Signatory", signatory_id)
    params = {"signatory_id": signatory_id, "working_group_id": working_group_id}
    work.note_targets(working_group_id, signatory_id, working_groups=[working_group_id])
    work.note_change(f"member:{signatory_id}", "member", None)
    return _count(work.write(rq.DELETE_MEMBERSHIP, params)) > 0


@writes
def create_record(work: UnitOfWork, record: M) -> M:
    """Create a signatory, working group or topic; an existing id is a Conflict."""
    model = type(record)
    row = nodes.to_row(record)
    work.note_targets(str(row.get("id", "")))
    work.note_changes({}, {k: v for k, v in row.items() if v is not None})
    try:
        work.write(nq.create(LABEL_OF[model]), {"rows": [row]})
    except ConstraintViolation as exc:
        kind = NOUNS[LABEL_OF[model]]
        raise Conflict(f"{kind} '{getattr(record, 'id', '')}' already exists") from exc
    return record


@writes
def save_record_changes(
    work: UnitOfWork, record: M, *, before: Mapping[str, Any], changed: Sequence[str]
) -> M:
    """Write a validated signatory, working group or topic whose `changed` fields moved."""
    after = nodes.to_row(record)
    work.note_targets(str(after["id"]))
    work.note_changes({k: before.get(k) for k in changed}, {k: after.get(k) for k in changed})
    work.write(nq.upsert(LABEL_OF[type(record)]), {"rows": [after]})
    return record


def _count(rows: list[dict[str, Any]]) -> int:
    """`n` of a counting statement; an audited one returns no row when it wrote nothing."""
    return int(rows[0]["n"]) if rows else 0


def _known(model: type[Model], row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k in model.model_fields}


@writes
def upsert_initiatives(
    work: UnitOfWork,
    records: Sequence[InitiativeRecord],
    *,
    now: datetime,
    provenance: Mapping[str, Any],
    dry_run: bool = False,
    on_plan: Plan | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """Create or update initiatives with their declared links, all in one statement
    (with its audit event and run record, noted in its unit of work; `on_plan` hears what
    will change just before).

    Rows whose content is what the same file last wrote are left alone (their version
    does not move). Returns the ids created, updated and unchanged.
    """
    missing = missing_targets(work.store, records)
    if missing:
        raise ValidationFailed(
            [unknown(kind, id, field=field, row=index) for index, field, kind, id in missing]
        )
    shas = {r.id: record_sha(r) for r in records}
    stored = {row["id"]: row["sha"] for row in work.store.read(q.IMPORT_SHAS, {"ids": list(shas)})}
    created = [r.id for r in records if r.id not in stored]
    updated = [r.id for r in records if r.id in stored and stored[r.id] != shas[r.id]]
    unchanged = [r.id for r in records if r.id in stored and stored[r.id] == shas[r.id]]
    if dry_run or not (created or updated):
        return created, updated, unchanged
    rows = []
    for record in records:
        if record.id in unchanged:
            continue
        row = link_row(record.initiative(), record)
        for key in ("version", "created_at", "updated_at"):
            row["props"].pop(key, None)
        row["props"] |= dict(provenance) | {"import_sha": shas[record.id]}
        rows.append(row)
    if on_plan is not None:
        on_plan(created, updated, unchanged)
    # The groups the sheet links, and those tracking what it changes, hear of it.
    tracking = access.initiative_facts(work.store, updated)
    groups = {g for r in records if r.id not in unchanged for g in r.working_groups}
    groups |= {g for found, _ in tracking.values() for g in found}
    work.note_targets(working_groups=sorted(groups))
    work.write(q.UPSERT_ROWS_WITH_LINKS, {"rows": rows, "now": now.isoformat()})
    return created, updated, unchanged


def record_sha(record: InitiativeRecord) -> str:
    """Hash of what a file says about an initiative (not the graph's bookkeeping)."""
    data = record.model_dump(mode="json", exclude={"version", "created_at", "updated_at"})
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@writes
def upsert_signatories(
    work: UnitOfWork,
    records: Sequence[Signatory],
    *,
    dry_run: bool = False,
    on_plan: Plan | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """Create or update signatories in one statement; returns created, updated, unchanged."""
    stored = browse.by_ids(work.store, "Signatory", [r.id for r in records])
    before = {id: Signatory.model_validate(_known(Signatory, row)) for id, row in stored.items()}
    created = [r.id for r in records if r.id not in before]
    updated = [r.id for r in records if r.id in before and before[r.id] != r]
    unchanged = [r.id for r in records if r.id in before and before[r.id] == r]
    if not dry_run and (created or updated):
        if on_plan is not None:
            on_plan(created, updated, unchanged)
        changed = [r for r in records if r.id not in unchanged]
        work.write(nq.upsert("Signatory"), {"rows": [nodes.to_row(r) for r in changed]})
    return created, updated, unchanged


@writes
def upsert_memberships(
    work: UnitOfWork,
    records: Sequence[Membership],
    *,
    dry_run: bool = False,
    on_plan: Plan | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """Add members or change their role, in one statement, after checking both ends exist."""
    people = browse.by_ids(work.store, "Signatory", [r.signatory_id for r in records])
    groups = browse.by_ids(work.store, "WorkingGroup", [r.working_group_id for r in records])
    missing = [
        unknown(kind, id, field=field, row=index)
        for index, r in enumerate(records)
        for field, kind, id, known in (
            ("signatory_id", "signatory", r.signatory_id, people),
            ("working_group_id", "working group", r.working_group_id, groups),
        )
        if id not in known
    ]
    if missing:
        raise ValidationFailed(missing)
    current = browse.neighbours_of(work.store, "signatory_memberships", list(people))
    before = {
        (s, group["id"]): Membership.model_validate(
            {"signatory_id": s, "working_group_id": group["id"]}
            | {k: v for k, v in rel.items() if v is not None}
        )
        for s, pairs in current.items()
        for group, rel in pairs
    }
    key = {id(r): (r.signatory_id, r.working_group_id) for r in records}
    label = {id(r): f"{r.signatory_id}→{r.working_group_id}" for r in records}
    created = [label[id(r)] for r in records if key[id(r)] not in before]
    updated = [label[id(r)] for r in records if key[id(r)] in before and before[key[id(r)]] != r]
    unchanged = [label[id(r)] for r in records if before.get(key[id(r)]) == r]
    if not dry_run and (created or updated):
        if on_plan is not None:
            on_plan(created, updated, unchanged)
        changed = [to_row(r) for r in records if before.get(key[id(r)]) != r]
        work.note_targets(working_groups=sorted({str(r["working_group_id"]) for r in changed}))
        work.write(rq.MERGE_MEMBERSHIPS, {"rows": changed})
    return created, updated, unchanged
