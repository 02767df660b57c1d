"""Curation use cases: create and change registry records and their links.

Each validates the whole resulting record through the domain models (current values
plus changes), so a change can never leave a record the models would refuse, then hands
the validated record to the repository, whose one statement writes it with its audit
event. Initiative updates carry the version the client read (see the repository); one
that would change nothing writes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from graph.audit import UnitOfWork, writes
from graph.curation import repository as repo
from graph.nodes import repository as nodes
from schema.enums import ContributorRole, InitiativeStatus, MemberRole
from schema.errors import Problem, ValidationFailed
from schema.kinds import BY_LABEL, LABEL_OF
from schema.models import Initiative, Model
from schema.records import InitiativeRecord
from schema.relationships import Contribution, Membership
from schema.validation import validated

M = TypeVar("M", bound=Model)

# Fields the store keeps for itself: a client never sets them.
_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


@dataclass(frozen=True)
class Edit:
    """An initiative after an update, and whether the update changed it: asking for the
    values it already holds writes nothing (no new version, no audit event)."""

    initiative: Initiative
    changed: bool


def _with_id(model: type[Model], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with an id made by the kind's rule when it came without one."""
    out = dict(data)
    if not out.get("id"):
        made = BY_LABEL[LABEL_OF[model]].ids.new(out)
        if made is not None:
            out["id"] = made
    return out


@writes
def create_initiative(work: UnitOfWork, data: Mapping[str, Any], now: datetime) -> Initiative:
    """An initiative with its links, from an input that may lack an id."""
    record = validated(InitiativeRecord, _with_id(Initiative, data))
    return repo.create_initiative(work, record, now=now)


@writes
def create_record(work: UnitOfWork, model: type[M], data: Mapping[str, Any]) -> M:
    """A signatory, working group or topic; an existing id is a Conflict."""
    return repo.create_record(work, validated(model, _with_id(model, data)))


@writes
def update_initiative(
    work: UnitOfWork, id: str, *, version: int, changes: Mapping[str, Any], now: datetime
) -> Edit:
    """Apply changes if `version` is current; Conflict (nothing written) otherwise, even
    when the initiative already holds the values asked for."""
    forbidden = set(changes) & set(_BOOKKEEPING)
    if forbidden:
        raise ValidationFailed([Problem("cannot be changed", field=f) for f in sorted(forbidden)])
    before = repo.current(work.store, Initiative, id)
    # A new language is checked as a new record's is (InitiativeRecord: en or fr).
    model = InitiativeRecord if "language" in changes else Initiative
    merged = validated(model, before.model_dump() | dict(changes))
    stored = nodes.to_row(before)
    props = {k: v for k, v in nodes.to_row(merged).items() if k in changes}
    if all(stored.get(k) == v for k, v in props.items()):
        if before.version != version:
            raise repo.stale_version(id, current=before.version, sent=version)
        return Edit(before, changed=False)
    saved = repo.save_initiative_changes(
        work, id, version=version, props=props, before=stored, now=now
    )
    return Edit(saved, changed=True)


@writes
def archive_initiative(work: UnitOfWork, id: str, *, version: int, now: datetime) -> Edit:
    """Archiving is a status: nothing is ever hard-deleted."""
    changes = {"status": InitiativeStatus.ARCHIVED}
    return update_initiative(work, id, version=version, changes=changes, now=now)


@writes
def update_record(work: UnitOfWork, model: type[M], id: str, changes: Mapping[str, Any]) -> M:
    """Change fields of a signatory, working group or topic (validated as a whole)."""
    if "id" in changes:
        raise ValidationFailed([Problem("cannot be changed", field="id")])
    before = repo.current(work.store, model, id)
    merged = validated(model, before.model_dump() | dict(changes))
    return repo.save_record_changes(
        work, merged, before=nodes.to_row(before), changed=sorted(changes)
    )


@writes
def link_initiative(work: UnitOfWork, *, initiative_id: str, label: str, target_id: str) -> None:
    repo.link_initiative(work, initiative_id=initiative_id, label=label, target_id=target_id)


@writes
def unlink_initiative(work: UnitOfWork, *, initiative_id: str, label: str, target_id: str) -> bool:
    """False when there was no such link."""
    return repo.unlink_initiative(
        work, initiative_id=initiative_id, label=label, target_id=target_id
    )


@writes
def set_contributor(
    work: UnitOfWork, *, initiative_id: str, signatory_id: str, role: ContributorRole
) -> None:
    """Add a contributor to an initiative, or change its role."""
    contribution = validated(
        Contribution, {"signatory_id": signatory_id, "initiative_id": initiative_id, "role": role}
    )
    repo.set_contributor(work, contribution)


@writes
def remove_contributor(work: UnitOfWork, *, initiative_id: str, signatory_id: str) -> bool:
    return repo.remove_contributor(work, initiative_id=initiative_id, signatory_id=signatory_id)


@writes
def add_member(
    work: UnitOfWork,
    *,
    working_group_id: str,
    signatory_id: str,
    role: MemberRole,
    since: Any = None,
) -> None:
    """Add a signatory to a group, or change its role there."""
    membership = validated(
        Membership,
        {
            "signatory_id": signatory_id,
            "working_group_id": working_group_id,
            "role": role,
            "since": since,
        },
    )
    repo.add_member(work, membership)


@writes
def remove_member(work: UnitOfWork, *, working_group_id: str, signatory_id: str) -> bool:
    return repo.remove_member(work, working_group_id=working_group_id, signatory_id=signatory_id)
