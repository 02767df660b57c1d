"""The audit trail as an actor may read it: a group's feed, the audit log, its export,
and the facts an event carries to subscribers and hooks.

Each event's text (its before/after values) follows the read rule of the object the
event describes (schema.access.may_read), judged on that object as it is now: a
proposal's message by the proposal's readers, a comment by its thread's (and only by
admins once deleted), a hook's URL by those who manage the group's hooks. Every door
that returns events asks `readable`; nothing returns stored events another way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.access import repository as access
from graph.access.facts import Scope, thread_scope
from graph.audit import repository as audit_log
from graph.browse import repository as browse
from graph.invitations import repository as invitation_repo
from graph.store import GraphStore
from schema.access import Actor, Described, Facts, Readers, may_read, shown_changes
from schema.collaboration import Invitation
from schema.events import readers_of, true_name

# Objects looked up per page of events, by the rule their events follow.
_LOOKED_UP = {
    Readers.PROPOSAL: "Proposal",
    Readers.THREAD: "Comment",
    Readers.WEBHOOK: "Webhook",
    Readers.INVITATION: "Invitation",
}
EXPORT_BATCH = 500


def described(store: GraphStore, events: Sequence[Mapping[str, Any]]) -> list[Described]:
    """The facts of the object each event describes, in a few reads for a whole page."""
    rules = [readers_of(str(e.get("action", ""))) for e in events]
    objects = _Objects.read(store, events, rules)
    return [objects.describe(e, rule) for e, rule in zip(events, rules, strict=True)]


@dataclass
class _Objects:
    """The proposals, comments (and their threads), hooks and invitations a page of
    events describes, with the groups and leads of the initiatives they concern."""

    found: dict[Readers, dict[str, dict[str, Any]]]
    threads: dict[str, Scope]
    known: dict[str, tuple[frozenset[str], frozenset[str]]]

    @classmethod
    def read(
        cls, store: GraphStore, events: Sequence[Mapping[str, Any]], rules: Sequence[Readers]
    ) -> _Objects:
        found: dict[Readers, dict[str, dict[str, Any]]] = {}
        for rule, label in _LOOKED_UP.items():
            targets = [
                e.get("targets", []) for e, r in zip(events, rules, strict=True) if r is rule
            ]
            ids = sorted({t for these in targets for t in these})
            found[rule] = browse.by_ids(store, label, ids) if ids else {}
        threads = {id: thread_scope(str(c["subject"])) for id, c in found[Readers.THREAD].items()}
        proposals = {s.proposal for s in threads.values() if s.proposal}
        more = sorted(proposals - set(found[Readers.PROPOSAL]))
        if more:
            found[Readers.PROPOSAL] |= browse.by_ids(store, "Proposal", more)
        initiatives = {p["initiative_id"] for p in found[Readers.PROPOSAL].values()}
        initiatives |= {i["initiative_id"] for i in found[Readers.INVITATION].values()}
        initiatives |= {i for s in threads.values() for i in s.initiatives}
        known = access.initiative_facts(store, sorted(initiatives)) if initiatives else {}
        return cls(found, threads, known)

    def describe(self, event: Mapping[str, Any], rule: Readers) -> Described:
        """The first target of the event that is an object of its rule tells the facts."""
        objects = self.found.get(rule, {})
        hits = [objects[t] for t in event.get("targets", []) if t in objects]
        if not hits:
            # The rule alone decides (public records, imports, tokens); an object of its
            # rule that is gone leaves no facts, and only admins read its text.
            return Described(readers=rule)
        hit = hits[0]
        if rule is Readers.PROPOSAL:
            return Described(readers=rule, facts=self._proposal(hit))
        if rule is Readers.THREAD:
            deleted = hit.get("deleted_at") is not None
            return Described(readers=rule, facts=self._thread(hit["id"]), deleted=deleted)
        if rule is Readers.WEBHOOK:
            group = hit.get("working_group_id")
            return Described(
                readers=rule, facts=Facts(groups=(frozenset({group}),) if group else ())
            )
        facts = self._about([hit["initiative_id"]], signatory=hit["signatory_id"])
        return Described(readers=rule, facts=facts)  # an invitation

    def _about(self, ids: Sequence[str], **extra: Any) -> Facts:
        empty: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        facts = [self.known.get(i, empty) for i in ids]
        return Facts(groups=tuple(f[0] for f in facts), leads=tuple(f[1] for f in facts), **extra)

    def _proposal(self, row: Mapping[str, Any]) -> Facts:
        group, proposer = row["working_group_id"], row["proposer"]
        return self._about([row["initiative_id"]], signatory=proposer, target_group=group)

    def _thread(self, comment: str) -> Facts:
        scope = self.threads[comment]
        if scope.proposal is None:
            return self._about(scope.initiatives)
        row = self.found[Readers.PROPOSAL].get(scope.proposal)
        return self._proposal(row) if row else Facts()


def readable(
    store: GraphStore, actor: Actor, events: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """`events` as `actor` may read them: each under its true name (schema.events.
    true_name), with only the changes it may see."""
    named = [
        {**event, "action": true_name(str(event.get("action", "")), event.get("changes") or {})}
        for event in events
    ]
    return [
        {**event, "changes": shown_changes(actor, facts, event.get("changes") or {})}
        for event, facts in zip(named, described(store, named), strict=True)
    ]


def log(
    store: GraphStore, reader: Actor, *, skip: int, limit: int, **filters: Any
) -> list[dict[str, Any]]:
    """A page of the audit log (graph.audit.repository.events, whose `actor` filter
    is who made the changes) as `reader` may read it."""
    return readable(store, reader, audit_log.events(store, skip=skip, limit=limit, **filters))


def count(store: GraphStore, reader: Actor, **filters: Any) -> int:
    """How many events the log holds for these filters (`reader` sees each, redacted)."""
    return audit_log.count(store, **filters)


def export(store: GraphStore, actor: Actor) -> Iterator[dict[str, Any]]:
    """Every event, oldest first, as `actor` reads it."""
    batch: list[dict[str, Any]] = []
    for event in audit_log.export(store):
        batch.append(event)
        if len(batch) == EXPORT_BATCH:
            yield from readable(store, actor, batch)
            batch = []
    yield from readable(store, actor, batch)


def invitations(store: GraphStore, actor: Actor, **filters: Any) -> list[Invitation]:
    """Invitations matching `filters` that `actor` may read: the rule of their events
    (the invited organisation, the initiative's leads and its groups' co-chairs)."""
    found = invitation_repo.invitations(store, **filters)
    known = access.initiative_facts(store, sorted({v.initiative_id for v in found}))
    empty: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())

    def facts(v: Invitation) -> Facts:
        groups, leads = known.get(v.initiative_id, empty)
        return Facts(groups=(groups,), leads=(leads,), signatory=v.signatory_id)

    return [
        v for v in found if may_read(actor, Described(readers=Readers.INVITATION, facts=facts(v)))
    ]
