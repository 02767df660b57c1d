"""Find pairs of records that may describe the same thing, and store them as suggestions.

One refresh: embed the texts that changed since their embedding was stored, find each
record's nearest neighbours, score those pairs from three signals (see similarity.py),
and store the pairs above STORE_FLOOR as candidates, leaving decided pairs alone. A pair
a person rejected is never suggested again, whatever happens to its texts.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from analysis import crosswalk, similarity
from analysis.encoder import DIMENSION, Encoder, pack, text_sha, unpack_many
from analysis.neighbours import similar_pairs
from graph.repositories import analysis as repo
from graph.store import GraphStore
from schema.enums import CandidateKind, MappingMethod, MappingRationale

# Calibrated on tests/data/duplicates-labelled.yaml (see BENCHMARKS.md): the best
# precision/recall trade-off there, with a margin below the weakest true pair.
DEFAULT_MIN_SCORE = 0.40
# Pairs are stored down to this score, so users can look below the default threshold.
STORE_FLOOR = 0.25
NEIGHBOURS = 15


class Progress(Protocol):
    """What a refresh tells its caller while embedding, which is the slow part."""

    def started(self, total: int) -> None: ...

    def estimated(self, seconds: float) -> None: ...

    def advanced(self, count: int) -> None: ...


@dataclass(frozen=True)
class RefreshReport:
    kind: CandidateKind
    records: int
    embedded: int
    compared: int
    candidates: int
    dropped: int
    seconds: float


def compose(row: Mapping[str, Any]) -> str:
    """The text a record is embedded and compared by: its title and its body."""
    title = (row.get("title") or "").strip()
    body = (row.get("body") or "").strip()
    if title and body:
        return f"{title}. {body}"
    return title or body


def refresh(
    store: GraphStore,
    kind: CandidateKind,
    *,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Recompute the suggestions of one kind; see the module docstring."""
    began = time.perf_counter()
    rows = repo.records(store, kind.value)
    texts = [compose(row) for row in rows]
    vectors, embedded = _vectors(store, kind, rows, texts, encoder or Encoder(), progress)
    low, high, cosines = similar_pairs(vectors, k=NEIGHBOURS, floor=similarity.SEMANTIC_FLOOR)
    decided = repo.decided_pairs(store, kind.value)
    links = repo.links(store, kind.value)
    now = datetime.now(UTC).isoformat()
    run = uuid.uuid4().hex
    scorer = _Scorer(kind, rows, texts, links)
    out: list[dict[str, Any]] = []
    for i, j, cosine in zip(low.tolist(), high.tolist(), cosines.tolist(), strict=True):
        a, b = rows[i], rows[j]
        if frozenset((a["id"], b["id"])) in decided or not scorer.comparable(a, b):
            continue
        if a["id"] > b["id"]:
            i, j = j, i
        row = scorer.score(i, j, cosine)
        if row["props"]["score"] >= STORE_FLOOR:
            row["props"]["computed_at"] = now
            out.append(row)
    dropped = repo.replace_candidates(store, kind.value, out, run=run)
    return RefreshReport(
        kind=kind,
        records=len(rows),
        embedded=embedded,
        compared=len(low),
        candidates=len(out),
        dropped=dropped,
        seconds=round(time.perf_counter() - began, 3),
    )


def _vectors(
    store: GraphStore,
    kind: CandidateKind,
    rows: Sequence[Mapping[str, Any]],
    texts: Sequence[str],
    encoder: Encoder,
    progress: Progress | None,
) -> tuple[np.ndarray[Any, np.dtype[np.float32]], int]:
    """Stored embeddings where the text is unchanged, new ones (saved) for the rest."""
    shas = [text_sha(text) for text in texts]
    stale = [
        n for n, row in enumerate(rows) if row.get("sha") != shas[n] or not row.get("embedding")
    ]
    fresh = (
        [n for n in range(len(rows)) if n not in set(stale)] if stale else list(range(len(rows)))
    )
    matrix = np.zeros((len(rows), DIMENSION), dtype=np.float32)
    if fresh:
        matrix[fresh] = unpack_many([rows[n]["embedding"] for n in fresh])
    if stale:
        matrix[stale] = _embed(encoder, [texts[n] for n in stale], progress)
        repo.save_embeddings(
            store,
            kind.value,
            ({"id": rows[n]["id"], "sha": shas[n], "embedding": pack(matrix[n])} for n in stale),
        )
    return matrix, len(stale)


def _embed(
    encoder: Encoder, texts: Sequence[str], progress: Progress | None
) -> np.ndarray[Any, np.dtype[np.float32]]:
    if progress is None:
        return encoder.encode(texts)
    progress.started(len(texts))
    first = min(len(texts), encoder.batch_size)
    began = time.perf_counter()
    head = encoder.encode(texts[:first])
    progress.advanced(first)
    if first < len(texts):
        per_text = (time.perf_counter() - began) / first
        progress.estimated(per_text * (len(texts) - first))
        tail = encoder.encode(texts[first:], progress=progress.advanced)
        return np.vstack([head, tail])
    return head


class _Scorer:
    """Scores pairs of one refresh; word sets are computed once per record, when needed."""

    def __init__(
        self,
        kind: CandidateKind,
        rows: Sequence[Mapping[str, Any]],
        texts: Sequence[str],
        links: Mapping[str, Mapping[str, frozenset[str]]],
    ) -> None:
        self.kind = kind
        self.rows = rows
        self.texts = texts
        self.links = links
        self._words: dict[int, frozenset[str]] = {}
        self.parents = {row["parent_id"] for row in rows if row.get("parent_id")}

    def words(self, n: int) -> frozenset[str]:
        if n not in self._words:
            self._words[n] = similarity.content_words(self.texts[n])
        return self._words[n]

    def comparable(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        """Recommendations are compared across sources only, and never with their parent."""
        if self.kind is CandidateKind.INITIATIVE:
            return True
        if a.get("source_id") == b.get("source_id"):
            return False
        return bool(a.get("parent_id") != b["id"] and b.get("parent_id") != a["id"])

    def score(self, i: int, j: int, cosine: float) -> dict[str, Any]:
        a, b = self.rows[i], self.rows[j]
        languages = (a.get("language") or "en", b.get("language") or "en")
        cross = languages[0] != languages[1]
        lex = similarity.lexical(self.words(i), self.words(j))
        graph, shared = similarity.graph_overlap(
            self.links.get(a["id"], {}), self.links.get(b["id"], {})
        )
        scored = similarity.combine(cosine=cosine, lex=lex, graph=graph, cross_language=cross)
        props: dict[str, Any] = {
            "score": scored.score,
            "semantic": scored.semantic,
            "lexical": scored.lexical,
            "graph": scored.graph,
            "cross_language": cross,
            "explanation": similarity.explain(scored, shared, languages),
        }
        if self.kind is CandidateKind.RECOMMENDATION:
            relation, confidence = crosswalk.suggest(
                crosswalk.Side(self.words(i), languages[0], a["id"] in self.parents),
                crosswalk.Side(self.words(j), languages[1], b["id"] in self.parents),
                cosine=cosine,
                score=scored.score,
            )
            props |= {
                "relation": relation.value,
                "confidence": confidence,
                "rationale": MappingRationale.SEMANTIC.value,
                "method": MappingMethod.AUTOMATION.value,
            }
        return {"a": a["id"], "b": b["id"], "props": props}
