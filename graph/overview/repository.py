"""Reads for the web pages and reports; see graph/overview/queries.py."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.overview import queries as q
from graph.store import GraphStore


def counts(store: GraphStore) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in store.read(q.COUNTS):
        out[row["what"]][str(row["key"])] = int(row["n"])
    return dict(out)


def groups(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.GROUPS)


def members(store: GraphStore, wg: str) -> list[dict[str, Any]]:
    return store.read(q.GROUP_MEMBERS, {"wg": wg})


def initiatives(store: GraphStore, wg: str) -> list[dict[str, Any]]:
    return store.read(q.GROUP_INITIATIVES, {"wg": wg})


def initiatives_page(
    store: GraphStore, wg: str, *, skip: int, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """One page of the group's initiatives by title (all from `skip` when `limit` is
    None), and how many the group tracks."""
    every = 2**31 - 1  # LIMIT takes a number on both engines, never null
    params = {"wg": wg, "skip": skip, "limit": every if limit is None else limit}
    rows = store.read(q.GROUP_INITIATIVES_PAGE, params)
    total = int(store.read(q.GROUP_INITIATIVE_COUNT, {"wg": wg})[0]["n"])
    return rows, total


def network(store: GraphStore, wg: str) -> list[dict[str, Any]]:
    return store.read(q.GROUP_NETWORK, {"wg": wg})


def initiative_card(store: GraphStore, id: str) -> dict[str, Any] | None:
    """An initiative with its contributors, groups and links (recommendations it
    implements, topics it addresses, principles it advances), each named; the lists are
    empty rather than holding the empty maps an unmatched OPTIONAL MATCH collects."""
    rows = store.read(q.INITIATIVE_CARD, {"id": id})
    if not rows:
        return None
    card = dict(rows[0])
    for key in ("contributors", "links", "groups"):
        card[key] = sorted((x for x in card[key] if x.get("id")), key=lambda x: x["id"])
    return card


def sources(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(q.SOURCES)


def topic_names(store: GraphStore, lang: str) -> list[tuple[str, str]]:
    """(id, name in `lang`) of every topic, by name: the choices of a topic picker."""
    rows = store.read(q.TOPIC_NAMES)
    named = [(r["id"], r["fr"] if lang == "fr" else r["en"]) for r in rows]
    return sorted(named, key=lambda pair: pair[1].casefold())


def source_titles(store: GraphStore) -> dict[str, str]:
    """Each source's title by id: pages name sources, they do not show their ids."""
    return {row["id"]: row["title"] for row in store.read(q.SOURCES)}


def names(store: GraphStore) -> dict[str, dict[str, str]]:
    """Topic and principle names by id, in both languages."""
    return {row["id"]: {"en": row["en"], "fr": row["fr"]} for row in store.read(q.NAMES)}
