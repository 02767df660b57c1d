"""Recall@10 of search on a bilingual query set, full-text alone and fused with meaning.

Seeds the demo data into a fresh embedded graph, stores the initiatives' embeddings (the
duplicate analysis does), then runs each query of tests/data/search-queries.yaml over
initiatives: the full-text search alone (accent-folded) and the product's search (full
text fused with the multilingual encoder's nearest records). Recall@10 is the share of a
query's expected initiatives among its first ten hits, averaged over queries.
Usage: python -m bench.search_recall
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from analysis import search
from analysis.duplicates import refresh
from bench.common import machine
from graph.audit import UnitOfWork
from graph.browse import repository as browse
from graph.connect import GraphConfig, open_store
from graph.store import GraphStore
from importers.seed import seed
from schema.enums import CandidateKind

QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "search-queries.yaml"
Searcher = Callable[[GraphStore, str, list[str], int], list[Any]]


def load_queries() -> list[dict[str, Any]]:
    data: dict[str, Any] = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return list(data["queries"])


def recall_at_10(store: GraphStore, searcher: Searcher) -> tuple[float, list[tuple[str, float]]]:
    per_query = []
    for query in load_queries():
        hits = [h.id for h in searcher(store, query["text"], ["Initiative"], 10)]
        expected = set(query["expected"])
        per_query.append((query["text"], len(expected & set(hits)) / len(expected)))
    return sum(r for _, r in per_query) / len(per_query), per_query


def prepared(store: GraphStore) -> GraphStore:
    store.apply_schema()
    seed(store, demo=True)
    refresh(UnitOfWork.system(store, "bench"), CandidateKind.INITIATIVE)
    return store


def main() -> None:
    print(machine())
    store = prepared(
        open_store(GraphConfig(url=None, data_dir=Path(tempfile.mkdtemp())), graph="search")
    )
    lexical, by_query_lexical = recall_at_10(store, browse.search)
    fused, by_query = recall_at_10(store, search.search)
    print("| query | full text | fused |")
    print("|---|---|---|")
    for (text, a), (_, b) in zip(by_query_lexical, by_query, strict=True):
        print(f"| {text} | {a:.2f} | {b:.2f} |")
    print(
        f"| **recall@10, mean of {len(by_query)} queries** | **{lexical:.2f}** | **{fused:.2f}** |"
    )
    store.close()


if __name__ == "__main__":
    main()
