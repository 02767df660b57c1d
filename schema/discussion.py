"""Discussion threads: comments on an initiative, a duplicate pair or a proposal.

A comment keeps every earlier wording (`history`), so a decision that cites a thread
can be checked against what was written then; deleting one hides its body but keeps
its place and its history for the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from schema.models import Model
from schema.text import Name, Prose, Slug

# A comment is a few paragraphs; longer material belongs in the initiative itself.
MAX_BODY = 10_000
Body = Annotated[Prose, Field(max_length=MAX_BODY)]


class SubjectKind(StrEnum):
    INITIATIVE = "initiative"
    PAIR = "pair"
    PROPOSAL = "proposal"


def subject_key(kind: SubjectKind, ids: list[str]) -> str:
    """One key per thing discussed; a pair is the same pair in either order."""
    if kind is SubjectKind.PAIR:
        a, b = sorted(ids)
        return f"pair:{a}|{b}"
    return f"{kind.value}:{ids[0]}"


class Comment(Model):
    id: Slug
    subject: Annotated[str, Field(max_length=500)] = Field(description="see subject_key")
    author: Name = Field(description="the token holder's name, as readers see it")
    author_token: Slug = Field(description="who may edit it: the token that wrote it")
    author_role: Annotated[str, Field(max_length=40)]
    body: Body
    history: list[Body] = Field(default_factory=list, description="earlier wordings, oldest first")
    created_at: datetime
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    deleted_by: Name | None = None
