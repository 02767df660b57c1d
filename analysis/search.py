"""Search the way people type: accents optional, and across French and English.

Full-text search finds the words typed (accent-folded, graph/spellings.py) but not their
translation: "nomenclature logicielle" misses the English SBOM initiatives. Two more
rankings join it: full-text hits for the glossary's names of the concepts the query names
(in both languages), and, where the duplicate analysis stored embeddings (initiatives and
recommendations), the records nearest the query's meaning. The rankings are fused by
reciprocal rank (each hit scores the sum of 1 / (RRF_K + rank) over the lists it is in),
so a record several lists agree on comes first.

The semantic ranking imports numpy and the encoder when a search first needs them: a
worker that serves no search carries neither.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from analysis import glossary
from graph.browse import repository as browse
from graph.browse.repository import Hit
from graph.dialect import search_words
from graph.search import queries as q
from graph.store import GraphStore
from graph.store_cache import PerStore
from schema.errors import Problem, ValidationFailed

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from analysis.encoder import Encoder

SEMANTIC_LABELS = ("Initiative", "Recommendation")
RRF_K = 60
SEMANTIC_TOP = 20  # nearest records considered per label
SEMANTIC_MIN = 0.2  # cosine under which a record is not a hit (see BENCHMARKS.md)
MAX_AGE = 60.0  # seconds a label's embedding matrix is reused

_lock = threading.Lock()
_encoder: Encoder | None = None
_matrices: PerStore[tuple[list[str], npt.NDArray[np.float32]]] = PerStore(MAX_AGE)


def bounded(text: str, limit: int, *, field: str = "text") -> str:
    """The text, or ValidationFailed when it is longer than `limit` characters: a
    search's work grows with its text (500 KB took 21 s of CPU), so the length is checked
    before any of it is done."""
    if len(text) > limit:
        problem = f"a search text has at most {limit} characters; this one has {len(text)}"
        raise ValidationFailed([Problem(problem, field=field)])
    return text


def search(store: GraphStore, text: str, labels: list[str], limit: int) -> list[Hit]:
    """Hits of several labels, lexical and semantic ranks fused, best first."""
    lexical = _lexical(store, text, labels, max(limit, 50))
    semantic = _semantic(store, text, [label for label in labels if label in SEMANTIC_LABELS])
    translated = _translated(store, text, labels, max(limit, 50))
    fused: dict[tuple[str, str], float] = {}
    rankings = ([(h.label, h.id) for h in lexical], semantic, [(h.label, h.id) for h in translated])
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank)
    order = sorted(fused, key=lambda key: (-fused[key], key))[:limit]
    nodes = {(h.label, h.id): h.node for h in [*lexical, *translated]}
    missing: dict[str, list[str]] = {}
    for label, id in order:
        if (label, id) not in nodes:
            missing.setdefault(label, []).append(id)
    for label, ids in missing.items():
        for id, node in browse.by_ids(store, label, ids).items():
            nodes[(label, id)] = node
    return [
        Hit(label, id, round(fused[(label, id)], 6), nodes[(label, id)])
        for label, id in order
        if (label, id) in nodes
    ]


def _lexical(store: GraphStore, text: str, labels: list[str], limit: int) -> list[Hit]:
    """Full-text hits with every word typed, then, when they are fewer than `limit`, those
    with some of the words: "software supply" found the one record saying both and none
    of the many about software or about supply chains."""
    every = browse.search(store, text, labels, limit)
    if len(every) >= limit or len(search_words(text)) < 2:
        return every
    seen = {(h.label, h.id) for h in every}
    some = browse.search(store, text, labels, limit, any_word=True)
    return every + [h for h in some if (h.label, h.id) not in seen][: limit - len(every)]


def _translated(store: GraphStore, text: str, labels: list[str], limit: int) -> list[Hit]:
    """Full-text hits for the glossary's names of the concepts the query names, in both
    languages: "nomenclature logicielle" also looks for "SBOM" and "software bill of
    materials", which no encoder maps reliably."""
    named = glossary.concepts(text, "fr") | glossary.concepts(text, "en")
    phrases: list[str] = []
    for key in sorted(named):
        concept = glossary.CONCEPTS[key]
        phrases += [concept.en[0], concept.fr[0], concept.label]
    hits: dict[tuple[str, str], Hit] = {}
    # Full-text search ignores case: "sbom" and "SBOM" are one query, run once.
    distinct = {p.casefold(): p for p in phrases if p.casefold() != text.casefold()}
    for phrase in distinct.values():
        for hit in browse.search(store, phrase, labels, limit):
            best = hits.get((hit.label, hit.id))
            if best is None or hit.score > best.score:
                hits[(hit.label, hit.id)] = hit
    return sorted(hits.values(), key=lambda h: (-h.score, h.label, h.id))[:limit]


def _semantic(store: GraphStore, text: str, labels: list[str]) -> list[tuple[str, str]]:
    """(label, id) of the records nearest the query's meaning, best first."""
    import numpy as np  # on the first search (see the module's docstring)

    found: list[tuple[float, str, str]] = []
    query: npt.NDArray[np.float32] | None = None
    for label in labels:
        ids, matrix = _matrix(store, label)
        if not ids or not text.strip():
            continue
        if query is None:
            query = _embed(text)
        sims = matrix @ query
        for k in np.argsort(-sims)[:SEMANTIC_TOP].tolist():
            if sims[k] >= SEMANTIC_MIN:
                found.append((float(sims[k]), label, ids[k]))
    found.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [(label, id) for _, label, id in found]


def _embed(text: str) -> npt.NDArray[np.float32]:
    import numpy as np

    from analysis.encoder import Encoder

    global _encoder
    with _lock:  # the model loads once, and encodes one query at a time
        if _encoder is None:
            _encoder = Encoder(workers=1)
        vector = _encoder.encode([text[:1000]])[0]
    norm = float(np.linalg.norm(vector)) or 1.0
    return np.asarray(vector / norm, dtype=np.float32)


def _matrix(store: GraphStore, label: str) -> tuple[list[str], npt.NDArray[np.float32]]:
    return _matrices.get(store, label, lambda: _read_matrix(store, label))


def _read_matrix(store: GraphStore, label: str) -> tuple[list[str], npt.NDArray[np.float32]]:
    from analysis.encoder import unpack_many

    rows: list[dict[str, Any]] = store.read(q.stored_embeddings(label))
    ids = [str(row["id"]) for row in rows]
    return ids, unpack_many([str(row["e"]) for row in rows])


def forget(store: GraphStore) -> None:
    """Drop the cached matrices of a store."""
    _matrices.forget(store)
