"""How a working group collects initiatives: calls for contributions and proposals.

A signatory proposes an initiative it leads to a working group (or a co-chair does, on
its behalf, for an initiative its own groups already track); the group's co-chairs
accept or decline it. Accepting is the legitimate way into a group's scope: it links
the group to the initiative. A proposal may answer a group's call for contributions.

Who contributes to an initiative is, likewise, each organisation's own word: a lead
naming another organisation as lead or contributor invites it (`Invitation`), and the
initiative counts it among its contributors only once it accepts. Admins and the
co-chairs of a group tracking the initiative name contributors directly.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from schema.enums import ContributorRole
from schema.models import Model
from schema.text import Name, Prose, Slug

# Messages and reasons are a few paragraphs, not documents.
Message = Annotated[Prose, Field(max_length=5_000)]


ProposalState = StrEnum("ProposalState", "OPEN ACCEPTED DECLINED WITHDRAWN")
CallState = StrEnum("CallState", "OPEN CLOSED")


class Proposal(Model):
    """An initiative offered to a working group, and what became of it."""

    id: Slug
    initiative_id: Slug
    working_group_id: Slug
    proposer: Slug = Field(description="the signatory the proposal is made for")
    proposed_by: Name = Field(description="the token holder who made it")
    message: Message | None = None
    call_id: Slug | None = None
    state: ProposalState = ProposalState.OPEN
    reason: Message | None = Field(default=None, description="why it was declined")
    decided_by: Name | None = None
    version: Annotated[int, Field(ge=1)] = 1
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None = None


class Call(Model):
    """A working group's call for contributions: what it asks for, and until when."""

    id: Slug
    working_group_id: Slug
    title: Name
    description: Prose | None = None
    topics: list[Slug] = Field(default_factory=list, description="topics the group seeks")
    deadline: date | None = None
    state: CallState = CallState.OPEN
    opened_by: Name
    created_at: datetime
    closed_at: datetime | None = None


InvitationState = StrEnum("InvitationState", "PENDING ACCEPTED DECLINED CANCELLED")


class Invitation(Model):
    """An organisation invited to contribute to an initiative, until it answers."""

    id: Slug
    initiative_id: Slug
    signatory_id: Slug = Field(description="the organisation invited")
    role: ContributorRole
    invited_by: Name = Field(description="the token holder who invited it")
    inviting: Slug = Field(description="the organisation that invited it")
    state: InvitationState = InvitationState.PENDING
    created_at: datetime
    decided_at: datetime | None = None
