"""What an initiative's page shows beyond its card: where a merged initiative went (and
what was merged into this one), its history for those who read the groups' activity, and
whether the reader may undo its merge. Read through the same rules as GraphQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.web.collaboration import event_label
from graph.access import repository as access
from graph.access.facts import Scope, facts_of
from graph.audit import reading
from graph.merging import repository as merging
from graph.relationships import repository as relationships
from graph.store import GraphStore
from schema.access import Action, Actor, Role, allowed, may_follow
from schema.analysis import Candidate

HISTORY_SHOWN = 20


@dataclass
class InitiativeView:
    merged_into: dict[str, Any] | None = None
    merged_from: list[dict[str, Any]] = field(default_factory=list)
    may_unmerge: bool = False
    history: list[dict[str, Any]] | None = None  # None: the reader may not read it


def view(store: GraphStore, id: str, actor: Actor) -> InitiativeView:
    out = InitiativeView(
        merged_into=merging.merged_into(store, id), merged_from=merging.merged_from(store, id)
    )
    if out.merged_into and not actor.anonymous:
        facts = facts_of(store, Scope(initiatives=(id,), unmerging=True))
        out.may_unmerge = allowed(actor, Action.MERGE_INITIATIVES, facts)
    # A merged initiative's groups went to the survivor: its history is theirs to read.
    held_by = out.merged_into["id"] if out.merged_into else id
    groups = access.initiative_facts(store, [held_by]).get(held_by, (frozenset(), None))[0]
    if _follows(store, actor, groups):
        out.history = reading.log(store, actor, target=id, skip=0, limit=HISTORY_SHOWN)
        for event in out.history:
            event["label"] = event_label(event)
    return out


@dataclass(frozen=True)
class PairState:
    """Where a duplicate pair stands (candidate, confirmed, rejected, or merged: one of
    the two merged into the other), and what the reader may do about it."""

    state: str
    merged: str | None  # the one merged into the other, when merged
    decide: bool
    merge: bool


def pair_state(
    store: GraphStore, a: str, b: str, pair: Candidate | None, actor: Actor
) -> PairState:
    merged = next(
        (x for x, y in ((b, a), (a, b)) if (merging.merged_into(store, x) or {}).get("id") == y),
        None,
    )
    state = "merged" if merged else (pair.status.value if pair else "candidate")
    if actor.anonymous:
        return PairState(state, merged, decide=False, merge=False)
    facts = facts_of(store, Scope(initiatives=(a, b)))
    may_merge = allowed(actor, Action.MERGE_INITIATIVES, facts)
    if merged:  # the merged one's groups are the survivor's now: judged as an unmerge
        unmerging = facts_of(store, Scope(initiatives=(merged,), unmerging=True))
        may_merge = allowed(actor, Action.MERGE_INITIATIVES, unmerging)
    return PairState(
        state, merged, decide=allowed(actor, Action.DECIDE_DUPLICATE, facts), merge=may_merge
    )


def _follows(store: GraphStore, actor: Actor, groups: frozenset[str]) -> bool:
    """Whether the reader reads the activity of one of these groups."""
    if actor.anonymous:
        return False
    if actor.role is Role.ADMIN:
        return True
    for group in sorted(groups):
        members = frozenset(m.signatory_id for m in relationships.memberships(store, group))
        if may_follow(actor, group, members):
            return True
    return False
