"""Fetch a page's next level ahead, so that its relation fields resolve without awaiting.

A page of 50 initiatives asking for topics and contributors would otherwise make 100
DataLoader calls, each a coroutine, a task and a gather in the executor: more time than
the statements themselves. The page's resolver reads which relation fields the client
selected under `edges { node { ... } }` and fetches each for the whole page (one
statement per relation, as the DataLoader would); the fields then find their lists in
the request context. Anything not prefetched still goes through the DataLoader. The
page and its relations are read in the same worker-thread call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection
from strawberry.utils.str_converters import to_camel_case

from api.graphql.context import Context
from graph.browse import repository as browse
from schema import kinds

# GraphQL type -> relation field (named as the schema names it) -> the neighbour table
# entry that answers it: every relation the API shows as a list or a page (schema/kinds.py).
RELATIONS: dict[str, dict[str, str]] = {
    kind.label: {
        to_camel_case(r.name): kinds.neighbour_name(kind.label, r.name)
        for r in kind.relations
        if r.shown in (kinds.Shown.LIST, kinds.Shown.PAGE)
    }
    for kind in kinds.LISTED
}


def _fields(selections: Iterable[Selection]) -> list[SelectedField]:
    """Selected fields with fragments flattened into their parent."""
    out: list[SelectedField] = []
    for item in selections:
        if isinstance(item, (FragmentSpread, InlineFragment)):
            out.extend(_fields(item.selections))
        else:
            out.append(item)
    return out


def selected_under(info: Info[Context, None], path: Sequence[str]) -> set[str]:
    """Names of the fields selected at `path` below the field being resolved."""
    level = _fields(s for f in info.selected_fields for s in f.selections)
    for step in path:
        level = _fields(s for f in level if f.name == step for s in f.selections)
    return {f.name for f in level}


def wanted(info: Info[Context, None], type_name: str, path: Sequence[str]) -> list[str]:
    """The neighbour table entries answering the relations of `type_name` selected at
    `path` below the field being resolved."""
    relations = RELATIONS.get(type_name, {})
    return sorted({relations[f] for f in selected_under(info, path) if f in relations})


def remember(
    ctx: Context, names: Sequence[str], ids: Sequence[str], found: browse.Neighbours
) -> None:
    """Keep fetched relations for the fields below (an id without neighbours gets [])."""
    for name in names:
        by_id = found.get(name, {})
        ctx.prefetched.setdefault(name, {}).update({i: by_id.get(i, []) for i in ids})
