"""GraphQL object types for every node of the registry, navigable in both directions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, TypeVar, cast, get_args, get_origin

import strawberry
from pydantic import BaseModel
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.executor import speculative
from api.graphql.loaders import neighbour_loader, node_loader
from api.graphql.pagination import Connection, connection, window
from schema import enums, kinds

for _enum in (
    enums.SignatoryKind,
    enums.WorkingGroupStatus,
    enums.InitiativeStatus,
    enums.RecommendationStatus,
    enums.MemberRole,
    enums.ContributorRole,
    enums.MappingRelation,
    enums.MappingRationale,
    enums.DecisionStatus,
):
    strawberry.enum(_enum)

T = TypeVar("T")


def build(cls: type[T], model: type[BaseModel], row: dict[str, Any]) -> T:
    """Fill a GraphQL type from graph properties.

    Properties were validated by the domain models when they were written, so reading
    only converts the few typed ones (enums, dates) instead of validating every field
    again — a third of a large query's time. Anything unexpected falls back to full
    validation, which raises a clear error.
    """
    try:
        return cast(T, _maker(cast(Any, cls), model)(row))
    except (ValueError, TypeError, KeyError):
        known = model.model_fields
        parsed = model.model_validate({k: v for k, v in row.items() if k in known})
        fields = _field_converters(cast(Any, cls), model)
        return cls(**{name: getattr(parsed, name) for name, _ in fields})


@cache
def _maker(cls: Any, model: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """`row -> cls(...)` written out for the type, as dataclasses write their __init__: a
    value already of its field's plain type (most of them) is passed on without a call.
    A large read builds hundreds of objects; the generic loop was a sixth of its time."""
    fields = _field_converters(cls, model)
    lines = ["def make(row):", "    get = row.get"]
    namespace: dict[str, Any] = {"cls": cls}
    for index, (name, convert) in enumerate(fields):
        namespace[f"c{index}"] = convert
        lines.append(f"    v{index} = get({name!r})")
        exact = getattr(convert, "exact", None)
        if exact is not None:
            namespace[f"t{index}"] = exact
            lines.append(f"    if type(v{index}) is not t{index}:")
            lines.append(f"        v{index} = c{index}(v{index})")
        else:
            lines.append(f"    v{index} = c{index}(v{index})")
    arguments = ", ".join(f"{name}=v{index}" for index, (name, _) in enumerate(fields))
    lines.append(f"    return cls({arguments})")
    exec(compile("\n".join(lines), f"<build {cls.__name__}>", "exec"), namespace)
    return cast(Callable[[dict[str, Any]], Any], namespace["make"])


@cache
def _field_converters(
    cls: Any, model: type[BaseModel]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each data field of the GraphQL type with the converter of its stored value; a field
    the model does not know raises KeyError, which falls back to validation."""
    converters = _converters(model)
    return tuple((name, converters.get(name, _unknown)) for name in _plain_fields(cls))


def _unknown(value: Any) -> Any:
    raise KeyError("not a field of the model")


def _converter(annotation: Any, default: Any) -> Callable[[Any], Any]:
    """How to turn a stored value into the field's Python value (None keeps the default)."""
    options = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    target = options[0] if len(options) == 1 else None
    if get_origin(target) is Annotated:
        target = get_args(target)[0]
    if get_origin(target) is list:

        def listed(v: Any) -> Any:
            if v is None:
                return default
            if not isinstance(v, list):
                raise TypeError(v)
            return list(v)

        return listed
    if isinstance(target, type) and issubclass(target, Enum):
        enum = target
        members = enum._value2member_map_  # value -> member, what enum(v) looks up first

        def member(v: Any) -> Any:
            if v is None:
                return default
            found = members.get(v) if isinstance(v, str) else None
            return found if found is not None else enum(v)

        return member
    if target is datetime:
        return lambda v: default if v is None else datetime.fromisoformat(v)
    if target is date:
        return lambda v: default if v is None else date.fromisoformat(v)
    if target in (str, int, float, bool):
        kind = target

        def plain(v: Any) -> Any:
            if type(v) is kind:
                return v
            if v is None:
                return default
            if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
                raise TypeError(v)
            return v

        plain.exact = kind  # type: ignore[attr-defined]  # values of this type pass as they are
        return plain
    raise TypeError(annotation)  # a type without a fast path: validate instead


@cache
def _converters(model: type[BaseModel]) -> dict[str, Callable[[Any], Any]]:
    out: dict[str, Callable[[Any], Any]] = {}
    for name, field in model.model_fields.items():
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        try:
            out[name] = _converter(field.annotation, default)
        except TypeError:
            out[name] = _always_validate
    return out


def _always_validate(value: Any) -> Any:
    raise TypeError("validate")


@cache
def _plain_fields(cls: Any) -> tuple[str, ...]:
    """Fields of a GraphQL type that hold data (not resolvers); computed once per type."""
    fields = cls.__strawberry_definition__.fields
    return tuple(f.python_name for f in fields if f.base_resolver is None)


Pair = tuple[dict[str, Any], dict[str, Any]]


def related(
    info: Info[Context, None],
    name: str,
    key: str,
    make: Callable[[dict[str, Any], dict[str, Any]], T],
    order: Callable[[T], Any] | None = None,
) -> list[T]:
    """The objects reached from `key` through the neighbour table entry `name`.

    When the page above prefetched them (see api.graphql.prefetch) the list is returned
    at once; otherwise the request's DataLoader fetches them with the other keys of the
    level, and an awaitable is returned, which graphql-core awaits. The static type is
    the list the client receives: resolvers stay plain functions so that prefetched
    fields cost no coroutine, task or gather in the executor.
    """

    def objects(pairs: list[Pair]) -> list[T]:
        out = [make(n, r) for n, r in pairs]
        return sorted(out, key=order) if order else out

    ready = info.context.prefetched.get(name)
    if ready is not None and key in ready:
        return objects(ready[key])

    async def later() -> list[T]:
        return objects(await neighbour_loader(info.context, name).load(key))

    return cast(list[T], later())


def related_page(
    info: Info[Context, None],
    name: str,
    key: str,
    make: Callable[[dict[str, Any], dict[str, Any]], T],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """A page of `related`'s objects, by id, as a connection like the top-level lists:
    `first`/`after` bound what the client receives and `totalCount` counts them all.
    Only the page's objects are built."""
    ctx = info.context
    at = window(ctx, first, after)

    def page(pairs: list[Pair]) -> Connection[T]:
        total = len(pairs)

        async def count() -> int:
            return total

        shown = [make(n, r) for n, r in pairs[at.offset : at.offset + at.limit]]
        return connection(shown, at, count_total=count)

    ready = ctx.prefetched.get(name)
    if ready is not None and key in ready:
        return page(ready[key])

    async def later() -> Connection[T]:
        return page(await neighbour_loader(ctx, name).load(key))

    return cast(Connection[T], later())


ROLE_ORDER = {
    enums.MemberRole.CO_CHAIR: 0,
    enums.MemberRole.MEMBER: 1,
    enums.MemberRole.OBSERVER: 2,
}

# Relationship types shown as a link object (with the relationship's properties) rather
# than as the far node: the object's type, and how it is made from the relationship's
# properties, its start, its end and the far node seen from the field's kind.
EDGES: dict[str, tuple[str, Callable[[dict[str, Any], Any, Any, Any], Any]]] = {
    "MEMBER_OF": (
        "Membership",
        lambda rel, start, end, far: Membership.of(rel, signatory=start, group=end),
    ),
    "CONTRIBUTES_TO": (
        "Contribution",
        lambda rel, start, end, far: Contribution.of(rel, signatory=start, initiative=end),
    ),
    "MAPS_TO": ("MappingLink", lambda rel, start, end, far: MappingLink.of(rel, far)),
}
# Lists shown in an order of their own (the others come by id).
ORDERS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("WorkingGroup", "members"): lambda x: (ROLE_ORDER[x.role], x.signatory.id),
}


def _far(label: str) -> Callable[[dict[str, Any]], Any]:
    """Build the GraphQL object of a kind from its row (the class is looked up when first
    called: the kinds refer to each other before all of them are defined)."""
    model = kinds.BY_LABEL[label].model
    return lambda row: build(globals()[label], model, row)


def _item(relation: kinds.Relation) -> Callable[[Any, dict[str, Any], dict[str, Any]], Any]:
    """`(this object, far row, relationship properties) -> what the field lists`."""
    far = _far(relation.far)
    edge = EDGES.get(relation.type)
    if edge is None:
        return lambda this, row, rel: far(row)
    make, outgoing = edge[1], relation.direction is kinds.OUT

    def item(this: Any, row: dict[str, Any], rel: dict[str, Any]) -> Any:
        other = far(row)
        return make(rel, this, other, other) if outgoing else make(rel, other, this, other)

    return item


def _field(label: str, relation: kinds.Relation) -> Any:
    """The GraphQL field showing one relation, as the description says to show it."""
    name = kinds.neighbour_name(label, relation.name)
    make = _item(relation)
    shown = EDGES[relation.type][0] if relation.type in EDGES else relation.far
    info_type = Info[Context, None]
    resolve: Any
    if relation.shown is kinds.Shown.LIST:
        order = ORDERS.get((label, relation.name))

        def resolve(self: Any, info: Any) -> Any:
            return related(info, name, self.id, lambda n, rel: make(self, n, rel), order)

        resolve.__annotations__ = {"info": info_type, "return": f"list[{shown}]"}
        resolve = speculative(resolve)
    elif relation.shown is kinds.Shown.PAGE:

        def resolve(
            self: Any, info: Any, first: int | None = None, after: str | None = None
        ) -> Any:
            return related_page(
                info, name, self.id, lambda n, rel: make(self, n, rel), first, after
            )

        resolve.__annotations__ = {
            "info": info_type,
            "first": int | None,
            "after": str | None,
            "return": f"Connection[{shown}]",
        }
        resolve = speculative(resolve)
    else:
        key = relation.key
        far = _far(relation.far)

        async def resolve(self: Any, info: Any) -> Any:
            if key is not None:  # the far id is a property: read the node by id
                row = await node_loader(info.context, relation.far).load(getattr(self, key))
                return far(row) if row else None
            rows = await neighbour_loader(info.context, name).load(self.id)
            return far(rows[0][0]) if rows else None

        resolve.__annotations__ = {"info": info_type, "return": f"{shown} | None"}
    resolve.__name__ = relation.name
    resolve.__qualname__ = f"{label}.{relation.name}"
    return strawberry.field(resolver=resolve, description=relation.description)


def with_relations(label: str) -> Callable[[type[T]], type[T]]:
    """Add the fields of a kind's relations (schema/kinds.py) to its GraphQL type."""

    def add(cls: type[T]) -> type[T]:
        for relation in kinds.BY_LABEL[label].relations:
            if relation.shown is not kinds.Shown.HIDDEN:
                setattr(cls, relation.name, _field(label, relation))
        return cls

    return add


@strawberry.type(description="A supporter of the Paris Call: state, authority, company, NGO...")
@with_relations("Signatory")
class Signatory:
    id: strawberry.ID
    name: str
    kind: enums.SignatoryKind
    country: str | None
    joined_on: date | None
    website: str | None
    verified: bool


@strawberry.type(description="A Paris Call working group.")
@with_relations("WorkingGroup")
class WorkingGroup:
    id: strawberry.ID
    code: str
    name: str
    name_fr: str | None = strawberry.field(description="The name in French.")
    mandate: str | None
    mandate_fr: str | None = strawberry.field(description="The mandate in French.")
    url: str | None = strawberry.field(description="Public source confirming name and mandate.")
    status: enums.WorkingGroupStatus
    forum_year: int | None
    verified: bool
    note: str | None


@strawberry.type(description="A MEMBER_OF link: a signatory in a working group.")
class Membership:
    role: enums.MemberRole
    since: date | None
    signatory: Signatory
    working_group: WorkingGroup

    @classmethod
    def of(cls, rel: dict[str, Any], *, signatory: Signatory, group: WorkingGroup) -> Membership:
        since = date.fromisoformat(rel["since"]) if rel.get("since") else None
        return cls(
            role=enums.MemberRole(rel.get("role", "member")),
            since=since,
            signatory=signatory,
            working_group=group,
        )


@strawberry.type(description="A CONTRIBUTES_TO link: a signatory's part in an initiative.")
class Contribution:
    role: enums.ContributorRole
    signatory: Signatory
    initiative: Initiative

    @classmethod
    def of(
        cls, rel: dict[str, Any], *, signatory: Signatory, initiative: Initiative
    ) -> Contribution:
        return cls(
            role=enums.ContributorRole(rel.get("role", "partner")),
            signatory=signatory,
            initiative=initiative,
        )


@strawberry.type(description="An initiative collected by a working group.")
@with_relations("Initiative")
class Initiative:
    id: strawberry.ID
    title: str
    summary: str | None
    language: str
    url: str | None
    status: enums.InitiativeStatus
    started_on: date | None
    version: int
    created_at: datetime | None
    updated_at: datetime | None


@strawberry.type(description="A recommendation of a source (framework, charter, guideline).")
@with_relations("Recommendation")
class Recommendation:
    id: strawberry.ID
    source_id: str
    ref: str
    title: str = strawberry.field(
        description="The publisher's title, or the reference when it gave none (a "
        "search answer mixes kinds, and `title` must read the same on each)."
    )
    text: str | None
    language: str
    parent_id: str | None
    status: enums.RecommendationStatus
    verified: bool
    urn: str | None = strawberry.field(
        description="The publisher's own identifier (a CISO Assistant URN), as written."
    )

    def __post_init__(self) -> None:
        if not self.title:
            self.title = self.ref


@strawberry.type(
    description="A MAPS_TO link (NIST IR 8477 relationship) to another recommendation."
)
class MappingLink:
    relation: enums.MappingRelation
    rationale: enums.MappingRationale | None
    status: enums.DecisionStatus
    confidence: float | None = strawberry.field(
        description="How sure the relation is (0-1): from the suggestion that proposed it; the "
        "suggestion's score, which says how close the two texts are, is a separate number."
    )
    recommendation: Recommendation

    @classmethod
    def of(cls, rel: dict[str, Any], other: Recommendation) -> MappingLink:
        return cls(
            relation=enums.MappingRelation(rel["relation"]),
            rationale=enums.MappingRationale(rel["rationale"]) if rel.get("rationale") else None,
            status=enums.DecisionStatus(rel.get("status", "candidate")),
            confidence=rel.get("confidence"),
            recommendation=other,
        )


@strawberry.type(description="A publisher's set of recommendations (OECD, NIST SSDF, EU CRA...).")
@with_relations("Source")
class Source:
    id: strawberry.ID
    title: str
    publisher: str
    year: int | None
    version: str | None
    url: str | None
    licence: str | None
    language: str
    verified: bool
    note: str | None


@strawberry.type(description="A supply-chain security topic of the shared taxonomy.")
@with_relations("Topic")
class Topic:
    id: strawberry.ID
    name_en: str
    name_fr: str | None = strawberry.field(
        description="Never null for a topic; nullable as on WorkingGroup, so that a search "
        "answer selecting `nameFr` on both needs no alias."
    )
    description: str | None


@strawberry.type(description="One of the nine principles of the Paris Call.")
@with_relations("Principle")
class Principle:
    id: strawberry.ID
    code: str
    name_en: str
    name_fr: str
    summary: str | None
    url: str | None
