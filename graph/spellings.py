"""The accented spellings a search word stands for, learnt from the registry's own texts.

People type "securite" for "sécurité", "reseau" for "réseau". Neither engine's full-text
analyser folds accents (and they differ), so the search folds them itself: it keeps, per
label, the words of the indexed texts by their folded form, and a word typed without
accents also looks for each accented spelling the registry uses. The table is rebuilt
when older than MAX_AGE seconds; a word typed as written is always searched too, so a
stale table only delays the folded match of words added since.
"""

from __future__ import annotations

import re
from collections import defaultdict

from graph.search import queries as q
from graph.store import GraphStore
from graph.store_cache import PerStore
from schema.graph_shape import FullTextIndex
from schema.text import fold

MAX_AGE = 60.0
_WORD = re.compile(r"\w+", re.UNICODE)
_tables: PerStore[dict[str, frozenset[str]]] = PerStore(MAX_AGE)


def variants(store: GraphStore, index: FullTextIndex, word: str) -> frozenset[str]:
    """The registry's spellings (lower case) of `word` once accents are folded, and the
    folded word itself (a text may be written without its accents too)."""
    folded = fold(word)
    return _table(store, index).get(folded, frozenset()) | {folded}


def _table(store: GraphStore, index: FullTextIndex) -> dict[str, frozenset[str]]:
    return _tables.get(store, index.label, lambda: _read_table(store, index))


def _read_table(store: GraphStore, index: FullTextIndex) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.read(q.indexed_texts(index)):
        for word in _WORD.findall(str(row["text"] or "").lower()):
            folded = fold(word)
            if folded != word:  # only accented words need another spelling
                found[folded].add(word)
    return {folded: frozenset(words) for folded, words in found.items()}


def forget(store: GraphStore) -> None:
    """Drop the tables of a store (tests, and a store that is closed)."""
    _tables.forget(store)
