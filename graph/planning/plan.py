"""What a read asks for, as data: the root, and the relations selected below it.

Values a client chooses (ids, filters, windows) are kept apart from the shape: the
statement's text depends on the shape only, every value travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schema.kinds import BY_LABEL, LISTED, Relation, Shown

Properties = frozenset[str] | None
"""The properties of a node an answer needs (None: all of them, derived ones blanked)."""

# The kinds a plan may reach: the listed ones, read by everyone who may read at all
# (their events' rule is Readers.PUBLIC). A kind with a narrower rule (proposals,
# comments) is reached only through HIDDEN relations, which are never planned.
PLANNED_LABELS = frozenset(kind.label for kind in LISTED)


@dataclass(frozen=True)
class Window:
    """Rows of a page: `limit` (one more than shown, for hasNextPage) from `offset`."""

    offset: int
    limit: int


@dataclass(frozen=True)
class Branch:
    """One relation selected on a kind, answered under response key `key`: every
    neighbour (a LIST), a window of them by id (a PAGE; `total` counts them all), or
    the first by id (a ONE, window (0, 1))."""

    key: str
    label: str
    relation: str
    window: Window | None = None
    total: bool = False
    below: tuple[Branch, ...] = ()
    properties: Properties = None

    def __post_init__(self) -> None:
        described = self.described
        _known(described.far, self.properties)
        if described.shown is Shown.HIDDEN:
            raise ValueError(f"{self.label}.{self.relation} is not shown")
        if self.label not in PLANNED_LABELS or described.far not in PLANNED_LABELS:
            raise ValueError(f"{self.label}.{self.relation} leaves the planned kinds")
        for child in self.below:
            if child.label != described.far:
                raise ValueError(f"{child.label}.{child.relation} below {described.far}")

    @property
    def described(self) -> Relation:
        return BY_LABEL[self.label].relation(self.relation)


def _known(label: str, properties: Properties) -> None:
    """Property names become statement text: only the kind's own fields may."""
    if properties is not None:
        unknown = properties - BY_LABEL[label].model.model_fields.keys()
        if unknown or "id" not in properties:
            raise ValueError(f"{label}: {sorted(unknown) or 'id'} cannot be projected")


@dataclass(frozen=True)
class Lookup:
    """`initiative(id:)`: one node by id (parameter $id), with its branches."""

    label: str
    id: str
    below: tuple[Branch, ...] = ()
    properties: Properties = None

    def __post_init__(self) -> None:
        _known(self.label, self.properties)


@dataclass(frozen=True)
class Listing:
    """`initiatives(where:, orderBy:, first:, after:)`: a page of a kind's list. `filters`
    are the values of the kind's list filters (graph/browse/queries.py); `ranked` the
    ids of a text search, best first, when the list is searched."""

    label: str
    window: Window
    filters: Mapping[str, Any] = field(default_factory=dict)
    order: str | None = None
    descending: bool = False
    ranked: list[str] | None = None
    total: bool = False
    below: tuple[Branch, ...] = ()
    properties: Properties = None

    def __post_init__(self) -> None:
        _known(self.label, self.properties)


Root = Lookup | Listing
