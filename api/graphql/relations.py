"""Relation fields, made from the kinds' relations (schema/kinds.py).

`with_relations("Initiative")` gives the GraphQL type a field per relation the API
shows: a list, a page (a connection) or one node. Each answers from what its root
field's plan read (api.graphql.planning), or else reads the neighbour statement named
after the relation (`initiative_topics`) through the request's DataLoader. The types these
fields return are looked up in the module that defines the decorated type.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.executor import speculative
from api.graphql.loaders import neighbour_loader, node_loader
from api.graphql.pagination import Connection, connection, window
from api.graphql.planning import made, planned
from graph.planning.plan import Window
from schema import enums, kinds
from schema.relationships import Membership

T = TypeVar("T")

Pair = tuple[dict[str, Any], dict[str, Any]]


def related(
    info: Info[Context, None],
    name: str,
    this: Any,
    make: Callable[[dict[str, Any], dict[str, Any]], T],
    order: Callable[[Pair], Any] | None = None,
) -> list[T]:
    """The objects reached from `this` through the neighbour table entry `name`.

    When the root field's plan read them (api.graphql.planning) the list is returned at
    once; otherwise the request's DataLoader fetches them with the other keys of the
    level, and an awaitable is returned, which graphql-core awaits. The static type is
    the list the client receives: resolvers stay plain functions so that planned fields
    cost no coroutine, task or gather in the executor.
    """

    def objects(pairs: list[Pair]) -> list[T]:
        return [make(n, r) for n, r in (sorted(pairs, key=order) if order else pairs)]

    found = planned(this, info)
    if found is not None:
        return objects(found.pairs)

    async def later() -> list[T]:
        return objects(await neighbour_loader(info.context, name).load(this.id))

    return cast(list[T], later())


def related_page(
    info: Info[Context, None],
    name: str,
    this: Any,
    make: Callable[[dict[str, Any], dict[str, Any]], T],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """A page of `related`'s objects, by id, as a connection like the top-level lists:
    `first`/`after` bound what the client receives and `totalCount` counts them all.
    Only the page's objects are built. The plan's answer serves when it read this very
    window (an object reached twice may be asked for two windows)."""
    ctx = info.context
    at = window(ctx, first, after)
    found = planned(this, info)
    if found is not None and found.window == Window(at.offset, at.limit):
        pairs, counted = found.pairs, found.total

        async def count() -> int:
            if counted is not None:
                return counted
            return len(await neighbour_loader(ctx, name).load(this.id))

        return connection([make(n, r) for n, r in pairs], at, count_total=count)

    def page(pairs: list[Pair]) -> Connection[T]:
        total = len(pairs)

        async def count() -> int:
            return total

        shown = [make(n, r) for n, r in pairs[at.offset : at.offset + at.limit]]
        return connection(shown, at, count_total=count)

    async def later() -> Connection[T]:
        return page(await neighbour_loader(ctx, name).load(this.id))

    return cast(Connection[T], later())


# A membership stored without a role holds the model's default one.
_DEFAULT_ROLE = Membership.model_fields["role"].default

ROLE_ORDER = {
    enums.MemberRole.CO_CHAIR: 0,
    enums.MemberRole.MEMBER: 1,
    enums.MemberRole.OBSERVER: 2,
}


# Lists shown in an order of their own (the others come by id), on the (neighbour,
# relationship properties) pairs the plan or the loader read: the objects made from them
# (api/graphql/relations.py) and the answers written from them (api/graphql/projection.py)
# come in the same order.
_RANKS = {role.value: rank for role, rank in ROLE_ORDER.items()}


def _member_rank(role: Any) -> int:
    """A member's place by role: a stored role's value looked up as it is (no enum made
    per member), anything else as the enum reads it (or refuses it)."""
    rank = _RANKS.get(role) if type(role) is str else None
    return ROLE_ORDER[enums.MemberRole(role)] if rank is None else rank


ORDERS: dict[tuple[str, str], Callable[[Pair], Any]] = {
    ("WorkingGroup", "members"): lambda pair: (
        _member_rank(pair[1].get("role") or _DEFAULT_ROLE),
        pair[0]["id"],
    ),
}


@cache
def _type(module: str, name: str) -> Any:
    """The GraphQL type `name` of `module`, looked up when first needed (the types refer
    to each other before all of them are defined), then remembered."""
    return vars(sys.modules[module])[name]


def _far(label: str, module: str) -> Callable[[dict[str, Any]], Any]:
    """Build the GraphQL object of a kind from its row."""
    model = kinds.BY_LABEL[label].model
    return lambda row: made(_type(module, label), model, row)


def _item(
    relation: kinds.Relation, module: str
) -> Callable[[Any, dict[str, Any], dict[str, Any]], Any]:
    """`(this object, far row, relationship properties) -> what the field lists`."""
    far = _far(relation.far, module)
    edge = relation.shown_as_link
    if edge is None:
        return lambda this, row, rel: far(row)
    outgoing = relation.direction is kinds.OUT

    def item(this: Any, row: dict[str, Any], rel: dict[str, Any]) -> Any:
        other, between = far(row), _type(module, edge).between
        return between(rel, this, other, other) if outgoing else between(rel, other, this, other)

    return item


def _field(label: str, relation: kinds.Relation, module: str) -> Any:
    """The GraphQL field showing one relation, as the description says to show it; its
    type's name is resolved in `module`, like the rest of the type's annotations."""
    name = kinds.neighbour_name(label, relation.name)
    shown = relation.shown_as_link or relation.far
    info_type = Info[Context, None]
    resolve: Any
    if relation.shown is kinds.Shown.LIST:
        make, order = _item(relation, module), ORDERS.get((label, relation.name))

        def resolve(self: Any, info: Any) -> Any:
            return related(info, name, self, lambda n, rel: make(self, n, rel), order)

        resolve.__annotations__ = {"info": info_type, "return": f"list[{shown}]"}
        resolve = speculative(resolve)
    elif relation.shown is kinds.Shown.PAGE:
        make = _item(relation, module)

        def resolve(
            self: Any, info: Any, first: int | None = None, after: str | None = None
        ) -> Any:
            return related_page(info, name, self, lambda n, rel: make(self, n, rel), first, after)

        resolve.__annotations__ = {
            "info": info_type,
            "first": int | None,
            "after": str | None,
            "return": f"Connection[{shown}]",
        }
        resolve = speculative(resolve)
    else:
        key = relation.key
        far = _far(relation.far, module)

        def resolve(self: Any, info: Any) -> Any:
            found = planned(self, info)
            if found is not None:  # answered at once, as `related` answers a planned list
                return far(found.pairs[0][0]) if found.pairs else None

            async def later() -> Any:
                if key is not None:  # the far id is a property: read the node by id
                    row = await node_loader(info.context, relation.far).load(getattr(self, key))
                    return far(row) if row else None
                rows = await neighbour_loader(info.context, name).load(self.id)
                return far(rows[0][0]) if rows else None

            return later()

        resolve.__annotations__ = {"info": info_type, "return": f"{shown} | None"}
        resolve = speculative(resolve)
    resolve.__module__ = module
    resolve.__name__ = relation.name
    resolve.__qualname__ = f"{label}.{relation.name}"
    return strawberry.field(resolver=resolve, description=relation.description)


def with_relations(label: str) -> Callable[[type[T]], type[T]]:
    """Add the fields of a kind's relations (schema/kinds.py) to its GraphQL type."""

    def add(cls: type[T]) -> type[T]:
        for relation in kinds.BY_LABEL[label].relations:
            if relation.shown is not kinds.Shown.HIDDEN:
                setattr(cls, relation.name, _field(label, relation, cls.__module__))
        return cls

    return add
