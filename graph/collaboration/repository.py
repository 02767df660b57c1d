"""Proposals and calls for contributions: the use cases and their reads.

Each change checks what it can explain first (unknown group, closed call, a group that
already tracks the initiative), so the user learns why; its one write then re-checks
the state it expects, so two co-chairs deciding at once cannot both win.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph.access import repository as access
from graph.audit import UnitOfWork, writes
from graph.browse import repository as browse
from graph.collaboration import queries as q
from graph.paging import paged
from graph.store import GraphStore
from schema.access import Actor, proposal_readers
from schema.collaboration import Call, CallState, Proposal, ProposalState
from schema.enums import InitiativeStatus
from schema.errors import Conflict, NotFound, Problem, ValidationFailed
from schema.ids import new_id
from schema.validation import validated


def _proposal(row: dict[str, Any]) -> Proposal:
    return Proposal.model_validate(row["proposal"])


def _props(model: Proposal | Call) -> dict[str, Any]:
    return {k: v for k, v in model.model_dump(mode="json").items() if v is not None}


def get(store: GraphStore, id: str) -> Proposal:
    rows = store.read(q.PROPOSAL, {"id": id})
    if not rows:
        raise NotFound("proposal", id)
    return _proposal(rows[0])


def facts(store: GraphStore, id: str) -> dict[str, Any] | None:
    """The initiative, group, proposer and state of a proposal, for the permission rules."""
    rows = store.read(q.PROPOSAL_FACTS, {"id": id})
    return rows[0] if rows else None


def leads(store: GraphStore, initiative_id: str) -> list[str]:
    found = access.initiative_facts(store, [initiative_id]).get(initiative_id)
    return sorted(found[1]) if found else []


def led_by(store: GraphStore, signatory: str) -> list[dict[str, Any]]:
    """The live initiatives a signatory leads: {id, title, groups tracking it}."""
    return store.read(q.LED_BY, {"id": signatory})


@writes
def propose(
    work: UnitOfWork,
    *,
    initiative_id: str,
    working_group_id: str,
    proposer: str | None,
    proposed_by: str,
    message: str | None,
    call_id: str | None,
    now: datetime,
) -> Proposal:
    """Offer an initiative to a working group, on behalf of one of its contributors."""
    initiative = browse.by_ids(work.store, "Initiative", [initiative_id]).get(initiative_id)
    if initiative is None:
        raise NotFound("initiative", initiative_id)
    group = browse.by_ids(work.store, "WorkingGroup", [working_group_id]).get(working_group_id)
    if group is None:
        raise NotFound("working group", working_group_id)
    if initiative.get("status") == InitiativeStatus.ARCHIVED:
        raise ValidationFailed(
            [Problem(f"initiative '{initiative_id}' is archived", field="initiative")]
        )
    contributors = {r["id"] for r in work.store.read(q.CONTRIBUTORS, {"id": initiative_id})}
    if proposer is None:
        raise ValidationFailed(
            [Problem("name the signatory this proposal is made for", field="onBehalfOf")]
        )
    if proposer not in contributors:
        raise ValidationFailed(
            [
                Problem(
                    f"signatory '{proposer}' does not contribute to initiative '{initiative_id}'",
                    field="onBehalfOf",
                )
            ]
        )
    if call_id is not None:
        _check_call(work.store, call_id, working_group_id)
    tracking = access.initiative_facts(work.store, [initiative_id])[initiative_id][0]
    if working_group_id in tracking:
        raise Conflict(
            f"working group '{working_group_id}' already tracks initiative '{initiative_id}'"
        )
    if proposal_count(
        work.store, None, group=working_group_id, initiative=initiative_id, state="open"
    ):
        raise Conflict(
            f"initiative '{initiative_id}' already has an open proposal to '{working_group_id}'"
        )
    proposal = validated(
        Proposal,
        {
            "id": new_id(f"{initiative_id} {working_group_id}"),
            "initiative_id": initiative_id,
            "working_group_id": working_group_id,
            "proposer": proposer,
            "proposed_by": proposed_by,
            "message": message,
            "call_id": call_id,
            "created_at": now,
            "updated_at": now,
        },
    )
    props = _props(proposal)
    work.note_targets(proposal.id, initiative_id, working_groups=[working_group_id])
    work.note_changes({}, {"state": proposal.state.value, "message": message})
    statement = q.CREATE_ANSWER if call_id else q.CREATE_PROPOSAL
    rows = work.write(statement, {"props": props})
    if not rows:
        raise Conflict(f"proposal of initiative '{initiative_id}' changed meanwhile; try again")
    return _proposal(rows[0])


def _check_call(store: GraphStore, call_id: str, working_group_id: str) -> None:
    call = get_call(store, call_id)
    if call.working_group_id != working_group_id:
        raise ValidationFailed(
            [Problem(f"call '{call_id}' is working group '{call.working_group_id}''s", "call")]
        )
    if call.state is not CallState.OPEN:
        raise ValidationFailed([Problem(f"call '{call_id}' is closed", field="call")])


def _change(
    work: UnitOfWork, id: str, state: ProposalState | None, changes: dict[str, Any]
) -> Proposal:
    """Change an open proposal, checked whole by the model; accepting also links the
    group to the initiative."""
    current = get(work.store, id)
    if current.state is not ProposalState.OPEN:
        raise Conflict(f"proposal '{id}' is already {current.state.value}")
    if state is not None:
        changes = {**changes, "state": state.value}
    validated(Proposal, {**current.model_dump(), **changes})
    work.note_targets(id, current.initiative_id, working_groups=[current.working_group_id])
    before = current.model_dump(mode="json")
    work.note_changes(
        {k: before.get(k) for k in changes if k != "updated_at"},
        {k: v for k, v in changes.items() if k != "updated_at"},
    )
    statement = q.ACCEPT if state is ProposalState.ACCEPTED else q.CHANGE_OPEN
    rows = work.write(statement, {"id": id, "changes": changes})
    if not rows:
        raise Conflict(f"proposal '{id}' was decided meanwhile")
    return _proposal(rows[0])


@writes
def accept(work: UnitOfWork, id: str, *, by: str, now: datetime) -> Proposal:
    at = now.isoformat()
    changes = {"decided_by": by, "decided_at": at, "updated_at": at}
    return _change(work, id, ProposalState.ACCEPTED, changes)


@writes
def decline(work: UnitOfWork, id: str, *, reason: str, by: str, now: datetime) -> Proposal:
    if not reason.strip():
        raise ValidationFailed([Problem("say why the proposal is declined", field="reason")])
    at = now.isoformat()
    changes = {"reason": reason, "decided_by": by, "decided_at": at, "updated_at": at}
    return _change(work, id, ProposalState.DECLINED, changes)


@writes
def withdraw(work: UnitOfWork, id: str, *, now: datetime) -> Proposal:
    return _change(work, id, ProposalState.WITHDRAWN, {"updated_at": now.isoformat()})


@writes
def revise(work: UnitOfWork, id: str, *, message: str, now: datetime) -> Proposal:
    """A new message for an open proposal (the audit event keeps the old one)."""
    return _change(work, id, None, {"message": message, "updated_at": now.isoformat()})


FILTERS = ("id", "group", "initiative", "state", "call", "proposer")


def _filters(actor: Actor | None, given: dict[str, Any]) -> dict[str, Any]:
    """The list statement's parameters: the filters given (the others unset) and what the
    actor may read (schema.access.proposal_readers; None: everything)."""
    everything, groups, signatory = (
        proposal_readers(actor) if actor is not None else (True, frozenset(), None)
    )
    return {
        **dict.fromkeys(FILTERS),
        **given,
        "all": everything,
        "groups": sorted(groups),
        "signatory": signatory,
    }


def proposals(
    store: GraphStore, actor: Actor | None, *, skip: int, limit: int, **given: Any
) -> list[Proposal]:
    """Proposals matching `given` that `actor` may read, newest first."""
    rows = store.read(q.PROPOSALS, {**_filters(actor, given), "skip": skip, "limit": limit})
    return [_proposal(r) for r in rows]


def proposal_count(store: GraphStore, actor: Actor | None, **given: Any) -> int:
    return int(store.read(q.PROPOSAL_COUNT, _filters(actor, given))[0]["n"])


@writes
def open_call(
    work: UnitOfWork,
    *,
    working_group_id: str,
    title: str,
    description: str | None,
    topics: Sequence[str],
    deadline: str | None,
    opened_by: str,
    now: datetime,
) -> Call:
    """Open a call for contributions; the topics it seeks must exist."""
    call = validated(
        Call,
        {
            "id": new_id(title),
            "working_group_id": working_group_id,
            "title": title,
            "description": description,
            "topics": list(topics),
            "deadline": deadline,
            "opened_by": opened_by,
            "created_at": now,
        },
    )
    known = browse.by_ids(work.store, "Topic", list(call.topics))
    unknown = [t for t in call.topics if t not in known]
    if unknown:
        raise ValidationFailed(
            [
                Problem(f"unknown topic '{t}'", field=f"topics.{call.topics.index(t)}")
                for t in unknown
            ]
        )
    work.note_targets(call.id, working_groups=[working_group_id])
    work.note_changes({}, {"title": title, "state": call.state.value})
    rows = work.write(q.CREATE_CALL, {"props": _props(call)})
    if not rows:
        raise NotFound("working group", working_group_id)
    return Call.model_validate(rows[0]["call"])


def find_call(store: GraphStore, id: str) -> Call | None:
    rows = store.read(q.CALL, {"id": id})
    return Call.model_validate(rows[0]["call"]) if rows else None


def save_calls(store: GraphStore, calls: Sequence[Call]) -> None:
    """Write calls as they are (the bundled demo's), each linked to its group."""
    for call in calls:
        store.write(q.SAVE_CALL, {"props": _props(call)})


def get_call(store: GraphStore, id: str) -> Call:
    found = find_call(store, id)
    if found is None:
        raise NotFound("call", id)
    return found


@writes
def close_call(work: UnitOfWork, id: str, *, now: datetime) -> Call:
    current = get_call(work.store, id)
    work.note_targets(id, working_groups=[current.working_group_id])
    work.note_change("state", current.state.value, CallState.CLOSED.value)
    rows = work.write(q.CLOSE_CALL, {"id": id, "at": now.isoformat()})
    if not rows:
        raise Conflict(f"call '{id}' is already closed")
    return Call.model_validate(rows[0]["call"])


# Calls newest first, a page at a time, and how many match the filters.
calls, call_count = paged(q.CALLS, q.CALL_COUNT, lambda r: Call.model_validate(r["call"]))


def call_coverage(store: GraphStore, id: str) -> dict[str, int]:
    """Live answers per topic the call seeks; 0 marks what is still missing."""
    return {r["topic"]: int(r["answers"]) for r in store.read(q.CALL_COVERAGE, {"id": id})}


def call_group(store: GraphStore, id: str) -> str | None:
    found = find_call(store, id)
    return found.working_group_id if found else None
