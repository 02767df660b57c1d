"""The GraphQL side of a mutation: the resolver names its use case (a `Change`), the
use-case runner (graph/usecases.py) checks the actor against the one policy and runs the
change in its unit of work, recorded under the change's own name
(schema.events.AuditAction), which every mutation declares; here its errors become the
payload's and the event it wrote is announced to subscribers and webhooks."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Optional, Self, TypeVar, cast

import strawberry

from api.graphql.context import Context
from api.graphql.outcomes import MutationError, attempt
from graph import usecases
from graph.access.facts import Scope
from graph.audit import UnitOfWork, reading
from schema.access import Action, Described
from schema.errors import PariscallError
from schema.events import AuditAction, Event, kind_of

T = TypeVar("T")
log = logging.getLogger("pariscall.events")


async def guarded(
    ctx: Context,
    action: Action,
    scope: Scope,
    records: AuditAction,
    fn: Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> tuple[T | None, list[MutationError]]:
    """Run the use case `fn(work, *args, **kwargs)` through the runner, as the request's
    actor; announce the event it wrote."""

    def change(work: UnitOfWork) -> T:
        return fn(work, *args, **kwargs)

    done, errors = await attempt(
        ctx, usecases.run, ctx.actor, action=action, scope=scope, records=records,
        change=change, request_id=ctx.request_id,
    )  # fmt: skip
    if done is None:
        return None, errors
    if done.event is not None and ctx.events is not None:
        facts = done.facts
        concerned = {s for lead in facts.leads for s in lead}
        if facts.signatory:
            concerned.add(facts.signatory)
        audited = done.event
        try:
            [described] = await ctx.run(reading.described, [audited])
        except PariscallError as exc:  # the change is made: only its notification is lost
            log.warning("event %s not announced: %s", audited["id"], exc)
            return done.result, errors
        event = event_of(audited, signatories=concerned, described=described)
        await ctx.events.announce(event)
    return done.result, errors


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
    """The use case a mutation asks for: `fn(work, *args, **kwargs)` with the change's
    unit of work, run by `guard` once the actor may make it. A mutation whose scope
    needs a read (the group of a comment's thread) or the actor names it here with
    `within`, overriding its decorator's; one that makes one of several changes names
    the one it records with `named`."""

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
    `guarded` has the runner check the actor against them and run the use case in its
    unit of work, and
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
