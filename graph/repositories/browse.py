"""Read use cases for the API: pages of any label, full-text search, neighbours by batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import dialect
from graph.queries import listing, neighbours
from graph.queries import nodes as node_queries
from graph.store import GraphStore
from schema.graph_shape import FULLTEXT_INDEXES

MAX_SEARCH_HITS = 1000
INDEX_OF = {index.label: index for index in FULLTEXT_INDEXES}


@dataclass(frozen=True)
class ListRequest:
    label: str
    filters: Mapping[str, Any]
    order: str | None = None
    descending: bool = False
    search: str | None = None


@dataclass(frozen=True)
class Hit:
    label: str
    id: str
    score: float
    node: dict[str, Any]


def _ranked_ids(store: GraphStore, label: str, text: str, limit: int) -> list[str]:
    query = dialect.fulltext_terms(store.backend, text)
    if query is None:
        return []
    statement = dialect.fulltext_query(store.backend, INDEX_OF[label])
    return [r["id"] for r in store.read(statement, {"query": query, "limit": limit})]


def _parts(store: GraphStore, request: ListRequest) -> tuple[frozenset[str], dict[str, Any], bool]:
    used = {k: v for k, v in request.filters.items() if v is not None}
    params: dict[str, Any] = dict(used)
    ranked = bool(request.search and request.search.strip())
    if ranked:
        params["ranked"] = _ranked_ids(store, request.label, request.search or "", MAX_SEARCH_HITS)
    return frozenset(used), params, ranked


def list_page(
    store: GraphStore, request: ListRequest, *, skip: int, limit: int
) -> list[dict[str, Any]]:
    filters, params, ranked = _parts(store, request)
    if ranked and not params["ranked"]:
        return []
    statement = listing.page(
        request.label,
        filters=filters,
        order=request.order,
        descending=request.descending,
        ranked=ranked,
    )
    rows = store.read(statement, params | {"skip": skip, "limit": limit})
    return [r["node"] for r in rows]


def list_count(store: GraphStore, request: ListRequest) -> int:
    filters, params, ranked = _parts(store, request)
    if ranked and not params["ranked"]:
        return 0
    rows = store.read(listing.count(request.label, filters=filters, ranked=ranked), params)
    return int(rows[0]["n"])


def search(store: GraphStore, text: str, labels: Sequence[str], limit: int) -> list[Hit]:
    """Ranked hits over several labels (one full-text query per label, then merged)."""
    query = dialect.fulltext_terms(store.backend, text)
    if query is None:
        return []
    hits: list[Hit] = []
    for label in labels:
        statement = dialect.fulltext_query(store.backend, INDEX_OF[label])
        rows = store.read(statement, {"query": query, "limit": limit})
        if not rows:
            continue
        found = {
            r["node"]["id"]: r["node"]
            for r in store.read(node_queries.get_many(label), {"ids": [r["id"] for r in rows]})
        }
        hits += [
            Hit(label, r["id"], float(r["score"]), found[r["id"]]) for r in rows if r["id"] in found
        ]
    hits.sort(key=lambda h: (-h.score, h.label, h.id))
    return hits[:limit]


def by_ids(store: GraphStore, label: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = store.read(node_queries.get_many(label), {"ids": list(ids)})
    return {r["node"]["id"]: r["node"] for r in rows}


def neighbours_of(
    store: GraphStore, name: str, ids: Sequence[str]
) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """For each id, its (node, relationship properties) pairs through `name`."""
    rows = store.read(neighbours.neighbours(name), {"ids": list(ids)})
    out: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for row in rows:
        out[row["key"]].append((row["node"], row["rel"] or {}))
    return out
