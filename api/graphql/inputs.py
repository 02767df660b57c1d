"""Filter and ordering inputs of the list fields, made from the kinds' listings.

`InitiativeOrderField` lists Initiative's sortable fields and `InitiativeWhere` its
filters (schema/kinds.py): a value filter takes a list of values, a relation or id
filter one id, and a searchable kind a `search` text.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from schema.kinds import LISTED, Kind


@strawberry.enum
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def _order_field(kind: Kind) -> type[Enum]:
    assert kind.listing is not None
    members = [(name.upper(), name) for name in kind.listing.sortable]
    enum: type[Enum] = Enum(f"{kind.label}OrderField", members)  # type: ignore[misc]
    return strawberry.enum(enum)


def _where(kind: Kind) -> type[Any]:
    assert kind.listing is not None
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__, "__annotations__": annotations}
    wanted = [(f.name, f.values, f.description) for f in kind.listing.filters]
    if kind.listing.searchable:
        wanted.append(("search", None, kind.listing.search_help))
    for name, values, description in wanted:
        if name == "search":
            annotations[name] = str | None
        elif values is not None:
            annotations[name] = list[values] | None  # type: ignore[valid-type]
        else:
            annotations[name] = strawberry.ID | None
        namespace[name] = (
            strawberry.field(default=None, description=description) if description else None
        )
    return strawberry.input(type(f"{kind.label}Where", (), namespace))


# Label -> its enum of sortable fields, for the kinds whose list the client may order.
ORDER_FIELDS: dict[str, type[Enum]] = {
    kind.label: _order_field(kind)
    for kind in LISTED
    if kind.listing is not None and kind.listing.ordered_by_client
}
# Label -> its `where` input, for the kinds whose list can be filtered or searched.
WHERE: dict[str, type[Any]] = {
    kind.label: _where(kind)
    for kind in LISTED
    if kind.listing is not None and (kind.listing.filters or kind.listing.searchable)
}
