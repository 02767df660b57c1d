"""Mutations run through here: the actor is checked against the permission rules with
the facts of the records the change touches, then the use case runs with its audit
draft open, so its write carries the event (see graph/audit.py), recorded under the
change's own name (schema.events.AuditAction), which every mutation declares."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Optional, Self, TypeVar, cast

import strawberry

from api.graphql.context import Context
from api.graphql.outcomes import ForbiddenError, MutationError, attempt
from graph import audit
from graph.access.facts import Scope, facts_of
from graph.audit import reading
from graph.store import GraphStore
from schema.access import Action, Actor, Described, Facts, Role, allowed
from schema.access_checks import Guarded, check
from schema.errors import PariscallError
from schema.events import AuditAction, Event, kind_of

T = TypeVar("T")
log = logging.getLogger("pariscall.events")


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


async def guarded(
    ctx: Context,
    action: Action,
    scope: Scope,
    records: AuditAction,
    fn: Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> tuple[T | None, list[MutationError]]:
    """Check, then run the use case with its audit draft; see the module docstring."""
    actor = ctx.actor
    check(actor, Guarded.CHANGE)
    role = cast(Role, actor.role)
    facts, errors = await attempt(ctx, facts_of, scope)
    if facts is None:
        return None, errors
    touched = {g for group in facts.groups for g in group} | set(facts.new_groups)
    if facts.target_group:
        touched.add(facts.target_group)
    if not allowed(actor, action, facts):
        return None, [ForbiddenError(message=refusal(actor, action, touched, facts))]

    # The audit event the change wrote, for the notification of it.
    written: list[dict[str, Any]] = []

    def call(store: GraphStore, *a: Any, **kw: Any) -> T:
        with audit.auditing(
            actor=actor.name, role=role.value, action=records.value, request_id=ctx.request_id
        ) as draft:
            audit.note_targets(working_groups=sorted(touched))
            result = fn(store, *a, **kw)
            if draft.last is not None:
                written.append(draft.last)
            return result

    result, errors = await attempt(ctx, call, *args, **kwargs)
    if written and not errors and ctx.events is not None:
        concerned = {s for lead in facts.leads for s in lead}
        if facts.signatory:
            concerned.add(facts.signatory)
        audited = written[-1]
        try:
            [described] = await ctx.run(reading.described, [audited])
        except PariscallError as exc:  # the change is made: only its notification is lost
            log.warning("event %s not announced: %s", audited["id"], exc)
            return result, errors
        event = event_of(audited, signatories=concerned, described=described)
        await ctx.events.announce(event)
    return result, errors


def event_of(audited: dict[str, Any], *, signatories: set[str], described: Described) -> Event:
    """What subscribers and webhooks hear of an audit event (see schema/events.py), with
    the facts of the object it describes, for the read rule."""
    return Event(
        id=audited["id"],
        kind=kind_of(audited["action"]),
        at=audited["at"],
        actor=audited["actor"],
        action=audited["action"],
        targets=list(audited["targets"]),
        working_groups=list(audited["working_groups"]),
        signatories=sorted(signatories),
        described=described,
    )


@dataclass(frozen=True)
class Change:
    """The use case a mutation asks for: `fn(store, *args, **kwargs)`, run by `guard` once
    the actor may make it. A mutation whose scope needs a read (the group of a comment's
    thread) or the actor names it here with `within`, overriding its decorator's; one
    that makes one of several changes names the one it records with `named`."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    action: Action | None = None
    scope: Scope | None = None
    records: AuditAction | None = None

    def within(self, scope: Scope, action: Action | None = None) -> Change:
        return replace(self, scope=scope, action=action or self.action)

    def named(self, records: AuditAction) -> Change:
        return replace(self, records=records)


def change(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Change:
    return Change(fn, args, kwargs)


class Payload:
    """What every mutation answers: its result (built by `of`) and its errors."""

    @classmethod
    def of(cls, result: Any, errors: list[MutationError]) -> Self:
        raise NotImplementedError


P = TypeVar("P", bound=Payload)
Resolver = Callable[..., Awaitable["Change | Payload"]]
# The action a mutation needs, or a rule choosing it with the scope from the arguments.
Rule = Callable[..., tuple[Action, Scope]]


def _no_scope(**_: Any) -> Scope:
    return Scope()


def guard(
    action: Action | Rule,
    scope: Callable[..., Scope] = _no_scope,
    *,
    records: AuditAction,
    returns: type[P],
) -> Callable[[Resolver], Callable[..., Awaitable[P]]]:
    """Make a mutation of a resolver that says which use case to run (a `Change`).

    `scope` (or the rule given as `action`) reads the mutation's arguments by name (and
    `info`) and says which records the change touches; `records` is the name the audit
    trail records the change under (unless the resolver's `Change` names another);
    `guarded` checks the actor against them, runs the use case with its audit draft, and
    `returns.of` builds the answer. A
    resolver may answer a payload itself (an error found before any change). The schema
    sees the resolver's arguments and `returns` as its type.
    """

    def decorate(resolver: Resolver) -> Callable[..., Awaitable[P]]:
        @functools.wraps(resolver)
        async def mutation(self: Any, info: Any, **arguments: Any) -> P:
            todo = await resolver(self, info, **arguments)
            if isinstance(todo, Payload):
                return cast(P, todo)
            if isinstance(action, Action):
                needed, touched = action, scope(info=info, **arguments)
            else:
                needed, touched = action(info=info, **arguments)
            needed = todo.action or needed
            touched = todo.scope or touched
            name = todo.records or records
            result, errors = await guarded(
                info.context, needed, touched, name, todo.fn, *todo.args, **todo.kwargs
            )
            return returns.of(result, errors)

        signature = inspect.signature(resolver)
        mutation.__signature__ = signature.replace(  # type: ignore[attr-defined]
            return_annotation=returns
        )
        return mutation

    return decorate


def record_payload(
    name: str, field_name: str, shown: type[Any], make: Callable[[Any], Any]
) -> type[Payload]:
    """`{name}Payload { <field_name>: <shown>, errors }`, answering one record (or null
    when the change failed), built from the use case's result by `make`."""

    def of(cls: type[Payload], result: Any, errors: list[MutationError]) -> Any:
        return cls(**{field_name: make(result) if result is not None else None, "errors": errors})

    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__annotations__": {field_name: Optional[shown], "errors": list[MutationError]},  # noqa: UP045
        "of": classmethod(of),
    }
    return cast(type[Payload], strawberry.type(type(f"{name}Payload", (Payload,), namespace)))
