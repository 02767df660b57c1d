"""Read use cases for the API: pages of any label, full-text search, neighbours by batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import dialect, spellings
from graph.browse import neighbours
from graph.browse import queries as listing
from graph.nodes import queries as node_queries
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


def _ranked(
    store: GraphStore, label: str, text: str, limit: int, *, any_word: bool = False
) -> list[dict[str, Any]]:
    """(id, score) rows of a full-text query, best first; none for text without words.
    Every word is required unless `any_word`."""
    index = INDEX_OF[label]
    query = dialect.fulltext_terms(
        store.backend, text, lambda word: spellings.variants(store, index, word), any_word=any_word
    )
    if query is None:
        return []
    statement = dialect.fulltext_query(store.backend, index)
    return store.read(statement, {"query": query, "limit": limit})


@dataclass(frozen=True)
class ResolvedList:
    """A list request with its text search already run, shared by page and count."""

    request: ListRequest
    filters: frozenset[str]
    params: dict[str, Any]
    ranked: bool

    @property
    def empty(self) -> bool:
        return self.ranked and not self.params["ranked"]


def resolve(store: GraphStore, request: ListRequest) -> ResolvedList:
    """Run the text search (if any) once, so page and count use the same ranking."""
    used = {k: v for k, v in request.filters.items() if v is not None}
    params: dict[str, Any] = dict(used)
    ranked = bool(request.search and request.search.strip())
    if ranked:
        rows = _ranked(store, request.label, request.search or "", MAX_SEARCH_HITS)
        params["ranked"] = [r["id"] for r in rows]
    return ResolvedList(request, frozenset(used), params, ranked)


def list_count(store: GraphStore, resolved: ResolvedList) -> int:
    if resolved.empty:
        return 0
    statement = listing.count(
        resolved.request.label, filters=resolved.filters, ranked=resolved.ranked
    )
    return int(store.read(statement, resolved.params)[0]["n"])


def search(
    store: GraphStore, text: str, labels: Sequence[str], limit: int, *, any_word: bool = False
) -> list[Hit]:
    """Ranked hits over several labels (one full-text query per label, then merged);
    records with every word of `text`, or with any of them when `any_word`."""
    hits: list[Hit] = []
    for label in labels:
        rows = _ranked(store, label, text, limit, any_word=any_word)
        if not rows:
            continue
        found = by_ids(store, label, [r["id"] for r in rows])
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
    """For each id, its (node, relationship properties) pairs through `name`, ordered
    by node id."""
    rows = store.read(neighbours.neighbours(name), {"ids": list(ids)})
    out: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for row in rows:
        out[row["key"]].append((row["node"], row["rel"] or {}))
    for pairs in out.values():
        pairs.sort(key=_by_node_id)
    return out


def _by_node_id(pair: tuple[dict[str, Any], dict[str, Any]]) -> str:
    return str(pair[0]["id"])
