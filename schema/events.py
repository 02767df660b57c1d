"""Notifications: what subscribers and webhooks hear of a change, and who may hear it.

Every change is recorded under its own name (`AuditAction`): what it did, never the
permission it needed (revising a proposal is not withdrawing it, an unmerge is not a
second merge). `RECORDED` says, per name, what it means to a subscriber (`EventKind`)
and whose read rule its text follows (schema.access.Readers); a name missing there
fails a test, as does one without its sentence in both languages (analysis/locale, `act_<action>`).

An event is derived from the change's audit event (same id, time, actor and targets)
plus who has a stake in it: the working groups it touches and the signatories it
concerns (a proposal's proposer, the leads of the initiatives involved), and the facts
of the object it describes. Delivery follows the read rules: nobody hears of an object
it may not read; then admins hear everything, co-chairs what touches their groups
(and the imports of reference data, which belong to no group), signatories what
concerns their organisation, importers the imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from schema.access import Actor, Described, Readers, Role, may_read
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
    INITIATIVES_UNMERGED = "initiatives_unmerged"
    CONTRIBUTOR_INVITED = "contributor_invited"
    CONTRIBUTION_ACCEPTED = "contribution_accepted"
    CONTRIBUTION_DECLINED = "contribution_declined"
    IMPORT_FINISHED = "import_finished"
    RECORD_CHANGED = "record_changed"


class AuditAction(StrEnum):
    """The name of every change the audit trail records (see the module docstring)."""

    CREATE_INITIATIVE = "create_initiative"
    EDIT_INITIATIVE = "edit_initiative"
    ARCHIVE_INITIATIVE = "archive_initiative"
    LINK_INITIATIVE = "link_initiative"
    UNLINK_INITIATIVE = "unlink_initiative"
    TRACK_INITIATIVE = "track_initiative"
    UNTRACK_INITIATIVE = "untrack_initiative"
    SET_CONTRIBUTOR = "set_contributor"
    REMOVE_CONTRIBUTOR = "remove_contributor"
    INVITE_CONTRIBUTOR = "invite_contributor"
    CANCEL_INVITATION = "cancel_invitation"
    ACCEPT_CONTRIBUTION = "accept_contribution"
    DECLINE_CONTRIBUTION = "decline_contribution"
    ADD_MEMBER = "add_member"
    REMOVE_MEMBER = "remove_member"
    CREATE_SIGNATORY = "create_signatory"
    EDIT_SIGNATORY = "edit_signatory"
    CREATE_WORKING_GROUP = "create_working_group"
    EDIT_WORKING_GROUP = "edit_working_group"
    CREATE_TOPIC = "create_topic"
    EDIT_TOPIC = "edit_topic"
    CONFIRM_DUPLICATE = "confirm_duplicate"
    REJECT_DUPLICATE = "reject_duplicate"
    ACCEPT_MAPPING = "accept_mapping"
    REJECT_MAPPING = "reject_mapping"
    MERGE_INITIATIVES = "merge_initiatives"
    UNMERGE_INITIATIVES = "unmerge_initiatives"
    ACCEPT_TOPICS = "accept_topics"
    REFRESH_ANALYSIS = "refresh_analysis"
    PROPOSE_INITIATIVE = "propose_initiative"
    ACCEPT_PROPOSAL = "accept_proposal"
    DECLINE_PROPOSAL = "decline_proposal"
    WITHDRAW_PROPOSAL = "withdraw_proposal"
    REVISE_PROPOSAL = "revise_proposal"
    OPEN_CALL = "open_call"
    CLOSE_CALL = "close_call"
    ADD_COMMENT = "add_comment"
    EDIT_COMMENT = "edit_comment"
    DELETE_COMMENT = "delete_comment"
    MODERATE_COMMENT = "moderate_comment"
    CREATE_WEBHOOK = "create_webhook"
    DISABLE_WEBHOOK = "disable_webhook"
    CREATE_TOKEN = "create_token"
    REVOKE_TOKEN = "revoke_token"
    IMPORT_RECOMMENDATIONS = "import_recommendations"
    IMPORT_MAPPINGS = "import_mappings"
    IMPORT_REGISTRY = "import_registry"
    IMPORT_INITIATIVES = "import_initiatives"
    IMPORT_SIGNATORIES = "import_signatories"
    IMPORT_MEMBERSHIPS = "import_memberships"


@dataclass(frozen=True)
class Recorded:
    """What a recorded change means to a subscriber, and whose read rule its text follows."""

    kind: EventKind
    readers: Readers


def _all(kind: EventKind, readers: Readers, *actions: AuditAction) -> dict[str, Recorded]:
    return {action: Recorded(kind, readers) for action in actions}


A, K, R = AuditAction, EventKind, Readers
RECORDED: dict[str, Recorded] = {
    **_all(K.RECORD_CHANGED, R.PUBLIC, A.CREATE_INITIATIVE, A.EDIT_INITIATIVE,
           A.ARCHIVE_INITIATIVE, A.LINK_INITIATIVE, A.UNLINK_INITIATIVE, A.TRACK_INITIATIVE,
           A.UNTRACK_INITIATIVE, A.SET_CONTRIBUTOR, A.REMOVE_CONTRIBUTOR, A.ADD_MEMBER,
           A.REMOVE_MEMBER, A.CREATE_SIGNATORY, A.EDIT_SIGNATORY, A.CREATE_WORKING_GROUP,
           A.EDIT_WORKING_GROUP, A.CREATE_TOPIC, A.EDIT_TOPIC, A.ACCEPT_MAPPING,
           A.REJECT_MAPPING, A.ACCEPT_TOPICS, A.REFRESH_ANALYSIS),
    **_all(K.CONTRIBUTOR_INVITED, R.INVITATION, A.INVITE_CONTRIBUTOR),
    **_all(K.RECORD_CHANGED, R.INVITATION, A.CANCEL_INVITATION),
    **_all(K.CONTRIBUTION_ACCEPTED, R.PUBLIC, A.ACCEPT_CONTRIBUTION),
    **_all(K.CONTRIBUTION_DECLINED, R.INVITATION, A.DECLINE_CONTRIBUTION),
    **_all(K.DUPLICATE_CONFIRMED, R.PUBLIC, A.CONFIRM_DUPLICATE),
    **_all(K.DUPLICATE_REJECTED, R.PUBLIC, A.REJECT_DUPLICATE),
    **_all(K.INITIATIVES_MERGED, R.PUBLIC, A.MERGE_INITIATIVES),
    **_all(K.INITIATIVES_UNMERGED, R.PUBLIC, A.UNMERGE_INITIATIVES),
    **_all(K.PROPOSAL_OPENED, R.PROPOSAL, A.PROPOSE_INITIATIVE),
    **_all(K.PROPOSAL_ACCEPTED, R.PROPOSAL, A.ACCEPT_PROPOSAL),
    **_all(K.PROPOSAL_DECLINED, R.PROPOSAL, A.DECLINE_PROPOSAL),
    **_all(K.PROPOSAL_WITHDRAWN, R.PROPOSAL, A.WITHDRAW_PROPOSAL),
    **_all(K.PROPOSAL_REVISED, R.PROPOSAL, A.REVISE_PROPOSAL),
    **_all(K.CALL_OPENED, R.PUBLIC, A.OPEN_CALL),
    **_all(K.CALL_CLOSED, R.PUBLIC, A.CLOSE_CALL),
    **_all(K.COMMENT_ADDED, R.THREAD, A.ADD_COMMENT),
    **_all(K.COMMENT_EDITED, R.THREAD, A.EDIT_COMMENT),
    **_all(K.COMMENT_DELETED, R.THREAD, A.DELETE_COMMENT, A.MODERATE_COMMENT),
    **_all(K.RECORD_CHANGED, R.WEBHOOK, A.CREATE_WEBHOOK, A.DISABLE_WEBHOOK),
    **_all(K.RECORD_CHANGED, R.ADMINS, A.CREATE_TOKEN, A.REVOKE_TOKEN),
    **_all(K.IMPORT_FINISHED, R.IMPORT, A.IMPORT_RECOMMENDATIONS, A.IMPORT_MAPPINGS,
           A.IMPORT_REGISTRY, A.IMPORT_INITIATIVES, A.IMPORT_SIGNATORIES, A.IMPORT_MEMBERSHIPS),
}  # fmt: skip


def true_name(action: str, changes: Mapping[str, Any]) -> str:
    """The name of what an event did. Earlier versions recorded several changes under one
    name (the permission they needed): their stored events are told apart here, by their
    changes, so that every reader sees them under their own name."""
    pairs = {k: v for k, v in changes.items() if isinstance(v, list) and len(v) == 2}
    before = {k: v[0] for k, v in pairs.items()}
    after = {k: v[1] for k, v in pairs.items()}
    state, status = after.get("state"), after.get("status")
    linked = [k for k in pairs if k.startswith("link:")]
    if action == "decide_proposal":
        return A.DECLINE_PROPOSAL if state == "declined" else A.ACCEPT_PROPOSAL
    if action == A.WITHDRAW_PROPOSAL and "state" not in pairs:
        return A.REVISE_PROPOSAL
    if action == "manage_calls":
        return A.OPEN_CALL if state == "open" else A.CLOSE_CALL
    if action == "comment":
        if "deleted" in pairs:
            return A.DELETE_COMMENT
        return A.EDIT_COMMENT if before.get("comment") else A.ADD_COMMENT
    if action in ("moderate_comments", "manage_webhooks", "decide_duplicate", "decide_mapping"):
        return {
            "moderate_comments": A.MODERATE_COMMENT,
            "manage_webhooks": A.DISABLE_WEBHOOK if "active" in pairs else A.CREATE_WEBHOOK,
            "decide_duplicate": A.REJECT_DUPLICATE if status == "rejected" else A.CONFIRM_DUPLICATE,
            "decide_mapping": A.REJECT_MAPPING if status == "rejected" else A.ACCEPT_MAPPING,
        }[action]
    if action == "manage_members":
        added = any(v is not None for k, v in after.items() if k.startswith("member:"))
        return A.ADD_MEMBER if added else A.REMOVE_MEMBER
    if action == A.MERGE_INITIATIVES and "merged_into" in pairs and after["merged_into"] is None:
        return A.UNMERGE_INITIATIVES
    if action == A.TRACK_INITIATIVE and linked and after[linked[0]] is None:
        return A.UNTRACK_INITIATIVE
    if action == A.EDIT_INITIATIVE:
        contributors = [k for k in pairs if k.startswith("contributor:")]
        if contributors:
            named = after[contributors[0]] is not None
            return A.SET_CONTRIBUTOR if named else A.REMOVE_CONTRIBUTOR
        if linked:
            return A.LINK_INITIATIVE if after[linked[0]] is not None else A.UNLINK_INITIATIVE
        if status == "archived":
            return A.ARCHIVE_INITIATIVE
    return action


def readers_of(action: str) -> Readers:
    """Whose read rule an event's text follows (given its true name); a name nobody
    knows is for admins only."""
    recorded = RECORDED.get(action)
    return recorded.readers if recorded is not None else Readers.ADMINS


class Event(Model):
    id: str = Field(max_length=64, description="the audit event's id")
    kind: EventKind
    at: datetime
    actor: str
    action: str
    targets: list[str] = Field(default_factory=list)
    working_groups: list[str] = Field(default_factory=list)
    signatories: list[str] = Field(default_factory=list, description="organisations concerned")
    described: Described = Field(
        default_factory=Described, description="the object's facts, for the read rule"
    )


# What a webhook receives of an event: never who else has a stake in it.
PRIVATE_FIELDS = frozenset({"signatories", "described"})


def kind_of(action: str) -> EventKind:
    """What an audited change means to a subscriber."""
    recorded = RECORDED.get(action)
    return recorded.kind if recorded is not None else EventKind.RECORD_CHANGED


def may_hear(actor: Actor, event: Event) -> bool:
    """Whether `actor` is told of `event`: see the module docstring."""
    if not may_read(actor, event.described):
        return False
    if actor.role is Role.ADMIN:
        return True
    imported = event.kind is EventKind.IMPORT_FINISHED
    if imported and actor.role is Role.IMPORTER:
        return True
    if actor.role is Role.CO_CHAIR:
        if imported and not event.working_groups:
            return True  # reference data belongs to no group
        return bool(actor.working_groups & set(event.working_groups))
    if actor.role is Role.SIGNATORY:
        return actor.signatory in event.signatories
    return False
