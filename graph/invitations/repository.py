"""Invitations to contribute to an initiative: made by a lead for another organisation,
answered by that organisation (schema.collaboration.Invitation); each change written
with its audit event in one statement that re-checks the state it expects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph.audit import UnitOfWork, writes
from graph.browse import repository as browse
from graph.invitations import queries as q
from graph.store import GraphStore
from schema.collaboration import Invitation, InvitationState
from schema.enums import ContributorRole
from schema.errors import Conflict, NotFound
from schema.ids import new_id
from schema.validation import validated


def _invitation(row: dict[str, Any]) -> Invitation:
    return Invitation.model_validate(row["invitation"])


def _require(store: GraphStore, initiative_id: str, signatory_id: str) -> None:
    if not browse.by_ids(store, "Initiative", [initiative_id]):
        raise NotFound("initiative", initiative_id)
    if not browse.by_ids(store, "Signatory", [signatory_id]):
        raise NotFound("signatory", signatory_id)


def pending(store: GraphStore, initiative_id: str, signatory_id: str) -> Invitation | None:
    rows = store.read(q.PENDING, {"initiative": initiative_id, "signatory": signatory_id})
    return _invitation(rows[0]) if rows else None


@writes
def invite(
    work: UnitOfWork,
    *,
    initiative_id: str,
    signatory_id: str,
    role: ContributorRole,
    invited_by: str,
    inviting: str,
    now: datetime,
) -> Invitation | None:
    """Invite an organisation to contribute in `role`; None when it already does so."""
    _require(work.store, initiative_id, signatory_id)
    params = {"initiative": initiative_id, "signatory": signatory_id}
    current = work.store.read(q.CONTRIBUTOR_ROLE, params)
    if current and current[0]["role"] == role.value:
        return None
    if pending(work.store, initiative_id, signatory_id) is not None:
        raise Conflict(
            f"signatory '{signatory_id}' is already invited to initiative '{initiative_id}' "
            "and has not answered yet"
        )
    invitation = validated(
        Invitation,
        {
            "id": new_id(f"invite {signatory_id} {initiative_id}"),
            "initiative_id": initiative_id,
            "signatory_id": signatory_id,
            "role": role,
            "invited_by": invited_by,
            "inviting": inviting,
            "created_at": now,
        },
    )
    props = {k: v for k, v in invitation.model_dump(mode="json").items() if v is not None}
    work.note_targets(invitation.id, initiative_id, signatory_id)
    work.note_change(f"invitation:{signatory_id}", None, role.value)
    rows = work.write(q.INVITE, {"props": props})
    if not rows:
        raise Conflict(f"signatory '{signatory_id}' was invited meanwhile")
    return _invitation(rows[0])


@writes
def accept(work: UnitOfWork, id: str, *, now: datetime) -> Invitation:
    """The invited organisation accepts: it contributes from the same statement on."""
    current = _get(work.store, id)
    before = work.store.read(
        q.CONTRIBUTOR_ROLE, {"initiative": current.initiative_id, "signatory": current.signatory_id}
    )
    work.note_targets(id, current.initiative_id, current.signatory_id)
    role_before = before[0]["role"] if before else None
    work.note_change(f"contributor:{current.signatory_id}", role_before, current.role.value)
    rows = work.write(q.ACCEPT, {"id": id, "at": now.isoformat()})
    if not rows:
        raise Conflict(f"invitation '{id}' was answered meanwhile")
    return _invitation(rows[0])


@writes
def close(work: UnitOfWork, id: str, *, state: InvitationState, now: datetime) -> Invitation:
    """Declined by the invited organisation, or cancelled by the initiative's side."""
    current = _get(work.store, id)
    work.note_targets(id, current.initiative_id, current.signatory_id)
    work.note_change(f"invitation:{current.signatory_id}", current.role.value, state.value)
    rows = work.write(q.CLOSE, {"id": id, "state": state.value, "at": now.isoformat()})
    if not rows:
        raise Conflict(f"invitation '{id}' was answered meanwhile")
    return _invitation(rows[0])


def _get(store: GraphStore, id: str) -> Invitation:
    rows = store.read(q.INVITATION, {"id": id})
    if not rows:
        raise NotFound("invitation", id)
    found = _invitation(rows[0])
    if found.state is not InvitationState.PENDING:
        raise Conflict(f"invitation '{id}' is already {found.state.value}")
    return found


def invitations(
    store: GraphStore,
    *,
    initiative: str | None = None,
    signatory: str | None = None,
    state: str | None = None,
    limit: int = 200,
) -> list[Invitation]:
    """Invitations matching the filters, newest first (the caller applies the read rule)."""
    params = {"initiative": initiative, "signatory": signatory, "state": state, "limit": limit}
    return [_invitation(r) for r in store.read(q.INVITATIONS, params)]
