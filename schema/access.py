"""Who may do what: roles, API tokens and the permission rules, as plain domain logic.

The rules take the actor and the facts about the records a change touches (which
working groups track an initiative, who leads it) and answer allowed or not; gathering
those facts is the graph's job, enforcing the answer the API's.

Roles:
- admin: everything;
- co_chair (of one or more working groups): curates the initiatives its groups track,
  decides duplicates and crosswalks that touch them, manages its groups' members;
- signatory (of one organisation): reads; proposes initiatives with itself as lead and
  edits the ones it leads; edits its own record;
- importer: reads, uploads recommendation sets (OSCAL, CISO Assistant, the project's
  own format) and refreshes the suggestions after loading them;
- spreadsheets change curated records: admins apply any; co-chairs those whose every
  row stays within their groups (see `refused_sheet_rows`); registry files: admins;
- topic suggestions of imported recommendations: co-chairs and importers accept them
  (only the suggested topics, on shared reference data);
- discussion threads (schema/discussion.py) on an initiative, a duplicate pair or a
  proposal: read and written by those with a stake in it (co-chairs of a group tracking
  one of its initiatives or addressed by the proposal; signatories leading one of its
  initiatives or the proposal's proposer); authors edit their comments; authors and
  those co-chairs delete them (softly);
- proposals (schema/collaboration.py): a signatory proposes an initiative it leads to any
  working group, a co-chair one its groups already track; only the target group's
  co-chairs decide; the proposer (or a co-chair who could have proposed it) withdraws it
  while open; only the proposer's own organisation revises its message (no one else,
  admins included, puts words in its mouth); co-chairs open and close their groups'
  calls for contributions;
- contributors: admins and the co-chairs of a group tracking the initiative name them;
  a lead signatory names its own organisation, and naming another one is an invitation
  that only the invited organisation accepts or declines (schema/collaboration.py);
- webhooks: admins register them for a group's events or for every event; co-chairs for
  their groups' events; a hook delivers only while the token that registered it keeps
  that authority (`may_own_hook`);
- anonymous: reads, when the deployment allows it.

Reading follows the same rules (`may_read`): the text an event carries (a feed, the
audit log and its export, a subscription, a webhook payload) is shown only to those who
may read the object the event describes, by that object's rule (`Readers`); the text of
a deleted comment only to admins.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from schema.errors import Problem
from schema.models import Model
from schema.text import Name, Slug

Role = StrEnum("Role", "ADMIN CO_CHAIR SIGNATORY IMPORTER")


class ApiToken(Model):
    """A stored token: only the hash of its secret is kept."""

    id: Slug
    name: Name
    role: Role
    working_groups: list[Slug] = Field(default_factory=list)
    signatory: Slug | None = None
    hash: str = Field(min_length=64, max_length=64)
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Actor:
    """Who is asking: a token's holder, or nobody (anonymous)."""

    name: str
    role: Role | None
    working_groups: frozenset[str] = field(default_factory=frozenset)
    signatory: str | None = None
    token_id: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.role is None


ANONYMOUS = Actor(name="anonymous", role=None)


class Action(StrEnum):
    """Every change the API offers, as the permission rules name it."""

    CREATE_INITIATIVE = "create_initiative"
    EDIT_INITIATIVE = "edit_initiative"
    TRACK_INITIATIVE = "track_initiative"
    DECIDE_DUPLICATE = "decide_duplicate"
    MERGE_INITIATIVES = "merge_initiatives"
    DECIDE_MAPPING = "decide_mapping"
    ACCEPT_TOPICS = "accept_topics"
    REFRESH_ANALYSIS = "refresh_analysis"
    MANAGE_MEMBERS = "manage_members"
    CREATE_SIGNATORY = "create_signatory"
    EDIT_SIGNATORY = "edit_signatory"
    CREATE_WORKING_GROUP = "create_working_group"
    EDIT_WORKING_GROUP = "edit_working_group"
    EDIT_TOPIC = "edit_topic"
    IMPORT_RECOMMENDATIONS = "import_recommendations"
    IMPORT_REGISTRY_DATA = "import_registry_data"
    IMPORT_SPREADSHEET = "import_spreadsheet"
    PROPOSE_INITIATIVE = "propose_initiative"
    DECIDE_PROPOSAL = "decide_proposal"
    WITHDRAW_PROPOSAL = "withdraw_proposal"
    MANAGE_CALLS = "manage_calls"
    COMMENT = "comment"
    MANAGE_WEBHOOKS = "manage_webhooks"
    MODERATE_COMMENTS = "moderate_comments"
    REVISE_PROPOSAL = "revise_proposal"
    ANSWER_INVITATION = "answer_invitation"


# Import runs name token holders: like the audit trail, not for everyone who reads.
IMPORT_HISTORY_READERS: tuple[Role, ...] = (Role.ADMIN, Role.CO_CHAIR, Role.IMPORTER)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about the records a change touches.

    `groups` holds, for each record involved, the working groups it belongs to (for an
    initiative: those tracking it; for a recommendation: those tracking an initiative
    implementing it; for a group: itself). `leads` holds the signatories leading each
    initiative involved. A rule requiring "every record" uses all of them. For a change
    of a proposal, `target_group` is the group it is addressed to and `signatory` the
    signatory it was made for.
    """

    groups: tuple[frozenset[str], ...] = ()
    leads: tuple[frozenset[str], ...] = ()
    signatory: str | None = None
    new_lead: str | None = None
    new_groups: frozenset[str] = frozenset()
    proposing: bool = True
    target_group: str | None = None
    new_contributors: frozenset[str] = frozenset()


# Changes made in someone's own name: see `allowed`.
_OWN_WORDS = (Action.REVISE_PROPOSAL, Action.ANSWER_INVITATION)


def _within(actor: Actor, groups: Iterable[frozenset[str]], *, every: bool) -> bool:
    hits = [bool(g & actor.working_groups) for g in groups]
    return bool(hits) and (all(hits) if every else any(hits))


def allowed(actor: Actor, action: Action, facts: Facts) -> bool:
    """The permission matrix; see the module docstring."""
    if action in _OWN_WORDS:
        # A proposal's message speaks for its organisation, an invitation is answered by
        # the one invited: nobody else, an admin included, acts in their name.
        own = actor.signatory is not None and facts.signatory == actor.signatory
        return actor.role is Role.SIGNATORY and own
    if actor.role is Role.ADMIN:
        return True
    if action in (Action.COMMENT, Action.MODERATE_COMMENTS):
        return _discusses(actor, facts, moderating=action is Action.MODERATE_COMMENTS)
    if actor.role is Role.CO_CHAIR:
        if action is Action.DECIDE_PROPOSAL:
            return facts.target_group in actor.working_groups
        if action in (Action.PROPOSE_INITIATIVE, Action.WITHDRAW_PROPOSAL):
            # On a signatory's behalf, only for an initiative its groups already track:
            # proposing another group's initiative to its own group and accepting it
            # would be the takeover that tracking by link is refused for.
            return _within(actor, facts.groups, every=False)
        if action is Action.CREATE_INITIATIVE:
            return bool(facts.new_groups) and facts.new_groups <= actor.working_groups
        if action in (Action.EDIT_INITIATIVE, Action.DECIDE_DUPLICATE, Action.DECIDE_MAPPING):
            return _within(actor, facts.groups, every=False)
        if action in (
            # Tracking: the initiative is already tracked by one of its groups, and the
            # group it links is its own; so scope is never gained by linking.
            Action.TRACK_INITIATIVE,
            Action.MERGE_INITIATIVES,
            Action.MANAGE_MEMBERS,
            Action.EDIT_WORKING_GROUP,
            Action.MANAGE_CALLS,
            Action.MANAGE_WEBHOOKS,
        ):
            return _within(actor, facts.groups, every=True)
        # A spreadsheet is then checked row by row (refused_sheet_rows). Accepting topic
        # suggestions tags shared reference data, and only with the topics suggested:
        # it gives no authority over any group's records.
        return action in (
            Action.REFRESH_ANALYSIS,
            Action.IMPORT_SPREADSHEET,
            Action.ACCEPT_TOPICS,
        )
    if actor.role is Role.SIGNATORY and actor.signatory:
        if action is Action.CREATE_INITIATIVE:
            # Other organisations are invited once it exists, never written in by another.
            others = facts.new_contributors - {actor.signatory}
            return (
                facts.new_lead == actor.signatory
                and not facts.new_groups
                and facts.proposing
                and not others
            )
        if action is Action.EDIT_INITIATIVE:
            return bool(facts.leads) and all(actor.signatory in lead for lead in facts.leads)
        if action is Action.EDIT_SIGNATORY:
            return facts.signatory == actor.signatory
        if action is Action.PROPOSE_INITIATIVE:
            leads = bool(facts.leads) and all(actor.signatory in lead for lead in facts.leads)
            return leads and facts.signatory == actor.signatory
        if action is Action.WITHDRAW_PROPOSAL:
            return facts.signatory == actor.signatory
        return False
    if actor.role is Role.IMPORTER:
        return action in (
            Action.REFRESH_ANALYSIS,
            Action.IMPORT_RECOMMENDATIONS,
            Action.ACCEPT_TOPICS,
        )
    return False


def proposal_readers(actor: Actor) -> tuple[bool, frozenset[str], str | None]:
    """Which proposals the actor may read: (all of them, those addressed to these groups,
    those made for this signatory). Proposals carry messages and reasons meant for the
    group and the proposer, not for every reader of the registry."""
    if actor.role is Role.ADMIN:
        return True, frozenset(), None
    if actor.role is Role.CO_CHAIR:
        return False, actor.working_groups, None
    if actor.role is Role.SIGNATORY:
        return False, frozenset(), actor.signatory
    return False, frozenset(), None


def _discusses(actor: Actor, facts: Facts, *, moderating: bool) -> bool:
    """A stake in the thing discussed: see the module docstring."""
    if actor.role is Role.CO_CHAIR:
        return _within(actor, facts.groups, every=False) or (
            facts.target_group in actor.working_groups
        )
    if actor.role is Role.SIGNATORY and actor.signatory and not moderating:
        leads = any(actor.signatory in lead for lead in facts.leads)
        return leads or facts.signatory == actor.signatory
    return False


def may_follow(actor: Actor, group: str, members: frozenset[str]) -> bool:
    """Whether the actor reads a group's activity feed (its part of the audit trail): admins,
    the group's co-chairs, and signatories among its `members`."""
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.CO_CHAIR:
        return group in actor.working_groups
    return actor.role is Role.SIGNATORY and actor.signatory in members


class Readers(StrEnum):
    """Whose read rule the text of an event follows: that of the object it describes."""

    PUBLIC = "public"  # registry records, calls, decisions: whoever reads the feed or log
    PROPOSAL = "proposal"  # a proposal's message and reason: see proposal_readers
    THREAD = "thread"  # a comment: those with a stake in its thread
    INVITATION = "invitation"  # a pending contributor: the initiative's side and the invited
    WEBHOOK = "webhook"  # a hook's URL (often a credential): those managing its group's hooks
    IMPORT = "import"  # an import run's file and ids: IMPORT_HISTORY_READERS
    ADMINS = "admins"  # API tokens, and anything whose rule is unknown


class Described(Model):
    """What the read rule needs about the object an event describes, as it is now: for a
    proposal its group (`target_group`) and proposer (`signatory`); for a comment the facts
    of its thread and whether it was `deleted`; for a hook its group; for an invitation the
    initiative's groups and leads and the invited organisation (`signatory`)."""

    readers: Readers = Readers.ADMINS
    facts: Facts = Field(default_factory=Facts)
    deleted: bool = False


def may_read(actor: Actor, described: Described) -> bool:
    """Whether the actor may read the object an event describes (see `Readers`)."""
    if actor.role is Role.ADMIN:
        return True
    facts, rule = described.facts, described.readers
    if rule is Readers.PUBLIC:
        return True
    if rule is Readers.PROPOSAL:
        _, groups, signatory = proposal_readers(actor)
        mine = signatory is not None and facts.signatory == signatory
        return facts.target_group in groups or mine
    if rule is Readers.THREAD:
        return _discusses(actor, facts, moderating=False)
    if rule is Readers.INVITATION:
        if actor.role is Role.CO_CHAIR:
            return _within(actor, facts.groups, every=False)
        leads = any(actor.signatory in lead for lead in facts.leads)
        invited = actor.signatory is not None and facts.signatory == actor.signatory
        return actor.role is Role.SIGNATORY and (leads or invited)
    if rule is Readers.WEBHOOK:
        return actor.role is Role.CO_CHAIR and _within(actor, facts.groups, every=True)
    if rule is Readers.IMPORT:
        return actor.role in IMPORT_HISTORY_READERS
    return False


def shown_changes(actor: Actor, described: Described, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The before/after values of an event the actor may see: all of them when it may read
    the object; none otherwise, nor of a deleted comment (its text stays for admins)."""
    if not may_read(actor, described):
        return {}
    if described.deleted and actor.role is not Role.ADMIN:
        return {}
    return dict(changes)


def may_own_hook(owner: Actor, group: str | None) -> bool:
    """Whether a hook registered by `owner` (a valid token's holder) may still deliver:
    its owner still manages the hook's group's hooks (or every hook, for an admin)."""
    groups = (frozenset({group}),) if group else ()
    if not groups:
        return owner.role is Role.ADMIN
    return allowed(owner, Action.MANAGE_WEBHOOKS, Facts(groups=groups))


IMPORTING: tuple[Action, ...] = (
    Action.IMPORT_RECOMMENDATIONS,
    Action.IMPORT_SPREADSHEET,
    Action.IMPORT_REGISTRY_DATA,
)


def may_import(actor: Actor) -> bool:
    """Whether the actor may import some kind of file at all (before any is read)."""
    return any(allowed(actor, action, Facts()) for action in IMPORTING)


def refused_sheet_rows(
    actor: Actor,
    kind: str,
    rows: Sequence[tuple[int, Any]],
    tracked: Mapping[str, frozenset[str]],
) -> list[Problem]:
    """A problem for every spreadsheet row outside the actor's rights (coded, so a page
    says it in its language); empty when the whole sheet may be applied. `tracked` gives
    the groups tracking each initiative that already exists. The row rules are those of
    the matching mutations."""
    if actor.role is Role.ADMIN:
        return []
    refused: list[Problem] = []

    def refuse(row: int, why: str, code: str, **context: str) -> None:
        refused.append(Problem(why, row=row, kind=code, context=tuple(context.items())))

    for row, record in rows:
        if kind == "memberships":
            group = frozenset({record.working_group_id})
            if not allowed(actor, Action.MANAGE_MEMBERS, Facts(groups=(group,))):
                refuse(row, f"working group '{record.working_group_id}' is not yours",
                       "sheet_group_not_yours", group=record.working_group_id)  # fmt: skip
        elif kind == "initiatives":
            named = tuple(frozenset({g}) for g in record.working_groups)
            if record.id not in tracked:
                new = Facts(new_groups=frozenset(record.working_groups))
                if not allowed(actor, Action.CREATE_INITIATIVE, new):
                    refuse(row, "a new initiative must name working groups, all of them yours",
                           "sheet_new_not_yours")  # fmt: skip
            elif not allowed(actor, Action.EDIT_INITIATIVE, Facts(groups=(tracked[record.id],))):
                refuse(row, f"initiative '{record.id}' is not tracked by your groups",
                       "sheet_initiative_not_yours", id=record.id)  # fmt: skip
            elif named and not allowed(actor, Action.TRACK_INITIATIVE, Facts(groups=named)):
                refuse(row, "links the initiative to a working group that is not yours",
                       "sheet_link_not_yours")  # fmt: skip
        else:
            refuse(row, f"{kind} sheets need an admin token", "sheet_needs_admin", sheet=kind)
    return refused


TOKEN_PREFIX = "pct_"


def new_secret() -> str:
    """A token as handed to its holder: a prefix (to spot leaks) and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def actor_of(token: ApiToken) -> Actor:
    return Actor(
        name=token.name,
        role=token.role,
        working_groups=frozenset(token.working_groups),
        signatory=token.signatory,
        token_id=token.id,
    )


def token_problem(token: ApiToken | None, now: datetime) -> str | None:
    """Why a presented token cannot be used, or None when it can."""
    if token is None:
        return "unknown API token"
    if token.revoked_at is not None:
        return f"API token '{token.name}' was revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return f"API token '{token.name}' expired"
    return None
