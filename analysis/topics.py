"""Topic suggestions for imported recommendations that carry none.

A recommendation without a topic is invisible to the heatmap and the gaps (SSDF's tasks,
imported from NIST's catalog, carry none). Each is compared with every topic of the
taxonomy, described in both languages (English name, French name, description): the
multilingual embedding puts a French or English requirement near the topic it is about,
and the glossary's concepts shared with the topic's description add to it. The best
topics above a floor are stored as suggestions, which a co-chair accepts in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from analysis import glossary
from graph.audit import UnitOfWork, writes
from graph.store import GraphStore
from graph.topics import repository as repo

if TYPE_CHECKING:
    from analysis.encoder import Encoder

# At most this many topics per recommendation, each at least FLOOR and within MARGIN of
# the best one (a requirement is usually about one or two topics).
PER_RECOMMENDATION = 2
FLOOR = 0.3
MARGIN = 0.08
CONCEPT_WEIGHT = 0.15  # added for the share of the topic's concepts the text names
# From this score a suggestion is ticked in advance on the topics page. On the test
# catalogs, suggestions at 0.5 and above named the topic a reader would pick; between
# the floor and 0.5 they were right about as often as wrong, so a person ticks them.
CONFIDENT = 0.5


@dataclass(frozen=True)
class Suggestion:
    recommendation: str
    ref: str | None
    title: str
    source_id: str
    topic: str
    name_en: str
    name_fr: str
    score: float


@dataclass(frozen=True)
class TopicReport:
    untagged: int
    suggested: int  # recommendations with at least one suggestion
    suggestions: int


def topic_text(topic: dict[str, Any]) -> str:
    parts = [topic.get("name_en"), topic.get("name_fr"), topic.get("description")]
    return ". ".join(p for p in parts if p)


def suggest(
    store: GraphStore, *, encoder: Encoder | None = None, now: datetime | None = None
) -> TopicReport:
    """Recompute every suggestion (they depend on the taxonomy and on what is untagged)."""
    # Imported here: the review pages read and accept suggestions in a served worker,
    # which does not carry numpy; only computing them needs it.
    import numpy as np

    from analysis.duplicates import compose
    from analysis.encoder import Encoder

    untagged = repo.untagged(store)
    topics = repo.topics(store)
    rows: list[dict[str, Any]] = []
    if untagged and topics:
        encoder = encoder or Encoder()
        texts = [compose(r) for r in untagged]
        described = [topic_text(t) for t in topics]
        vectors = encoder.encode([*texts, *described])
        cosines = vectors[: len(texts)] @ vectors[len(texts) :].T
        topic_concepts = [
            glossary.concepts(d, "en") | glossary.concepts(t.get("name_fr") or "", "fr")
            for d, t in zip(described, topics, strict=True)
        ]
        for n, (record, text) in enumerate(zip(untagged, texts, strict=True)):
            found = glossary.concepts(text, record.get("language") or "en")
            scores = cosines[n].astype(np.float64)
            for k, concepts in enumerate(topic_concepts):
                if concepts:
                    scores[k] += CONCEPT_WEIGHT * len(found & concepts) / len(concepts)
            best = float(scores.max())
            for k in np.argsort(-scores)[:PER_RECOMMENDATION].tolist():
                if scores[k] >= FLOOR and scores[k] >= best - MARGIN:
                    rows.append(
                        {
                            "r": record["id"],
                            "t": topics[k]["id"],
                            "score": round(float(scores[k]), 4),
                        }
                    )
    repo.replace(store, rows, now=now or datetime.now(UTC))
    return TopicReport(
        untagged=len(untagged),
        suggested=len({row["r"] for row in rows}),
        suggestions=len(rows),
    )


def suggestions(store: GraphStore) -> dict[str, list[Suggestion]]:
    """Stored suggestions, by source, best first within each recommendation."""
    grouped: dict[str, list[Suggestion]] = defaultdict(list)
    for row in repo.suggestions(store):
        grouped[row["source_id"]].append(
            Suggestion(
                recommendation=row["id"],
                ref=row.get("ref"),
                title=row.get("title") or (row.get("text") or "")[:120],
                source_id=row["source_id"],
                topic=row["topic"],
                name_en=row["name_en"],
                name_fr=row["name_fr"],
                score=float(row["score"]),
            )
        )
    return dict(grouped)


def ranked(store: GraphStore) -> list[Suggestion]:
    """Every stored suggestion, the most confident first (then by source and record)."""
    every = [s for items in suggestions(store).values() for s in items]
    return sorted(every, key=lambda s: (-s.score, s.source_id, s.recommendation, s.topic))


def untagged_by_source(store: GraphStore) -> dict[str, int]:
    """How many active recommendations of each source have no topic yet."""
    return repo.untagged_by_source(store)


@writes
def accept(work: UnitOfWork, pairs: Sequence[tuple[str, str]]) -> int:
    """Accept suggested (recommendation, topic) pairs, audited; unsuggested ones are ignored."""
    work.note_targets(*sorted({r for r, _ in pairs}))
    work.note_change("topics", None, sorted(f"{r} → {t}" for r, t in pairs))
    return repo.accept(work, pairs)
