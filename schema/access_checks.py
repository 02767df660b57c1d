"""The one question every door asks before it reads or changes something guarded:
may this actor, with its token as it is now, reach it? Each `Guarded` names what is
guarded, who may reach it and what a refused caller is told; `check` raises the refusal.

Doors (GraphQL, pages, uploads, sockets) never raise `Unauthenticated` or `Forbidden`
themselves: a test scans them for it, so a rule is decided here or in `schema.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schema.access import IMPORT_HISTORY_READERS, Actor, Role
from schema.errors import Forbidden, Unauthenticated

_TOKEN_HINT = "send it as 'Authorization: Bearer <token>'"


@dataclass(frozen=True, slots=True)
class Rule:
    """`roles`: who may reach it (None: any signed-in token, the object's own rule
    deciding the rest); `anonymous`: what a caller without a token is told;
    `refused`: what a token without the right is told ({role} and {subject} filled in)."""

    roles: frozenset[Role] | None
    anonymous: str
    refused: str = "{role} tokens cannot read this"


class Guarded(Enum):
    """What the doors guard, with its rule."""

    AUDIT_TRAIL = Rule(
        frozenset({Role.ADMIN, Role.CO_CHAIR}),
        "the audit trail needs an API token",
        "{role} tokens cannot read the audit trail",
    )
    IMPORT_HISTORY = Rule(
        frozenset(IMPORT_HISTORY_READERS),
        "the import history needs an API token",
        "{role} tokens cannot read the import history",
    )
    WEBHOOKS = Rule(
        frozenset({Role.ADMIN, Role.CO_CHAIR}),
        "webhooks need an API token",
        "only admins and co-chairs manage webhooks",
    )
    GROUP_ACTIVITY = Rule(
        None,
        "a group's activity needs an API token",
        "only members of '{subject}' follow its activity",
    )
    THREAD = Rule(
        None,
        "discussion threads need an API token",
        "only those with a stake in it read this thread",
    )
    INVITATIONS = Rule(None, "invitations need an API token")
    IMPORT_FORMAT = Rule(
        None, "imports need an API token", "the {role} role cannot import {subject} files"
    )
    EVENTS = Rule(
        None,
        "subscriptions need an API token: send it in the connection_init payload as "
        "{'Authorization': 'Bearer <token>'}",
    )
    CHANGE = Rule(None, f"this change needs an API token: {_TOKEN_HINT}")


def check(
    actor: Actor,
    guarded: Guarded,
    *,
    permitted: bool = True,
    subject: str = "",
    refusal: str | None = None,
) -> None:
    """Raise the refusal `actor` gets for `guarded`; `permitted` is the object's own read
    rule (e.g. `may_follow` for a group's feed), already decided by the caller; `refusal`
    replaces the rule's words (a page's language)."""
    rule: Rule = guarded.value
    if actor.anonymous or actor.role is None:
        raise Unauthenticated(rule.anonymous)
    if (rule.roles is not None and actor.role not in rule.roles) or not permitted:
        raise Forbidden(refusal or rule.refused.format(role=actor.role.value, subject=subject))
