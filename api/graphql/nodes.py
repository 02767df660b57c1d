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
from api.graphql.pagination import Connection, connection, decode_cursor, page_size
from schema import enums
from schema import models as m

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
    size = page_size(
        first, default=ctx.settings.default_page_size, maximum=ctx.settings.max_page_size
    )
    offset = decode_cursor(after)

    def page(pairs: list[Pair]) -> Connection[T]:
        total = len(pairs)

        async def count() -> int:
            return total

        shown = [make(n, r) for n, r in pairs[offset : offset + size + 1]]
        return connection(shown, offset=offset, size=size, count_total=count)

    ready = ctx.prefetched.get(name)
    if ready is not None and key in ready:
        return page(ready[key])

    async def later() -> Connection[T]:
        return page(await neighbour_loader(ctx, name).load(key))

    return cast(Connection[T], later())


PAGE = "A page of them, by id (`first`, `after`); `totalCount` counts them all."


@strawberry.type(description="A supporter of the Paris Call: state, authority, company, NGO...")
class Signatory:
    id: strawberry.ID
    name: str
    kind: enums.SignatoryKind
    country: str | None
    joined_on: date | None
    website: str | None
    verified: bool

    @strawberry.field(description="Working groups this signatory belongs to, with its role.")
    @speculative
    def memberships(self, info: Info[Context, None]) -> list[Membership]:
        return related(
            info,
            "signatory_memberships",
            self.id,
            lambda n, rel: Membership.of(
                rel, signatory=self, group=build(WorkingGroup, m.WorkingGroup, n)
            ),
        )

    @strawberry.field(description="Initiatives this signatory contributes to, with its role.")
    @speculative
    def contributions(self, info: Info[Context, None]) -> list[Contribution]:
        return related(
            info,
            "signatory_contributions",
            self.id,
            lambda n, rel: Contribution.of(
                rel, signatory=self, initiative=build(Initiative, m.Initiative, n)
            ),
        )


ROLE_ORDER = {
    enums.MemberRole.CO_CHAIR: 0,
    enums.MemberRole.MEMBER: 1,
    enums.MemberRole.OBSERVER: 2,
}


@strawberry.type(description="A Paris Call working group.")
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

    @strawberry.field(description="Members with their role (co-chairs first).")
    @speculative
    def members(self, info: Info[Context, None]) -> list[Membership]:
        return related(
            info,
            "working_group_members",
            self.id,
            lambda n, rel: Membership.of(
                rel, signatory=build(Signatory, m.Signatory, n), group=self
            ),
            order=lambda x: (ROLE_ORDER[x.role], x.signatory.id),
        )

    @strawberry.field(description="Initiatives this group tracks. " + PAGE)
    @speculative
    def initiatives(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Initiative]:
        return related_page(
            info, "working_group_initiatives", self.id,
            lambda n, _: build(Initiative, m.Initiative, n), first, after,
        )  # fmt: skip


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

    @strawberry.field
    @speculative
    def working_groups(self, info: Info[Context, None]) -> list[WorkingGroup]:
        return related(
            info,
            "initiative_working_groups",
            self.id,
            lambda n, _: build(WorkingGroup, m.WorkingGroup, n),
        )

    @strawberry.field
    @speculative
    def topics(self, info: Info[Context, None]) -> list[Topic]:
        return related(info, "initiative_topics", self.id, lambda n, _: build(Topic, m.Topic, n))

    @strawberry.field
    @speculative
    def principles(self, info: Info[Context, None]) -> list[Principle]:
        return related(
            info, "initiative_principles", self.id, lambda n, _: build(Principle, m.Principle, n)
        )

    @strawberry.field(description="Recommendations this initiative implements.")
    @speculative
    def recommendations(self, info: Info[Context, None]) -> list[Recommendation]:
        return related(
            info,
            "initiative_recommendations",
            self.id,
            lambda n, _: build(Recommendation, m.Recommendation, n),
        )

    @strawberry.field
    @speculative
    def contributors(self, info: Info[Context, None]) -> list[Contribution]:
        return related(
            info,
            "initiative_contributors",
            self.id,
            lambda n, rel: Contribution.of(
                rel, signatory=build(Signatory, m.Signatory, n), initiative=self
            ),
        )


@strawberry.type(description="A recommendation of a source (framework, charter, guideline).")
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

    @strawberry.field
    async def source(self, info: Info[Context, None]) -> Source | None:
        row = await node_loader(info.context, "Source").load(self.source_id)
        return build(Source, m.Source, row) if row else None

    @strawberry.field
    async def parent(self, info: Info[Context, None]) -> Recommendation | None:
        rows = await neighbour_loader(info.context, "recommendation_parent").load(self.id)
        return build(Recommendation, m.Recommendation, rows[0][0]) if rows else None

    @strawberry.field
    @speculative
    def children(self, info: Info[Context, None]) -> list[Recommendation]:
        return related(
            info,
            "recommendation_children",
            self.id,
            lambda n, _: build(Recommendation, m.Recommendation, n),
        )

    @strawberry.field(description="Initiatives that implement this recommendation. " + PAGE)
    @speculative
    def initiatives(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Initiative]:
        return related_page(
            info, "recommendation_initiatives", self.id,
            lambda n, _: build(Initiative, m.Initiative, n), first, after,
        )  # fmt: skip

    @strawberry.field
    @speculative
    def topics(self, info: Info[Context, None]) -> list[Topic]:
        return related(
            info, "recommendation_topics", self.id, lambda n, _: build(Topic, m.Topic, n)
        )

    @strawberry.field(description="Crosswalk links from this recommendation to others.")
    @speculative
    def mappings(self, info: Info[Context, None]) -> list[MappingLink]:
        return related(
            info,
            "mappings_from",
            self.id,
            lambda n, rel: MappingLink.of(rel, build(Recommendation, m.Recommendation, n)),
        )

    @strawberry.field(description="Crosswalk links from other recommendations to this one.")
    @speculative
    def mapped_from(self, info: Info[Context, None]) -> list[MappingLink]:
        return related(
            info,
            "mappings_to",
            self.id,
            lambda n, rel: MappingLink.of(rel, build(Recommendation, m.Recommendation, n)),
        )


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

    @strawberry.field(description="Recommendations of this source. " + PAGE)
    @speculative
    def recommendations(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Recommendation]:
        return related_page(
            info, "source_recommendations", self.id,
            lambda n, _: build(Recommendation, m.Recommendation, n), first, after,
        )  # fmt: skip


@strawberry.type(description="A supply-chain security topic of the shared taxonomy.")
class Topic:
    id: strawberry.ID
    name_en: str
    name_fr: str | None = strawberry.field(
        description="Never null for a topic; nullable as on WorkingGroup, so that a search "
        "answer selecting `nameFr` on both needs no alias."
    )
    description: str | None

    @strawberry.field(description="Initiatives addressing this topic. " + PAGE)
    @speculative
    def initiatives(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Initiative]:
        return related_page(
            info, "topic_initiatives", self.id,
            lambda n, _: build(Initiative, m.Initiative, n), first, after,
        )  # fmt: skip

    @strawberry.field(description="Recommendations on this topic. " + PAGE)
    @speculative
    def recommendations(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Recommendation]:
        return related_page(
            info, "topic_recommendations", self.id,
            lambda n, _: build(Recommendation, m.Recommendation, n), first, after,
        )  # fmt: skip


@strawberry.type(description="One of the nine principles of the Paris Call.")
class Principle:
    id: strawberry.ID
    code: str
    name_en: str
    name_fr: str
    summary: str | None
    url: str | None

    @strawberry.field(description="Initiatives advancing this principle. " + PAGE)
    @speculative
    def initiatives(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Initiative]:
        return related_page(
            info, "principle_initiatives", self.id,
            lambda n, _: build(Initiative, m.Initiative, n), first, after,
        )  # fmt: skip
