"""Recommendations named for people, by the one rule of schema/naming.py, for pages,
reports and the command line alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph.recommendations import repository as repo
from graph.store import GraphStore
from schema.naming import ShownName, recommendation_name

# Parents read, at most, to name a record with neither name nor description.
MAX_DEPTH = 10
_DIGITS = re.compile(r"(\d+)")


def _natural(id: str) -> list[object]:
    """'x:node11' after 'x:node5': numbers in ids compare as numbers."""
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(id)]


def recommendations(
    store: GraphStore, ids: Iterable[str], *, read: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, ShownName]:
    """Each found recommendation's name; a record with neither name nor description is
    named after its parent and its place among the parent's children. `read`: naming rows
    the caller has already (by id, as `naming_rows` gives them); the others are read."""
    wanted = list(dict.fromkeys(ids))
    known = read or {}
    rows = {id: dict(known[id]) for id in wanted if id in known}
    rows |= repo.naming_rows(store, [id for id in wanted if id not in known])
    names: dict[str, ShownName] = {}
    pending = dict.fromkeys(rows)  # an ordered set: removals in O(1), not a list's O(n)
    for _ in range(MAX_DEPTH + 1):
        for id in list(pending):
            row = rows[id]
            if row.get("ref") or row.get("title") or row.get("text") or not row.get("parent"):
                names[id] = recommendation_name(
                    ref=row.get("ref"), title=row.get("title"), text=row.get("text")
                )
                del pending[id]
        if not pending:
            break
        parents = {rows[id]["parent"] for id in pending}
        rows |= repo.naming_rows(store, [p for p in parents if p not in rows])
        named_parents = [p for p in parents if p in names]
        siblings = repo.children(store, named_parents)
        for id in list(pending):
            parent = rows[id]["parent"]
            if parent in names:
                order = sorted(siblings.get(parent, [id]), key=_natural)
                position = order.index(id) + 1 if id in order else None
                names[id] = recommendation_name(
                    ref=None, title=None, text=None, parent=names[parent], position=position
                )
                del pending[id]
            elif parent not in pending and parent in rows:
                pending[parent] = None
    for id in pending:  # a chain deeper than MAX_DEPTH: its place alone
        names.setdefault(id, recommendation_name(ref=None, title=None, text=None))
    return {id: names[id] for id in wanted if id in names}


def as_text(names: dict[str, ShownName]) -> dict[str, str]:
    """The same names as one line of text each (reference — words)."""
    return {id: str(name) for id, name in names.items()}
