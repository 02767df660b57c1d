"""The use-case runner the doors call: GraphQL (over HTTP and WebSocket), the pages, the
command line and the importers. (An upload's use case, importers/uploaded.py, asks the
same policy before its import starts; the importer opens the unit of work once the file
says which change it records.)

A change is asked for by an explicit actor (schema.access.Actor). `run` asks the one
policy (schema.access.allowed) with the facts of the records the change touches as they
are now (graph/access/facts.py), refuses with the words every door shows (`refusal`),
then runs the change in its own `UnitOfWork` (graph/audit), recorded under the change's
name (schema.events.AuditAction), and returns what it made with the unit, which holds
the event it wrote. The machine's operator (the command line, no token) acts through
`operate`: it holds the graph itself, so no rule applies, but its changes are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from graph.access.facts import Scope, facts_of
from graph.audit import UnitOfWork
from graph.store import GraphStore
from schema.access import Action, Actor, Facts, Role, allowed
from schema.access_checks import Guarded, check
from schema.errors import Forbidden
from schema.events import AuditAction

T = TypeVar("T")
# The role the audit trail records for the machine's operator.
OPERATOR_ROLE = "cli"


@dataclass(frozen=True)
class Done(Generic[T]):
    """A change made: its use case's result, its unit of work (the event it wrote, if
    any, in `work.event`), and the facts it was allowed on (whom its event concerns)."""

    result: T
    work: UnitOfWork
    facts: Facts = field(default_factory=Facts)

    @property
    def event(self) -> dict[str, Any] | None:
        return self.work.event


def touched_groups(facts: Facts) -> set[str]:
    """The working groups a change concerns: those of its records, the ones it adds, and
    a proposal's target; its event is shown to them."""
    touched = {g for group in facts.groups for g in group} | set(facts.new_groups)
    if facts.target_group:
        touched.add(facts.target_group)
    return touched


def permit(store: GraphStore, actor: Actor, action: Action, scope: Scope) -> Facts:
    """The facts of the records the change touches, when `actor` may make it; otherwise
    Unauthenticated (no token) or Forbidden with `refusal`'s words. A record named but
    missing is NotFound before any rule applies."""
    check(actor, Guarded.CHANGE)
    facts = facts_of(store, scope)
    if not allowed(actor, action, facts):
        raise Forbidden(refusal(actor, action, touched_groups(facts), facts))
    return facts


def run(
    store: GraphStore,
    actor: Actor,
    *,
    action: Action,
    scope: Scope,
    records: AuditAction,
    change: Callable[[UnitOfWork], T],
    request_id: str | None = None,
) -> Done[T]:
    """Check `actor` may make the change (`permit`), then run it in its unit of work."""
    facts = permit(store, actor, action, scope)
    work = UnitOfWork(store, actor, records, request_id=request_id)
    work.note_targets(working_groups=sorted(touched_groups(facts)))
    return Done(change(work), work, facts)


def operate(
    store: GraphStore, operator: str, records: AuditAction, change: Callable[[UnitOfWork], T]
) -> Done[T]:
    """A change the machine's operator makes from the command line (named by its OS
    user, recorded with the role 'cli')."""
    work = UnitOfWork(store, Actor(name=operator, role=None), records, role=OPERATOR_ROLE)
    return Done(change(work), work)


def refusal(actor: Actor, action: Action, touched: set[str], facts: Facts | None = None) -> str:
    """Why a change is refused, naming what the token may act on and what the change
    concerns, so its holder knows which token (or which co-chair) to ask instead; for a
    signatory's own new initiative, what to change to be allowed."""
    assert actor.role is not None
    what = action.value.replace("_", " ")
    message = f"{actor.role.value} token '{actor.name}' may not {what} here"
    if actor.role is Role.CO_CHAIR:
        message += f": it acts for {', '.join(sorted(actor.working_groups))} only"
        if touched - actor.working_groups:
            message += f", and this concerns {', '.join(sorted(touched))}"
    elif actor.role is Role.SIGNATORY and actor.signatory:
        message += f": it acts for the signatory '{actor.signatory}' only"
        if action is Action.CREATE_INITIATIVE and facts is not None:
            message += "".join(f". {advice}" for advice in _own_initiative(actor.signatory, facts))
    return message


def _own_initiative(signatory: str, facts: Facts) -> list[str]:
    """What a signatory's token must change to create an initiative of its own."""
    advice = []
    if facts.new_lead != signatory:
        advice.append(
            f"Name '{signatory}' as its one LEAD contributor "
            f'(contributors: [{{signatory: "{signatory}", role: LEAD}}])'
        )
    if facts.new_contributors - {signatory}:
        advice.append(
            f"Name '{signatory}' alone: once it exists, setContributor invites each other "
            "organisation, which contributes when it accepts"
        )
    if not facts.proposing:
        advice.append("Leave its status PROPOSED: the groups that take it up decide the rest")
    if facts.new_groups:
        groups = sorted(facts.new_groups)
        advice.append(
            "A working group takes up an initiative through a proposal, which its co-chairs "
            "accept or decline: create it without workingGroups, then send "
            f'propose(input: {{initiative: "<its id>", workingGroup: "{groups[0]}"}}), or '
            f"use 'Propose one of your initiatives' on the group's page (/wg/{groups[0]})"
            + (f"; one proposal for each of {', '.join(groups)}" if len(groups) > 1 else "")
        )
    return advice
