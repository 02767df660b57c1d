"""Find pairs of records that may describe the same thing, and store them as suggestions.

One refresh: embed the texts that changed since their embedding was stored, find each
record's nearest neighbours, score those pairs from three signals (see similarity.py),
and store the pairs above STORE_FLOOR as candidates, leaving decided pairs alone. A pair
a person rejected is never suggested again, whatever happens to its texts.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
NEIGHBOURS = 10


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
    unchanged: bool = False
    timings: dict[str, float] = field(default_factory=dict)


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
    """Recompute the suggestions of one kind; see the module docstring.

    When no text, link or decision changed since the last refresh (same fingerprint),
    the stored suggestions are already right and nothing is recomputed.
    """
    began = time.perf_counter()
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    with clock("read"):
        rows = repo.records(store, kind.value)
        texts = [compose(row) for row in rows]
        shas = [text_sha(text) for text in texts]
        decided = repo.decided_pairs(store, kind.value)
        links = repo.links(store, kind.value)
        print_ = _fingerprint(rows, shas, links, decided)
        stale = [n for n, row in enumerate(rows) if row.get("sha") != shas[n]]
    if not stale and repo.fingerprint(store, kind.value) == print_:
        return RefreshReport(
            kind=kind,
            records=len(rows),
            embedded=0,
            compared=0,
            candidates=repo.count_pairs(
                store, kind.value, statuses=["candidate"], min_score=0.0, working_group=None
            ),
            dropped=0,
            seconds=round(time.perf_counter() - began, 3),
            unchanged=True,
            timings=timings,
        )
    with clock("embed"):
        vectors = _vectors(store, kind, rows, texts, shas, stale, encoder or Encoder(), progress)
    with clock("neighbours"):
        low, high, cosines = similar_pairs(vectors, k=NEIGHBOURS, floor=similarity.SEMANTIC_FLOOR)
    del vectors
    with clock("score and store"):
        now = datetime.now(UTC).isoformat()
        scorer = _Scorer(kind, rows, texts, links)
        stored = 0

        def suggestions() -> Iterator[dict[str, Any]]:
            """Scored pairs, made as the store asks for them: memory stays flat."""
            nonlocal stored
            for i, j, cosine in zip(low.tolist(), high.tolist(), cosines.tolist(), strict=True):
                a, b = rows[i], rows[j]
                if frozenset((a["id"], b["id"])) in decided or not scorer.comparable(a, b):
                    continue
                if a["id"] > b["id"]:
                    i, j = j, i
                row = scorer.score(i, j, cosine)
                if row["props"]["score"] >= STORE_FLOOR:
                    row["props"]["computed_at"] = now
                    stored += 1
                    yield row

        dropped = repo.replace_candidates(store, kind.value, suggestions(), run=uuid.uuid4().hex)
        repo.save_fingerprint(store, kind.value, print_)
    return RefreshReport(
        kind=kind,
        records=len(rows),
        embedded=len(stale),
        compared=len(low),
        candidates=stored,
        dropped=dropped,
        seconds=round(time.perf_counter() - began, 3),
        timings=timings,
    )


class _Clock:
    """Adds the wall time of each stage to a dict, for reports and benchmarks."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = round(time.perf_counter() - began, 3)


# Bump when the scoring changes, so that stored suggestions are recomputed.
SCORING_VERSION = "1"


def _fingerprint(
    rows: Sequence[Mapping[str, Any]],
    shas: Sequence[str],
    links: Mapping[str, Mapping[str, frozenset[str]]],
    decided: set[frozenset[str]],
) -> str:
    """What the suggestions depend on: texts, languages, sources, links and decisions."""
    digest = hashlib.sha256(f"{SCORING_VERSION}|{STORE_FLOOR}|{NEIGHBOURS}".encode())
    for row, sha in sorted(zip(rows, shas, strict=True), key=lambda pair: pair[0]["id"]):
        digest.update(
            f"{row['id']}|{sha}|{row.get('language')}|{row.get('source_id')}|"
            f"{row.get('parent_id')}\n".encode()
        )
    for key in sorted(links):
        for name in sorted(links[key]):
            digest.update(f"{key}|{name}|{','.join(sorted(links[key][name]))}\n".encode())
    for pair in sorted(tuple(sorted(p)) for p in decided):
        digest.update(f"{pair}\n".encode())
    return digest.hexdigest()


def _vectors(
    store: GraphStore,
    kind: CandidateKind,
    rows: Sequence[Mapping[str, Any]],
    texts: Sequence[str],
    shas: Sequence[str],
    stale: Sequence[int],
    encoder: Encoder,
    progress: Progress | None,
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Stored embeddings where the text is unchanged, new ones (saved) for the rest."""
    stale_set = set(stale)
    fresh = [n for n in range(len(rows)) if n not in stale_set]
    matrix = np.zeros((len(rows), DIMENSION), dtype=np.float32)
    if fresh:
        stored = repo.embeddings(store, kind.value, [rows[n]["id"] for n in fresh])
        missing = [n for n in fresh if not stored.get(rows[n]["id"])]
        if missing:  # a hash without its vector: recompute rather than trust it
            stale_set.update(missing)
            fresh = [n for n in fresh if n not in stale_set]
        if fresh:
            matrix[fresh] = unpack_many([stored[rows[n]["id"]] or "" for n in fresh])
    todo = sorted(stale_set)
    if todo:
        matrix[todo] = _embed(encoder, [texts[n] for n in todo], progress)
        repo.save_embeddings(
            store,
            kind.value,
            ({"id": rows[n]["id"], "sha": shas[n], "embedding": pack(matrix[n])} for n in todo),
        )
    return matrix


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
