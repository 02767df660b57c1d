"""Notifications: what subscribers and webhooks hear of a change, and who may hear it.

An event is derived from the change's audit event (same id, time, actor and targets)
plus who has a stake in it: the working groups it touches and the signatories it
concerns (a proposal's proposer, the leads of the initiatives involved). Delivery
follows the read rules: admins hear everything, co-chairs what touches their groups,
signatories what concerns their organisation, importers the imports.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from schema.access import Action, Actor, Role
from schema.models import Model


class EventKind(StrEnum):
    PROPOSAL_OPENED = "proposal_opened"
    PROPOSAL_ACCEPTED = "proposal_accepted"
    PROPOSAL_DECLINED = "proposal_declined"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    PROPOSAL_REVISED = "proposal_revised"
    CALL_OPENED = "call_opened"
    CALL_CLOSED = "call_closed"
    COMMENT_ADDED = "comment_added"
    COMMENT_EDITED = "comment_edited"
    COMMENT_DELETED = "comment_deleted"
    DUPLICATE_CONFIRMED = "duplicate_confirmed"
    DUPLICATE_REJECTED = "duplicate_rejected"
    INITIATIVES_MERGED = "initiatives_merged"
    IMPORT_FINISHED = "import_finished"
    RECORD_CHANGED = "record_changed"


class Event(Model):
    id: str = Field(max_length=64, description="the audit event's id")
    kind: EventKind
    at: datetime
    actor: str
    action: str
    targets: list[str] = Field(default_factory=list)
    working_groups: list[str] = Field(default_factory=list)
    signatories: list[str] = Field(default_factory=list, description="organisations concerned")


def kind_of(action: str, changes: dict[str, Any]) -> EventKind:
    """What an audited change means to a subscriber, from its action and changes."""
    after = {name: values[1] for name, values in changes.items() if len(values) == 2}
    before = {name: values[0] for name, values in changes.items() if len(values) == 2}
    state = after.get("state")
    if action.startswith("import_"):
        return EventKind.IMPORT_FINISHED
    by_action: dict[str, EventKind] = {
        Action.PROPOSE_INITIATIVE: EventKind.PROPOSAL_OPENED,
        Action.MERGE_INITIATIVES: EventKind.INITIATIVES_MERGED,
        Action.MODERATE_COMMENTS: EventKind.COMMENT_DELETED,
    }
    if action in by_action:
        return by_action[action]
    if action == Action.DECIDE_PROPOSAL:
        return EventKind.PROPOSAL_DECLINED if state == "declined" else EventKind.PROPOSAL_ACCEPTED
    if action == Action.WITHDRAW_PROPOSAL:
        withdrawn = state == "withdrawn"
        return EventKind.PROPOSAL_WITHDRAWN if withdrawn else EventKind.PROPOSAL_REVISED
    if action == Action.MANAGE_CALLS:
        return EventKind.CALL_OPENED if state == "open" else EventKind.CALL_CLOSED
    if action == Action.COMMENT:
        if "deleted" in after:
            return EventKind.COMMENT_DELETED
        return EventKind.COMMENT_EDITED if before.get("comment") else EventKind.COMMENT_ADDED
    if action == Action.DECIDE_DUPLICATE:
        rejected = after.get("status") == "rejected"
        return EventKind.DUPLICATE_REJECTED if rejected else EventKind.DUPLICATE_CONFIRMED
    return EventKind.RECORD_CHANGED


def may_hear(actor: Actor, event: Event) -> bool:
    """Whether `actor` is told of `event`: see the module docstring."""
    if actor.role is Role.ADMIN:
        return True
    if event.kind is EventKind.IMPORT_FINISHED and actor.role in (Role.CO_CHAIR, Role.IMPORTER):
        return True
    if actor.role is Role.CO_CHAIR:
        return bool(actor.working_groups & set(event.working_groups))
    if actor.role is Role.SIGNATORY:
        return actor.signatory in event.signatories
    return False
