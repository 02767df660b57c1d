"""Find pairs of records that may describe the same thing, and store them as suggestions.

One refresh: embed the texts that changed since their embedding was stored; block, that
is pick the pairs worth scoring (each record's nearest neighbours by embedding, and for
initiatives by glossary concepts too, the records sharing a rare recommendation or topic,
and the pairs people decided); score them; move the scores to this registry's base rate
and what its decisions taught (base_rate.py), then set the pairs its decisions imply
(a duplicate of a duplicate; what is confirmed the same as one end of a rejected pair,
decided_groups.py); store the pairs above STORE_FLOOR (the
floor of the "possible" band) as candidates, leaving decided pairs alone. A pair a
person rejected is never suggested again, whatever happens to its texts.

Initiatives are scored by the fitted model (pair_features.py, duplicate_model.py): the
probability that the pair is a duplicate. Recommendations are still scored by the
weighted signals of similarity.py, which the crosswalk suggestions are built on.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from analysis import (
    base_rate,
    crosswalk,
    decided_groups,
    duplicate_model,
    explanations,
    glossary,
    pair_features,
    similarity,
    unstored,
)
from analysis.blocking import BLOCK_FLOOR, NEIGHBOURS, Blocked, candidate_pairs, graph_pairs
from analysis.encoder import DIMENSION, Encoder, pack, text_sha, unpack_many

# The thresholds and the floor are read without numpy (thresholds.py), for the readers of
# suggestions; they are still named from here, where pairs are scored and stored.
from analysis.thresholds import DEFAULT_MIN_SCORE as DEFAULT_MIN_SCORE
from analysis.thresholds import RECOMMENDATION_MIN_SCORE as RECOMMENDATION_MIN_SCORE
from analysis.thresholds import STORE_FLOOR, default_min_score
from graph.analysis import repository as repo
from graph.audit import UnitOfWork, writes
from graph.store import GraphStore
from schema.enums import CandidateKind, MappingMethod, MappingRationale

# Scored pairs go to the store in chunks of this size: memory stays flat at 100k records.
CHUNK = 20_000


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
    candidates: int  # suggestions at or above the default threshold: what lists show
    dropped: int
    seconds: float
    unchanged: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    stored: int = 0  # all suggestions kept, down to STORE_FLOOR
    threshold: float = 0.0
    # What this registry has taught the score (analysis/base_rate.py): its share of
    # duplicates among compared pairs, and the calibration refit on its decisions.
    calibration: dict[str, Any] = field(default_factory=dict)


def compose(row: Mapping[str, Any]) -> str:
    """The text a record is embedded and compared by: its title and its body."""
    title = (row.get("title") or "").strip()
    body = (row.get("body") or "").strip()
    if title and body:
        return f"{title}. {body}"
    return title or body


@writes
def refresh(
    work: UnitOfWork,
    kind: CandidateKind,
    *,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Recompute the suggestions of one kind; see the module docstring.

    When no text, link or decision changed since the last refresh (same fingerprint),
    the stored suggestions are already right and nothing is recomputed.
    """
    store = work.store
    if kind is CandidateKind.RECOMMENDATION:
        # Imported here: the inference reuses this module's embedding stage and report.
        from analysis import crosswalk_inference

        return crosswalk_inference.refresh(work, encoder=encoder, progress=progress)
    began = time.perf_counter()
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    with clock("read"):
        rows = repo.records(store, kind.value)
        texts = [compose(row) for row in rows]
        shas = [text_sha(text) for text in texts]
        verdicts = repo.decisions(store, kind.value)
        through: dict[tuple[str, str], list[str]] = {}
        if kind is CandidateKind.INITIATIVE:  # a merged initiative's decisions go with it
            verdicts, through = _followed(verdicts, repo.merges(store))
        # a pair confirmed through a merged initiative is still suggested (0.99, so that
        # the co-chair can merge it too); one rejected through it is never suggested
        decided = {
            frozenset(pair)
            for pair, status in verdicts.items()
            if pair not in through or status == "rejected"
        }
        links = repo.links(store, kind.value)
        print_ = _fingerprint(rows, shas, links, verdicts)
        stale = [n for n, row in enumerate(rows) if row.get("sha") != shas[n]]
    if not stale and repo.fingerprint(store, kind.value) == print_:
        return _as_stored(store, kind, records=len(rows), began=began, timings=timings)
    with clock("embed"):
        vectors = _vectors(store, kind, rows, texts, shas, stale, encoder or Encoder(), progress)
    with clock("neighbours"):
        taught = _decided_positions(rows, verdicts) if kind is CandidateKind.INITIATIVE else None
        found = decided_groups.groups(len(rows), *taught) if taught is not None else None
        blocked, records = _block(kind, rows, texts, links, vectors, taught, found)
    del vectors
    with clock("score and store"):
        scorer = _Scorer(kind, rows, texts, links, records, blocked, through=through)
        learned: dict[str, Any] = {}
        if kind is CandidateKind.INITIATIVE:
            scorer.calibrate(taught, found)
            learned = scorer.calibration.as_dict() if scorer.calibration else {}
        counted = _Stored(default_min_score(kind))
        pairs = scorer.open_pairs(decided)  # positions in `blocked`
        dropped = repo.replace_candidates(
            store, kind.value, counted.kept(scorer, pairs), run=uuid.uuid4().hex
        )
        if learned:
            repo.save_calibration(work, kind.value, learned)
            repo.save_unstored(work, kind.value, scorer.unstored(pairs))
        repo.save_fingerprint(work, kind.value, print_)
    return RefreshReport(
        kind=kind,
        records=len(rows),
        embedded=len(stale),
        compared=len(blocked.low),
        candidates=counted.shown,
        stored=counted.stored,
        threshold=counted.threshold,
        dropped=dropped,
        seconds=round(time.perf_counter() - began, 3),
        timings=timings,
        calibration=learned,
    )


class _Stored:
    """Counts what a refresh stores (down to STORE_FLOOR) and shows (from the threshold)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.stored = self.shown = 0
        self.now = datetime.now(UTC).isoformat()

    def kept(self, scorer: _Scorer, pairs: Any) -> Iterator[dict[str, Any]]:
        """Scored pairs, made as the store asks for them: memory stays flat."""
        for start in range(0, len(pairs), CHUNK):
            for row in scorer.score_many(pairs[start : start + CHUNK].tolist()):
                if row["props"]["score"] >= STORE_FLOOR:
                    row["props"]["computed_at"] = self.now
                    self.stored += 1
                    self.shown += row["props"]["score"] >= self.threshold
                    yield row


def _as_stored(
    store: GraphStore, kind: CandidateKind, *, records: int, began: float, timings: dict[str, float]
) -> RefreshReport:
    """The report of a refresh that found nothing changed: the stored suggestions stand."""
    threshold = default_min_score(kind)

    def count(floor: float) -> int:
        return repo.count_pairs(
            store, kind.value, statuses=["candidate"], min_score=floor, working_group=None
        )

    return RefreshReport(
        kind=kind, records=records, embedded=0, compared=0, candidates=count(threshold),
        stored=count(0.0), threshold=threshold, dropped=0,
        seconds=round(time.perf_counter() - began, 3), unchanged=True, timings=timings,
        calibration=repo.calibration(store, kind.value) or {},
    )  # fmt: skip


def _block(
    kind: CandidateKind,
    rows: list[dict[str, Any]],
    texts: list[str],
    links: Any,
    vectors: Any,
    taught: Any,
    found: decided_groups.Groups | None = None,
) -> tuple[Any, pair_features.Records | None]:
    """The pairs worth scoring (nearest by text, by concepts, through the graph, every
    decided pair and every pair the confirmed ones join) and, for initiatives, what
    scoring needs of each record."""
    initiatives = kind is CandidateKind.INITIATIVE
    profiles = (
        [
            pair_features.profile(text, row.get("language"))
            for text, row in zip(texts, rows, strict=True)
        ]
        if initiatives
        else []
    )
    floor = BLOCK_FLOOR if initiatives else similarity.SEMANTIC_FLOOR
    groups = None if initiatives else [r.get("source_id") or "" for r in rows]
    extra = None
    if taught is not None:
        g_low, g_high = graph_pairs([row["id"] for row in rows], links)
        j_low, j_high = decided_groups.pairs_within(found) if found else (g_low[:0], g_high[:0])
        extra = (
            np.concatenate([taught[0], g_low, j_low]),
            np.concatenate([taught[1], g_high, j_high]),
        )
    blocked = candidate_pairs(vectors, profiles, floor=floor, groups=groups, extra=extra)
    records = (
        pair_features.Records(profiles, blocked.hubs, blocked.concept_hubs) if profiles else None
    )
    return blocked, records  # the profiles go: at 100k they are hundreds of MiB


def _followed(
    verdicts: Mapping[tuple[str, str], str], merges: Mapping[str, str]
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], list[str]]]:
    """The decisions, those on a merged initiative also counted for the one it was merged
    into (a merge archives it, and its decisions would otherwise stop counting: a pair
    they kept apart came back as a likely duplicate), and for each pair counted so, the
    merged initiatives it went through. A decision whose two ends became one is dropped;
    where decisions on two merged ends disagree, the rejection stands."""
    through: dict[tuple[str, str], list[str]] = {}
    if not merges:
        return dict(verdicts), through

    def kept(id: str) -> str:
        for _ in range(len(merges) + 1):  # a chain of merges, never a loop
            if id not in merges:
                break
            id = merges[id]
        return id

    out = dict(verdicts)
    for (a, b), status in verdicts.items():
        ends = tuple(sorted((kept(a), kept(b))))
        if ends[0] == ends[1] or ends == (a, b) or ends == (b, a):
            continue
        pair = (ends[0], ends[1])
        if pair in verdicts:
            continue  # decided on these two themselves
        if out.get(pair) != "rejected":
            out[pair] = status
        through.setdefault(pair, []).extend(x for x in (a, b) if x not in pair)
    return out, through


def _decided_positions(
    rows: Sequence[Mapping[str, Any]], verdicts: Mapping[tuple[str, str], str]
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]], list[bool]]:
    """The decided pairs whose two records take part, as positions, with their labels
    (True: confirmed). Pairs decided on archived records teach nothing."""
    index = {row["id"]: n for n, row in enumerate(rows)}
    low, high, labels = [], [], []
    for (a, b), status in sorted(verdicts.items()):
        if a in index and b in index and a != b:
            low.append(min(index[a], index[b]))
            high.append(max(index[a], index[b]))
            labels.append(status == "confirmed")
    return np.asarray(low, dtype=np.int64), np.asarray(high, dtype=np.int64), labels


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


# Bump when the scoring or what a stored pair holds changes, so that stored suggestions are
# recomputed (4: pairs keep their reasons, rendered in the reader's language; 5: scores
# follow the registry's base rate and its decisions; 6: decisions correct the scores near
# them and settle the pairs they imply, analysis/decided_groups.py).
SCORING_VERSION = "6"


def _fingerprint(
    rows: Sequence[Mapping[str, Any]],
    shas: Sequence[str],
    links: Mapping[str, Mapping[str, frozenset[str]]],
    decided: Mapping[tuple[str, str], str],
) -> str:
    """What the suggestions depend on: texts, languages, sources, links and decisions
    (a pair turned from confirmed to rejected changes what the score learns)."""
    model = duplicate_model.load().version
    digest = hashlib.sha256(f"{SCORING_VERSION}|{model}|{STORE_FLOOR}|{NEIGHBOURS}".encode())
    for row, sha in sorted(zip(rows, shas, strict=True), key=lambda pair: pair[0]["id"]):
        digest.update(
            f"{row['id']}|{sha}|{row.get('language')}|{row.get('source_id')}|"
            f"{row.get('parent_id')}\n".encode()
        )
    for key in sorted(links):
        for name in sorted(links[key]):
            digest.update(f"{key}|{name}|{','.join(sorted(links[key][name]))}\n".encode())
    for pair, status in sorted(decided.items()):
        digest.update(f"{pair}|{status}\n".encode())
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
        records: pair_features.Records | None,
        blocked: Blocked,
        *,
        through: Mapping[tuple[str, str], list[str]] | None = None,
    ) -> None:
        self.kind = kind
        self.rows = rows
        self.texts = texts
        self.links = links
        self.blocked = blocked
        self.records = records
        self._words: dict[int, frozenset[str]] = {}
        self.parents = {row["parent_id"] for row in rows if row.get("parent_id")}
        self.calibration: base_rate.Calibration | None = None
        self._chances: np.ndarray[Any, np.dtype[np.float64]] | None = None
        self._groups: decided_groups.Groups | None = None
        self._together: set[int] = set()  # positions of the pairs the decisions join
        # pairs decided through merged initiatives: those initiatives
        self.through: Mapping[tuple[str, str], list[str]] = through or {}

    def calibrate(
        self,
        taught: tuple[
            np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]], list[bool]
        ]
        | None,
        found: decided_groups.Groups | None = None,
    ) -> None:
        """Score every blocked pair by the model, then fit this registry's calibration: its
        prior from all of them, the refit from the decided ones (analysis/base_rate.py);
        then what the decisions imply for the others (analysis/decided_groups.py)."""
        assert self.records is not None
        records, blocked = self.records, self.blocked

        def probabilities(model: duplicate_model.Model) -> np.ndarray[Any, np.dtype[np.float64]]:
            raw = np.zeros(len(blocked.low), dtype=np.float64)
            for start in range(0, len(raw), CHUNK):
                part = np.arange(start, min(start + CHUNK, len(raw)), dtype=np.int64)
                raw[part] = model.probability(blocked.features(records, part))
            return raw

        where = rows = labels = None
        if taught is not None and len(taught[0]):
            n = len(self.rows)
            keys = blocked.low * n + blocked.high  # sorted: blocking returns unique keys
            where = np.searchsorted(keys, taught[0] * n + taught[1])
            rows = blocked.features(records, where)
            labels = np.asarray(taught[2], dtype=bool)
        self.calibration, raw = base_rate.learn(
            duplicate_model.load(),
            probabilities,
            decided=where,
            rows=rows,
            labels=labels,
            features=lambda positions: blocked.features(records, positions),
        )
        self._chances = self.calibration.apply(raw)
        if found is not None and where is not None:
            self._chances, together, _ = decided_groups.settle(
                found, blocked.low, blocked.high, self._chances
            )
            self._groups, self._together = found, set(together.tolist())

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

    def open_pairs(self, decided: set[frozenset[str]]) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Positions of the blocked pairs that are comparable and not decided by a person."""
        everything = np.arange(len(self.blocked.low), dtype=np.int64)
        if self.kind is CandidateKind.INITIATIVE and not decided:
            return everything  # the common case at scale: no Python loop over a million
        low, high = self.blocked.low.tolist(), self.blocked.high.tolist()
        keep = [
            n
            for n, (i, j) in enumerate(zip(low, high, strict=True))
            if frozenset((self.rows[i]["id"], self.rows[j]["id"])) not in decided
            and self.comparable(self.rows[i], self.rows[j])
        ]
        return np.asarray(keep, dtype=np.int64)

    def unstored(self, positions: np.ndarray[Any, np.dtype[np.int64]]) -> str:
        """The pairs at these positions scored below STORE_FLOOR, packed (analysis/unstored.py),
        each with its ends in id order as stored suggestions are."""
        assert self._chances is not None
        chances = self._chances[positions]
        below = positions[chances < STORE_FLOOR]
        ids = [row["id"] for row in self.rows]
        low, high = self.blocked.low[below], self.blocked.high[below]
        order = np.argsort(np.asarray(ids, dtype=object)).argsort()  # each id's rank
        swap = order[low] > order[high]
        first, second = np.where(swap, high, low), np.where(swap, low, high)
        return unstored.pack(ids, first, second, self._chances[below])

    def score_many(self, positions: Sequence[int]) -> Iterator[dict[str, Any]]:
        """Scored pairs at these positions of the blocked pairs, in id order within each."""
        blocked = self.blocked
        ends = []
        for n in positions:
            i, j = int(blocked.low[n]), int(blocked.high[n])
            ends.append((j, i) if self.rows[i]["id"] > self.rows[j]["id"] else (i, j))
        if self.kind is CandidateKind.RECOMMENDATION:
            for (i, j), n in zip(ends, positions, strict=True):
                yield self.score(i, j, float(blocked.cosines[n]))
            return
        assert self.records is not None  # initiatives always have profiles
        if self._chances is None:
            self.calibrate(None)
        assert self._chances is not None
        places = np.asarray(positions, dtype=np.int64)
        chances = self._chances[places]
        kept = np.flatnonzero(chances >= STORE_FLOOR)  # features again for these few only
        features = blocked.features(self.records, places[kept])
        for k, row in zip(kept.tolist(), features, strict=True):
            i, j = ends[k]
            n = positions[k]
            pair = self._initiative_pair(i, j, float(blocked.cosines[n]), row, float(chances[k]))
            if n in self._together:
                self._joined(pair, i, j)
            yield pair

    def _joined(self, pair: dict[str, Any], i: int, j: int) -> None:
        """Says why a pair the decisions join is suggested: the records both were
        confirmed duplicates of (through them, one initiative)."""
        assert self._groups is not None
        via = [self.rows[m]["id"] for m in self._groups.members(i) if m not in (i, j)][:3]
        ends = tuple(sorted((self.rows[i]["id"], self.rows[j]["id"])))
        via = via or list(self.through.get((ends[0], ends[1]), []))[:3]
        props = pair["props"]
        props["explanation"] = f"both confirmed duplicates of {', '.join(via)}; " + str(
            props["explanation"]
        )
        props["reasons"] = json.dumps(
            [{"k": "together", "ids": via}, *json.loads(props["reasons"])], ensure_ascii=False
        )

    def _initiative_pair(
        self, i: int, j: int, cosine: float, row: np.ndarray[Any, Any], chance: float
    ) -> dict[str, Any]:
        a, b = self.rows[i], self.rows[j]
        # Profiles again for the few pairs stored, for their explanation.
        left = pair_features.profile(self.texts[i], a.get("language"))
        right = pair_features.profile(self.texts[j], b.get("language"))
        graph, shared = similarity.graph_overlap(
            self.links.get(a["id"], {}), self.links.get(b["id"], {})
        )
        words = row[pair_features.FEATURES.index("words")]
        explanation = explain_pair(left, right, cosine=cosine, words=float(words), shared=shared)
        why = pair_reasons(left, right, cosine=cosine, words=float(words), shared=shared)
        return {
            "a": a["id"],
            "b": b["id"],
            "props": {
                "score": round(chance, 4),
                "semantic": round(cosine, 4),
                "lexical": round(float(words), 4),
                "graph": round(graph or 0.0, 4),
                "cross_language": left.language != right.language,
                "explanation": explanation,
                "reasons": json.dumps(why, ensure_ascii=False),
            },
        }

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


def pair_reasons(
    a: pair_features.Profile,
    b: pair_features.Profile,
    *,
    cosine: float,
    words: float,
    shared: Mapping[str, list[str]],
) -> list[explanations.Reason]:
    """What `explain_pair` says, as data: pages render it in French or English, named."""
    differing = []
    for facet in (glossary.Facet.DELIVERABLE, glossary.Facet.AUDIENCE, glossary.Facet.SCOPE):
        left, right = a.facets[facet], b.facets[facet]
        if left and right and not left & right:
            differing.append((facet.value, sorted(left), sorted(right)))
    return explanations.reasons(
        concepts=sorted(a.concepts & b.concepts),
        differing=differing,
        shared=shared,
        cosine=cosine,
        languages=(a.language, b.language),
        words=words if a.language == b.language and words > 0 else None,
    )


def explain_pair(
    a: pair_features.Profile,
    b: pair_features.Profile,
    *,
    cosine: float,
    words: float,
    shared: Mapping[str, list[str]],
) -> str:
    """One line a co-chair can read: shared concepts, what differs, how close the texts are.

    For example "shared concepts: coordinated disclosure, supplier; text similarity 0.81
    FR↔EN".
    """
    pieces: list[str] = []
    common = glossary.labels(a.concepts & b.concepts)
    if common:
        pieces.append(f"shared concepts: {', '.join(common[:5])}")
    for facet, name in (
        (glossary.Facet.DELIVERABLE, "deliverables"),
        (glossary.Facet.AUDIENCE, "audiences"),
        (glossary.Facet.SCOPE, "scopes"),
    ):
        left, right = a.facets[facet], b.facets[facet]
        if left and right and not left & right:
            pieces.append(
                f"different {name}: {', '.join(glossary.labels(left))} / "
                f"{', '.join(glossary.labels(right))}"
            )
    for kind, ids in shared.items():
        if ids:
            pieces.append(f"{similarity.KIND_PHRASES[kind]} {', '.join(ids[:3])}")
    pieces.append(f"text similarity {cosine:.2f} {a.language.upper()}↔{b.language.upper()}")
    if a.language == b.language and words > 0:
        pieces.append(f"shared wording {words:.2f}")
    return "; ".join(pieces)
