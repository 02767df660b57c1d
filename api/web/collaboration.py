"""What the group page shows of the group's collaboration: its calls for contributions,
the proposals the reader may see (with their threads), what the reader could propose,
and the group's activity. Read through the same use cases and rules as GraphQL; the
buttons post to GraphQL (static/collab.js)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.markdown import render
from graph.access.facts import Scope, facts_of
from graph.audit import reading
from graph.browse import repository as browse
from graph.collaboration import repository as proposals
from graph.discussion import repository as comments
from graph.relationships import repository as relationships
from graph.store import GraphStore
from schema.access import Action, Actor, Facts, allowed, may_follow, proposal_readers
from schema.collaboration import Call, CallState, Proposal, ProposalState
from schema.discussion import Comment, SubjectKind, subject_key

# The page shows the newest ones; the API pages through all of them.
SHOWN = 50
ACTIVITY_SHOWN = 15


@dataclass
class CallView:
    call: Call
    topics: list[tuple[str, int]]  # (topic name, live answers)

    @property
    def missing(self) -> list[str]:
        return [name for name, answers in self.topics if answers == 0]


@dataclass
class ProposalView:
    proposal: Proposal
    initiative: str
    proposer: str
    call: str | None
    thread: list[Comment]
    may_decide: bool
    may_withdraw: bool


@dataclass
class Desk:
    calls: list[CallView] = field(default_factory=list)
    proposals: list[ProposalView] = field(default_factory=list)
    sees_proposals: bool = False
    may_open_call: bool = False
    may_propose: bool = False
    proposable: list[dict[str, Any]] = field(default_factory=list)
    activity: list[dict[str, Any]] | None = None


def comment_html(comment: Comment) -> str:
    """A comment's body rendered safely (see api/markdown.py)."""
    return render(comment.body)


def desk(store: GraphStore, wg: str, actor: Actor, lang: str) -> Desk:
    """Everything the group page shows of the group's collaboration, for this reader."""
    out = Desk()
    out.may_open_call = allowed(actor, Action.MANAGE_CALLS, Facts(groups=(frozenset({wg}),)))
    calls = proposals.calls(store, skip=0, limit=SHOWN, group=wg, state=None)
    topic_ids = sorted({t for c in calls for t in c.topics})
    topic_names = {
        id: row.get(f"name_{lang}") or row.get("name_en") or id
        for id, row in browse.by_ids(store, "Topic", topic_ids).items()
    }
    for call in calls:
        coverage = proposals.call_coverage(store, call.id)
        named = [(topic_names.get(t, t), coverage.get(t, 0)) for t in call.topics]
        out.calls.append(CallView(call=call, topics=named))
    everything, groups, signatory = proposal_readers(actor)
    out.sees_proposals = everything or wg in groups or signatory is not None
    if out.sees_proposals:
        found = proposals.proposals(store, actor, skip=0, limit=SHOWN, group=wg)
        out.proposals = _proposal_views(store, found, actor, calls)
    if actor.signatory:
        taken = {
            p.proposal.initiative_id
            for p in out.proposals
            if p.proposal.state is ProposalState.OPEN
        }
        out.proposable = [
            row for row in proposals.led_by(store, actor.signatory)
            if wg not in row["groups"] and row["id"] not in taken
        ]  # fmt: skip
        out.may_propose = True
    members = frozenset(m.signatory_id for m in relationships.memberships(store, wg))
    if may_follow(actor, wg, members):
        out.activity = reading.log(store, actor, scope=[wg], skip=0, limit=ACTIVITY_SHOWN)
        for event in out.activity:
            event["label"] = event_label(event)
        names = _target_names(store, {t for e in out.activity for t in e.get("targets", [])})
        for event in out.activity:
            said = [names[t] for t in event.get("targets", []) if t in names]
            event["named"] = list(dict.fromkeys(said))
    return out


def event_label(event: dict[str, Any]) -> str:
    """The i18n key saying what an event did: `act_<its name>` (schema.events.AuditAction;
    the reading service names events of earlier versions by what they did)."""
    return f"act_{event.get('action', '')}"


def _target_names(store: GraphStore, ids: set[str]) -> dict[str, str]:
    """Readable names of an event's targets: initiatives and calls by their titles, and a
    proposal (or a comment on one) by its initiative's title."""
    wanted = sorted(ids)
    names = {id: row["title"] for id, row in browse.by_ids(store, "Initiative", wanted).items()}
    names |= {id: row["title"] for id, row in browse.by_ids(store, "Call", wanted).items()}
    offered = browse.by_ids(store, "Proposal", wanted)
    offered_ids = sorted({p["initiative_id"] for p in offered.values()})
    titles = browse.by_ids(store, "Initiative", offered_ids)
    for id, row in offered.items():
        if row["initiative_id"] in titles:
            names[id] = titles[row["initiative_id"]]["title"]
    return names


def pair_thread(store: GraphStore, a: str, b: str, actor: Actor) -> list[Comment] | None:
    """The discussion of a duplicate pair, or None when the reader has no stake in it."""
    if a == b:
        return None
    return _thread(store, actor, SubjectKind.PAIR, [a, b])


def initiative_thread(store: GraphStore, id: str, actor: Actor) -> list[Comment] | None:
    """The discussion of one initiative, or None when the reader has no stake in it."""
    return _thread(store, actor, SubjectKind.INITIATIVE, [id])


def _thread(
    store: GraphStore, actor: Actor, kind: SubjectKind, ids: list[str]
) -> list[Comment] | None:
    """The rule of the GraphQL `comments` field: who may comment on a thing reads it."""
    if actor.anonymous:
        return None
    if not allowed(actor, Action.COMMENT, facts_of(store, Scope(initiatives=tuple(ids)))):
        return None
    return comments.thread(store, subject_key(kind, ids), skip=0, limit=SHOWN)


def _proposal_views(
    store: GraphStore, found: list[Proposal], actor: Actor, calls: list[Call]
) -> list[ProposalView]:
    titles = browse.by_ids(store, "Initiative", sorted({p.initiative_id for p in found}))
    names = browse.by_ids(store, "Signatory", sorted({p.proposer for p in found}))
    call_titles = {c.id: c.title for c in calls}
    views = []
    for p in found:
        facts = Facts(target_group=p.working_group_id, signatory=p.proposer)
        is_open = p.state is ProposalState.OPEN
        thread = comments.thread(
            store, subject_key(SubjectKind.PROPOSAL, [p.id]), skip=0, limit=SHOWN
        )
        views.append(
            ProposalView(
                proposal=p,
                initiative=titles.get(p.initiative_id, {}).get("title", p.initiative_id),
                proposer=names.get(p.proposer, {}).get("name", p.proposer),
                call=call_titles.get(p.call_id) if p.call_id else None,
                thread=thread,
                may_decide=is_open and allowed(actor, Action.DECIDE_PROPOSAL, facts),
                may_withdraw=is_open and actor.signatory == p.proposer,
            )
        )
    return views


def open_calls(view: Desk) -> list[Call]:
    return [c.call for c in view.calls if c.call.state is CallState.OPEN]
