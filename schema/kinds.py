"""Each kind of node described once: label, model, id rule, list, filters and relations.

The tables that used to repeat this — the list statements' filters and orders, the
neighbour statements, the API's read planner, order enums, `*Where` inputs, top-level
lists and relation fields, the repositories' model-to-label map, the kinds' nouns in
messages and the registry file's node models and relationship triples — are derived
from `KINDS` where they are used. Adding a relation is one `Relation(...)` line below
(plus its tests); it then has a neighbour statement, a registry-file triple and, unless
hidden, a GraphQL field that the read planner (graph/planning) reads. The idea is the
Neo4j GraphQL Library's `@relationship(type:, direction:)`, declared once on the type.

A relation users set on an initiative names its `input`: the record's field, the
creation input's field, the spreadsheet column, the link mutations' target (by far
kind), the link statements, the seed's links and what a merge carries and an unmerge
gives back are then made from it (tests/integration/test_scratch_kinds.py adds one).
A relation whose links carry a role (contributors) names its `roles`; one feeding the
duplicate analysis's graph-overlap signal names its `signal`. Maps of relations are
keyed on (type, far kind), never on the type alone.

Nothing here speaks Cypher or HTTP: `graph/` turns filters and relations into
statements, `api/` into fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, TypeAlias

from schema import enums
from schema import models as m
from schema import relationships as links_
from schema.collaboration import Call, Proposal
from schema.discussion import Comment
from schema.ids import new_id
from schema.models import Model


class Direction(StrEnum):
    OUT = "out"  # (this)-[:TYPE]->(far)
    IN = "in"  # (this)<-[:TYPE]-(far)


class Shown(StrEnum):
    """How the API shows a relation on its kind's type."""

    LIST = "list"  # every neighbour, in one list
    PAGE = "page"  # a connection (first/after/totalCount): lists that grow without bound
    ONE = "one"  # at most one neighbour, or null
    HIDDEN = "hidden"  # stored and navigable by the repositories, not a GraphQL field


Roles: TypeAlias = type[StrEnum]  # (a field of Relation is called `type`)


@dataclass(frozen=True)
class Relation:
    """One relationship seen from one end; `name` is the field's name on this kind."""

    name: str
    type: str
    direction: Direction
    far: str
    shown: Shown = Shown.LIST
    description: str | None = None
    # For a ONE relation whose far id is a property of this node: read by id, not by link.
    key: str | None = None
    # Users set it: the name of the field (record, GraphQL input, spreadsheet column)
    # listing the far ids. Unset: only the registry import or the analyses write it.
    input: str | None = None
    # Each link carries a `role` property, one of these values (a contributor's role).
    roles: Roles | None = None
    # The graph-overlap signal of the duplicate analysis this relation feeds, by name.
    signal: str | None = None
    # What each relationship carries besides its ends (see Link); unset: nothing.
    link: Link | None = None

    @property
    def settable(self) -> bool:
        return self.input is not None

    @property
    def shown_as_link(self) -> str | None:
        """The API object showing each relationship with both ends, if not the far node."""
        return self.link.shown_as if self.link else None


OUT, IN = Direction.OUT, Direction.IN


@dataclass(frozen=True)
class Link:
    """The properties a relationship carries: checked by `model`, whose fields `start` and
    `end` hold the ids of the relationship's start and end node (as a registry file
    writes it); the API shows such a relationship as the object named `shown_as` (the
    link with both ends), or, unset, as the far node alone."""

    model: type[Model]
    start: str
    end: str
    shown_as: str | None = None


MEMBERSHIP = Link(links_.Membership, "signatory_id", "working_group_id", "Membership")
CONTRIBUTION = Link(links_.Contribution, "signatory_id", "initiative_id", "Contribution")
MAPPING = Link(links_.Mapping, "from_id", "to_id", "MappingLink")
DUPLICATE = Link(links_.DuplicateLink, "a_id", "b_id")
MERGE = Link(links_.MergeRecord, "merged_id", "survivor_id")


@dataclass(frozen=True)
class Filter:
    """A `where` field of a kind's list.

    - `values` set: any of these values of property `prop` (a list in the API);
    - `via` set: nodes linked through that relation to the far node whose `key` is given;
    - neither: property `prop` equals the given id.
    """

    name: str
    prop: str | None = None
    values: type[Enum] | type[str] | None = None
    via: str | None = None
    key: str = "id"
    description: str | None = None

    @property
    def property(self) -> str:
        return self.prop or self.name


@dataclass(frozen=True)
class Listing:
    """How a kind is listed: orders (the first is the default) and filters."""

    api_name: str  # the top-level field, snake_case
    sortable: tuple[str, ...]
    default_order: str
    filters: tuple[Filter, ...] = ()
    searchable: bool = True
    search_help: str | None = None
    ordered_by_client: bool = True  # whether the API offers `orderBy`/`direction`
    description: str | None = None


@dataclass(frozen=True)
class Ids:
    """How a record created without an id gets one: from field `made_from`, as a
    readable slug with a random suffix, or the field's value as it is when `exact`."""

    made_from: str | None = None
    exact: bool = False

    def new(self, data: Mapping[str, Any]) -> str | None:
        value = data.get(self.made_from) if self.made_from else None
        if not isinstance(value, str) or not value:
            return None  # validation then says the id (or the field) is missing
        return value if self.exact else new_id(value)


@dataclass(frozen=True)
class Kind:
    label: str
    model: type[Model]
    noun: str  # in messages: "unknown working group 'wg9'"
    relations: tuple[Relation, ...] = ()
    listing: Listing | None = None
    ids: Ids = Ids()

    def relation(self, name: str) -> Relation:
        for relation in self.relations:
            if relation.name == name:
                return relation
        raise KeyError(f"{self.label} has no relation {name!r}")


PAGE = "A page of them, by id (`first`, `after`); `totalCount` counts them all."

# In the order a registry file restores them: targets before what points at them.
KINDS: tuple[Kind, ...] = (
    Kind(
        "Principle",
        m.Principle,
        "principle",
        relations=(
            Relation("initiatives", "ADVANCES", IN, "Initiative", Shown.PAGE,
                     "Initiatives advancing this principle. " + PAGE),
        ),
        listing=Listing("principles", ("code", "id"), "code", searchable=False,
                        ordered_by_client=False,
                        description="The nine Paris Call principles, by code."),
    ),
    Kind(
        "Topic",
        m.Topic,
        "topic",
        relations=(
            Relation("initiatives", "ADDRESSES", IN, "Initiative", Shown.PAGE,
                     "Initiatives addressing this topic. " + PAGE),
            Relation("recommendations", "ADDRESSES", IN, "Recommendation", Shown.PAGE,
                     "Recommendations on this topic. " + PAGE),
        ),
        listing=Listing("topics", ("name_en", "name_fr", "id"), "id", ordered_by_client=False,
                        description="The topic taxonomy, by id."),
    ),
    Kind(
        "WorkingGroup",
        m.WorkingGroup,
        "working group",
        ids=Ids("code", exact=True),
        relations=(
            Relation("members", "MEMBER_OF", IN, "Signatory",
                     description="Members with their role (co-chairs first).", link=MEMBERSHIP),
            Relation("initiatives", "TRACKS", OUT, "Initiative", Shown.PAGE,
                     "Initiatives this group tracks. " + PAGE),
        ),
        listing=Listing(
            "working_groups", ("code", "name", "forum_year", "id"), "code",
            filters=(Filter("status", values=enums.WorkingGroupStatus),),
        ),
    ),
    Kind(
        "Signatory",
        m.Signatory,
        "signatory",
        ids=Ids("name"),
        relations=(
            Relation("memberships", "MEMBER_OF", OUT, "WorkingGroup",
                     description="Working groups this signatory belongs to, with its role.",
                     link=MEMBERSHIP),
            Relation("contributions", "CONTRIBUTES_TO", OUT, "Initiative",
                     description="Initiatives this signatory contributes to, with its role.",
                     link=CONTRIBUTION),
        ),
        listing=Listing(
            "signatories", ("name", "kind", "country", "joined_on", "id"), "name",
            filters=(
                Filter("kind", values=enums.SignatoryKind),
                Filter("country", values=str),
                Filter("working_group", via="memberships"),
            ),
        ),
    ),
    Kind(
        "Source",
        m.Source,
        "source",
        relations=(
            Relation("recommendations", "PART_OF", IN, "Recommendation", Shown.PAGE,
                     "Recommendations of this source. " + PAGE),
        ),
        listing=Listing(
            "sources", ("title", "publisher", "year", "id"), "title",
            filters=(Filter("publisher", values=str),),
        ),
    ),
    Kind(
        "Recommendation",
        m.Recommendation,
        "recommendation",
        relations=(
            Relation("source", "PART_OF", OUT, "Source", Shown.ONE, key="source_id"),
            Relation("parent", "PART_OF", OUT, "Recommendation", Shown.ONE),
            Relation("children", "PART_OF", IN, "Recommendation"),
            Relation("initiatives", "IMPLEMENTS", IN, "Initiative", Shown.PAGE,
                     "Initiatives that implement this recommendation. " + PAGE,
                     signal="initiative"),
            Relation("topics", "ADDRESSES", OUT, "Topic", signal="topic"),
            Relation("mappings", "MAPS_TO", OUT, "Recommendation",
                     description="Crosswalk links from this recommendation to others.",
                     link=MAPPING),
            Relation("mapped_from", "MAPS_TO", IN, "Recommendation",
                     description="Crosswalk links from other recommendations to this one.",
                     link=MAPPING),
        ),
        listing=Listing(
            "recommendations", ("ref", "title", "source_id", "id"), "ref",
            filters=(
                Filter("status", values=enums.RecommendationStatus),
                Filter("language", values=str),
                Filter("source", prop="source_id"),
                Filter("topic", via="topics"),
            ),
        ),
    ),
    Kind(
        "Initiative",
        m.Initiative,
        "initiative",
        ids=Ids("title"),
        relations=(
            Relation("working_groups", "TRACKS", IN, "WorkingGroup",
                     input="working_groups", signal="working_group"),
            Relation("topics", "ADDRESSES", OUT, "Topic", input="topics", signal="topic"),
            Relation("principles", "ADVANCES", OUT, "Principle",
                     input="principles", signal="principle"),
            Relation("recommendations", "IMPLEMENTS", OUT, "Recommendation",
                     description="Recommendations this initiative implements.",
                     input="recommendations", signal="recommendation"),
            Relation("contributors", "CONTRIBUTES_TO", IN, "Signatory",
                     input="contributors", roles=enums.ContributorRole, signal="contributor",
                     link=CONTRIBUTION),
            Relation("duplicates", "DUPLICATE_OF", OUT, "Initiative", Shown.HIDDEN,
                     link=DUPLICATE),
            Relation("duplicated_by", "DUPLICATE_OF", IN, "Initiative", Shown.HIDDEN,
                     link=DUPLICATE),
            Relation("merged_into", "MERGED_INTO", OUT, "Initiative", Shown.ONE,
                     "The initiative this one was merged into (null unless merged).",
                     link=MERGE),
        ),
        listing=Listing(
            "initiatives",
            ("title", "updated_at", "created_at", "started_on", "status", "id"),
            "title",
            filters=(
                Filter("status", values=enums.InitiativeStatus),
                Filter("language", values=str),
                Filter("working_group", via="working_groups"),
                Filter("topic", via="topics"),
                Filter("principle", via="principles"),
                Filter("recommendation", via="recommendations"),
                Filter("source", via="recommendations", key="source_id",
                       description="Initiatives implementing a recommendation of this source."),
                Filter("signatory", via="contributors",
                       description="Initiatives this signatory contributes to."),
            ),
            search_help="Full-text search in title and summary (ranked).",
            description="Initiatives, filtered and ordered (by title, or by rank when "
            "searching).",
        ),
    ),
    Kind(
        "Call",
        Call,
        "call",
        relations=(Relation("issued_by", "ISSUED_BY", OUT, "WorkingGroup", Shown.HIDDEN),),
    ),
    Kind(
        "Proposal",
        Proposal,
        "proposal",
        relations=(
            Relation("proposes", "PROPOSES", OUT, "Initiative", Shown.HIDDEN),
            Relation("addressed_to", "ADDRESSED_TO", OUT, "WorkingGroup", Shown.HIDDEN),
            Relation("answers", "ANSWERS", OUT, "Call", Shown.HIDDEN),
        ),
    ),
    Kind("Comment", Comment, "comment"),
)  # fmt: skip

BY_LABEL: dict[str, Kind] = {kind.label: kind for kind in KINDS}
LISTED: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.listing is not None)
LABEL_OF: dict[type[Model], str] = {kind.model: kind.label for kind in KINDS}
NOUNS: dict[str, str] = {kind.label: kind.noun for kind in KINDS}
# The listed kinds people search, by label.
SEARCHED: tuple[str, ...] = tuple(
    sorted(kind.label for kind in LISTED if kind.listing and kind.listing.searchable)
)


def settable(label: str) -> tuple[Relation, ...]:
    """The relations of a kind users set, in declaration order: what its record, its
    creation input, its spreadsheet columns and a merge carry."""
    return tuple(r for r in BY_LABEL[label].relations if r.settable)


def linkable(label: str) -> dict[str, Relation]:
    """The settable relations without roles, by far kind: what the link and unlink
    mutations name. Two of them towards one far kind would make that name ambiguous."""
    found: dict[str, Relation] = {}
    for relation in settable(label):
        if relation.roles is None:
            if relation.far in found:
                raise ValueError(f"{label}: two settable relations towards {relation.far}")
            found[relation.far] = relation
    return found


def signals(label: str) -> tuple[Relation, ...]:
    """The relations feeding the graph-overlap signal of the duplicate analysis."""
    return tuple(r for r in BY_LABEL[label].relations if r.signal is not None)


@dataclass(frozen=True)
class Neighbour:
    """A relation as the neighbour statements name it: `initiative_topics`."""

    name: str
    label: str
    relation: Relation = field(compare=False)


def snake(label: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in label).lstrip("_")


def neighbour_name(label: str, relation: str) -> str:
    return f"{snake(label)}_{relation}"


def neighbours() -> Iterator[Neighbour]:
    """Every relation of every kind, by its neighbour-table name."""
    for kind in KINDS:
        for relation in kind.relations:
            yield Neighbour(neighbour_name(kind.label, relation.name), kind.label, relation)


def carried() -> dict[tuple[str, str, str], Link]:
    """What each relationship carries (Link), by (from label, type, to label); both ends'
    declarations must agree."""
    out: dict[tuple[str, str, str], Link] = {}
    for kind in KINDS:
        for relation in kind.relations:
            ends = (kind.label, relation.far)
            start, end = ends if relation.direction is OUT else ends[::-1]
            triple = (start, relation.type, end)
            if relation.link is not None and out.setdefault(triple, relation.link) != relation.link:
                raise ValueError(f"{triple} carries two different links")
    return out


def triples() -> tuple[tuple[str, str, str], ...]:
    """(from label, type, to label) of every relationship, from its outgoing declaration."""
    out = []
    for kind in KINDS:
        for relation in kind.relations:
            if relation.direction is OUT:
                triple = (kind.label, relation.type, relation.far)
                if triple not in out:
                    out.append(triple)
    return tuple(out)
