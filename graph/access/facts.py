"""The facts the permission and read rules judge by (schema.access.Facts), gathered from
the graph as it is now: which groups track the initiatives a change or an event touches,
who leads them, and for a proposal its group and the organisation it was made for."""

from __future__ import annotations

from dataclasses import dataclass, replace

from graph.access import repository as access
from graph.collaboration import repository as proposals
from graph.merging import repository as merging
from graph.store import GraphStore
from schema.access import Facts
from schema.discussion import SubjectKind
from schema.errors import NotFound


@dataclass(frozen=True)
class Scope:
    """The records a change (or a thread) touches, as named in its input."""

    initiatives: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    signatory: str | None = None
    new_lead: str | None = None
    new_groups: tuple[str, ...] = ()
    new_contributors: tuple[str, ...] = ()
    proposing: bool = True
    unmerging: bool = False
    proposal: str | None = None
    call: str | None = None
    target_group: str | None = None


def thread_scope(subject: str) -> Scope:
    """The scope of a discussion thread, from its key (schema.discussion.subject_key)."""
    kind, _, rest = subject.partition(":")
    if kind == SubjectKind.PAIR:
        return Scope(initiatives=tuple(rest.split("|")))
    if kind == SubjectKind.PROPOSAL:
        return Scope(proposal=rest)
    return Scope(initiatives=(rest,))


def facts_of(store: GraphStore, scope: Scope) -> Facts:
    """Gather the facts; a record named but missing is NotFound before any rule applies."""
    if scope.proposal is not None:
        # A change of a proposal: judged by its initiative as it is now, its group and
        # the signatory it was made for, never by what the input says.
        found = proposals.facts(store, scope.proposal)
        if found is None:
            raise NotFound("proposal", scope.proposal)
        scope = replace(
            scope,
            initiatives=(found["initiative"],),
            signatory=found["proposer"],
            target_group=found["group"],
        )
    if scope.call is not None:
        group = proposals.call_group(store, scope.call)
        if group is None:
            raise NotFound("call", scope.call)
        scope = replace(scope, groups=(group,))
    initiatives = access.initiative_facts(store, scope.initiatives)
    for id in scope.initiatives:
        if id not in initiatives:
            raise NotFound("initiative", id)
    groups = [initiatives[id][0] for id in scope.initiatives]
    if scope.unmerging:
        # A merged initiative lost its links to the survivor: judge by the survivor's.
        record = merging.merge_record(store, scope.initiatives[0])
        if record:
            groups = [access.initiative_facts(store, [record]).get(record, (frozenset(), None))[0]]
    recommendations = access.recommendation_groups(store, scope.recommendations)
    for id in scope.recommendations:
        if id not in recommendations:
            raise NotFound("recommendation", id)
    groups += [recommendations[id] for id in scope.recommendations]
    groups += [frozenset({g}) for g in scope.groups]
    return Facts(
        groups=tuple(groups),
        leads=tuple(initiatives[id][1] for id in scope.initiatives),
        signatory=scope.signatory,
        new_lead=scope.new_lead,
        new_groups=frozenset(scope.new_groups),
        new_contributors=frozenset(scope.new_contributors),
        proposing=scope.proposing,
        target_group=scope.target_group,
    )
