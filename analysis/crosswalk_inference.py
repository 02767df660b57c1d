"""Crosswalk suggestions between recommendations of two sources, inferred from the graph.

One refresh reads the records, their embeddings and every published, confirmed or
rejected pair once; then, for each pair of sources with no published crosswalk between
them, it describes the candidate pairs (crosswalk_features.py: paths through the
crosswalks already imported, and the texts), scores them with the fitted model
(crosswalk_model.py) and stores those from half the threshold up (thresholds.py) as
suggestions, each with the paths that support it by name and the NIST IR 8477 relation
those paths compose to.

Only the source pairs whose inputs changed are recomputed: importing a crosswalk between
A and B touches the pairs of sources that A or B, or a source mapped to A or B, take part
in. Published and confirmed pairs are evidence; rejected ones are never suggested again.
People's decisions also teach the next refresh (crosswalk_learning.py): the hubs and
crosswalks behind rejected pairs weigh less, and the model is refitted on the decided pairs
with the shipped one as its prior; since that changes every score, a decision recomputes
every source pair.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis import crosswalk, crosswalk_model, similarity
from analysis import crosswalk_features as features
from analysis import crosswalk_learning as learning
from analysis import crosswalk_paths as paths
from analysis.encoder import Encoder, text_sha
from analysis.thresholds import store_floor
from graph.analysis import repository as repo
from graph.audit import UnitOfWork, writes
from graph.crosswalk_evidence import repository as evidence_repo
from graph.store import GraphStore
from schema.enums import CandidateKind, MappingMethod, MappingRationale

if TYPE_CHECKING:
    from analysis.duplicates import Progress, RefreshReport

KIND = CandidateKind.RECOMMENDATION
# Bump when what a stored suggestion holds changes, so every source pair is recomputed.
INFERENCE_VERSION = "1"
SHOWN_PATHS = 3


def parents_of(rows: Sequence[Mapping[str, Any]]) -> list[int | None]:
    """Each record's parent, as a position in `rows` (None for roots and unknown parents)."""
    position = {row["id"]: n for n, row in enumerate(rows)}
    return [position.get(row.get("parent_id") or "") for row in rows]


def source_pairs(evidence: paths.Evidence) -> list[tuple[int, int]]:
    """Every pair of sources, as positions (smaller first)."""
    count = len(evidence.sources)
    return [(s, t) for s in range(count) for t in range(s + 1, count)]


def pair_key(evidence: paths.Evidence, s: int, t: int) -> str:
    return f"{evidence.sources[s]}|{evidence.sources[t]}"


def fingerprints(
    rows: Sequence[Mapping[str, Any]],
    shas: Sequence[str],
    edges: Sequence[Mapping[str, Any]],
    learned: str = "",
) -> dict[str, str]:
    """What each source pair's suggestions depend on: its two sources' texts, the texts of
    the sources mapped to either, every stored pair touching those sources, and (`learned`)
    what decisions taught the model and the evidence's weights."""
    model = crosswalk_model.load().version + (f"|{learned}" if learned else "")
    source_of = {row["id"]: str(row.get("source_id") or "") for row in rows}
    texts: dict[str, Any] = defaultdict(hashlib.sha256)
    for row, sha in sorted(zip(rows, shas, strict=True), key=lambda item: item[0]["id"]):
        line = f"{row['id']}|{sha}|{row.get('language')}|{row.get('parent_id')}\n"
        texts[source_of[row["id"]]].update(line.encode())
    by_pair: dict[frozenset[str], Any] = defaultdict(hashlib.sha256)
    near: dict[str, set[str]] = defaultdict(set)
    for edge in sorted(edges, key=lambda e: (str(e["a"]), str(e["b"]))):
        first, second = source_of.get(edge["a"]), source_of.get(edge["b"])
        if first is None or second is None or first == second:
            continue
        line = f"{edge['a']}|{edge['b']}|{edge.get('status')}|{edge.get('relation')}\n"
        by_pair[frozenset((first, second))].update(line.encode())
        near[first].add(second)
        near[second].add(first)
    names = sorted(texts)
    out = {}
    for n, s in enumerate(names):
        for t in names[n + 1 :]:
            reach = {s, t} | near[s] | near[t]
            digest = hashlib.sha256(f"{INFERENCE_VERSION}|{model}|{s}|{t}\n".encode())
            for name in sorted(reach):
                digest.update(f"{name}:{texts[name].hexdigest()}\n".encode())
            for key in sorted(by_pair, key=sorted):
                if key & reach:
                    digest.update(f"{sorted(key)}:{by_pair[key].hexdigest()}\n".encode())
            out[f"{s}|{t}"] = digest.hexdigest()
    return out


@writes
def refresh(
    work: UnitOfWork, *, encoder: Encoder | None = None, progress: Progress | None = None
) -> RefreshReport:
    """Recompute the suggestions of the source pairs whose inputs changed; a RefreshReport."""
    from analysis import duplicates  # the embedding stage and the report are shared

    store = work.store
    began = time.perf_counter()
    timings: dict[str, float] = {}
    clock = duplicates._Clock(timings)
    with clock("read"):
        rows = repo.records(store, KIND.value)
        texts = [duplicates.compose(row) for row in rows]
        shas = [text_sha(text) for text in texts]
        edges = evidence_repo.evidence(store)
        stale = [n for n, row in enumerate(rows) if row.get("sha") != shas[n]]
        learned, trust = learn(rows, edges)
        taught = learning.fingerprint(learned, trust) if learned.decisions or trust.hubs else ""
        prints = fingerprints(rows, shas, edges, taught)
        before = evidence_repo.pair_state(store)
        affected = {k for k, v in prints.items() if before.get(k) != v} | (
            set(before) - set(prints)
        )
    threshold = crosswalk_model.load().threshold
    if not stale and not affected:
        return duplicates.RefreshReport(
            kind=KIND, records=len(rows), embedded=0, compared=0,
            candidates=_count(store, threshold), stored=_count(store, 0.0), threshold=threshold,
            dropped=0, seconds=round(time.perf_counter() - began, 3), unchanged=True,
            timings=timings,
        )  # fmt: skip
    with clock("embed"):
        vectors = duplicates._vectors(
            store, KIND, rows, texts, shas, stale, encoder or Encoder(), progress
        )
    with clock("paths"):
        evidence = paths.build(rows, edges, trust)
        seen = features.views(evidence, vectors, parents_of(rows))
    with clock("score and store"):
        suggester = Suggester(store, rows, texts, evidence, seen, learned)
        suggester.siblings = learning.sibling_support(
            [(str(e["a"]), str(e["b"])) for e in edges if e.get("status") == "confirmed"],
            {str(row["id"]): row.get("parent_id") for row in rows},
        )
        now = datetime.now(UTC).isoformat()
        todo = [(s, t) for s, t in source_pairs(evidence) if pair_key(evidence, s, t) in affected]

        def suggestions() -> Iterator[dict[str, Any]]:
            for s, t in todo:
                for row in suggester.pair(s, t):
                    row["props"]["computed_at"] = now
                    yield row

        dropped = evidence_repo.replace_in_pairs(
            store, suggestions(), pairs=sorted(affected), run=uuid.uuid4().hex
        )
        evidence_repo.save_pair_state(work, prints)
    return duplicates.RefreshReport(
        kind=KIND, records=len(rows), embedded=len(stale), compared=suggester.compared,
        candidates=_count(store, threshold), stored=_count(store, 0.0), threshold=threshold,
        dropped=dropped, seconds=round(time.perf_counter() - began, 3), timings=timings,
    )  # fmt: skip


def learn(
    rows: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]
) -> tuple[learning.Learned, learning.Reliability]:
    """What people's decisions teach: the model refitted on them, and the weights of the
    hubs and crosswalks that supported the pairs they decided."""
    shipped = crosswalk_model.load()
    source_of = {str(row["id"]): str(row.get("source_id") or "") for row in rows}
    decided = learning.decided_from(edges, source_of)
    if not decided:
        return learning.unchanged(shipped), learning.Reliability()
    plain = paths.build(rows, edges)
    near = paths.neighbours(plain, {id for d in decided for id in (d.a, d.b)})
    return learning.refit(shipped, decided), learning.reliability(decided, near, source_of)


def _count(store: GraphStore, min_score: float) -> int:
    return repo.count_pairs(
        store, KIND.value, statuses=["candidate"], min_score=min_score, working_group=None
    )


class Suggester:
    """Scores the candidates of one source pair at a time and words the stored ones."""

    def __init__(
        self,
        store: GraphStore,
        rows: Sequence[Mapping[str, Any]],
        texts: Sequence[str],
        evidence: paths.Evidence,
        seen: features.Views,
        learned: learning.Learned | None = None,
    ) -> None:
        self.rows, self.texts, self.evidence, self.seen = rows, texts, evidence, seen
        self.model = learned or learning.unchanged(crosswalk_model.load())
        self.siblings: dict[frozenset[str], list[str]] = {}  # next to confirmed pairs
        self.floor = store_floor(KIND)
        self.compared = 0
        linked = [evidence.ids[n] for n in np.flatnonzero(seen.degree > 0).tolist()]
        self.names = _hub_names(store, linked)
        self.parents = {row["parent_id"] for row in rows if row.get("parent_id")}

    def pair(self, s: int, t: int) -> Iterator[dict[str, Any]]:
        """Suggestions between sources s and t; none where a crosswalk is published."""
        if frozenset((s, t)) in self.evidence.published_between:
            return
        found = features.candidates(self.evidence, self.seen, self.evidence.members(s),
                                    self.evidence.members(t))  # fmt: skip
        self.compared += len(found.a)
        ids = self.evidence.ids
        near = np.asarray(
            [len(self.siblings.get(frozenset((ids[a], ids[b])), ()))
             for a, b in zip(found.a.tolist(), found.b.tolist(), strict=True)]
            if self.siblings else np.zeros(len(found.a)),
            dtype=np.float64,
        )  # fmt: skip
        chances = self.model.probability(found.features, pair_key(self.evidence, s, t), near)
        kept = (chances >= self.floor) & features.best_of_each_end(found.a, found.b, chances)
        for n in np.flatnonzero(kept).tolist():
            a, b = int(found.a[n]), int(found.b[n])
            if frozenset((ids[a], ids[b])) in self.evidence.decided:
                continue
            if ids[a] > ids[b]:
                a, b = b, a
            row = self.suggestion(a, b, float(chances[n]), found.features[n], f"{s}|{t}")
            row["props"]["siblings"] = int(near[n])
            beside = self.siblings.get(frozenset((ids[a], ids[b])))
            if beside:  # named: the confirmed records this pair's end is a sibling of
                props = row["props"]
                named = ", ".join(self.names.get(h, h) for h in beside[:SHOWN_PATHS])
                props["explanation"] += f"; next to the confirmed pair of {named}"
                reasons = json.loads(props["reasons"])
                reasons.insert(-1, {"k": "beside", "ids": beside[:SHOWN_PATHS]})
                props["reasons"] = json.dumps(reasons, ensure_ascii=False)
            yield row

    def suggestion(
        self, a: int, b: int, chance: float, row: np.ndarray[Any, Any], _key: str
    ) -> dict[str, Any]:
        left, right = self.rows[a], self.rows[b]
        cosine = float(self.seen.text[a] @ self.seen.text[b])
        languages = (left.get("language") or "en", right.get("language") or "en")
        found = paths.listed(self.evidence, a, b, limit=SHOWN_PATHS)
        if found:
            relation = found[0].relation
            confidence = round(chance, 2)
        else:
            relation, confidence = crosswalk.suggest(
                crosswalk.Side(similarity.content_words(self.texts[a]), languages[0],
                               left["id"] in self.parents),
                crosswalk.Side(similarity.content_words(self.texts[b]), languages[1],
                               right["id"] in self.parents),
                cosine=cosine, score=chance,
            )  # fmt: skip
        shown = [
            {"via": [{"id": h, "name": self.names.get(h, h)} for h in p.hubs],
             "relation": p.relation.value, "weight": p.weight}
            for p in found
        ]  # fmt: skip
        reasons = explain_reasons(found, cosine, languages)
        return {
            "a": left["id"],
            "b": right["id"],
            "props": {
                "score": round(chance, 4),
                "semantic": round(cosine, 4),
                "lexical": 0.0,
                "graph": round(1.0 - float(np.exp(-row[features.FEATURES.index("paths2")])), 4),
                "cross_language": languages[0] != languages[1],
                "explanation": explain(shown, cosine, languages),
                "reasons": json.dumps(reasons, ensure_ascii=False),
                "paths": json.dumps(shown, ensure_ascii=False),
                "relation": relation.value,
                "confidence": confidence,
                "rationale": MappingRationale.SEMANTIC.value,
                "method": MappingMethod.AUTOMATION.value,
                "pair": learning.pair_of(str(left.get("source_id")), str(right.get("source_id"))),
                # what the pair is described by: a decision on it keeps them, and the next
                # refresh learns from them (crosswalk_learning.py)
                "features": json.dumps([round(float(v), 5) for v in row]),
            },
        }


def _hub_names(store: GraphStore, ids: Sequence[str]) -> dict[str, str]:
    """ "ISO 27001 A.5.19 Information security in supplier relationships", per id."""
    titles = evidence_repo.source_titles(store)
    out = {}
    for id, row in evidence_repo.names(store, list(ids)).items():
        source = titles.get(str(row.get("source_id")), str(row.get("source_id") or ""))
        short = source if len(source) <= 32 else str(row.get("source_id") or source)
        words = [w for w in (short, row.get("ref"), row.get("title")) if w]
        out[id] = " ".join(str(w) for w in words)
    return out


def explain(shown: Sequence[Mapping[str, Any]], cosine: float, languages: tuple[str, str]) -> str:
    """One line: the hubs both map to (two steps), or the chains linking them (three), then
    how close the texts are, e.g. "both map to ISO A.5.19 …, A.5.21 …; text similarity 0.62"."""
    pieces = []
    two = [p["via"][0]["name"] for p in shown if len(p["via"]) == 1]
    three = [" → ".join(h["name"] for h in p["via"]) for p in shown if len(p["via"]) > 1]
    if two:
        pieces.append(f"both map to {' and '.join(two)}")
    if three:
        pieces.append(f"linked through {'; '.join(three)}")
    pieces.append(f"text similarity {cosine:.2f} {languages[0].upper()}↔{languages[1].upper()}")
    return "; ".join(pieces)


def explain_reasons(
    found: Sequence[paths.Path], cosine: float, languages: tuple[str, str]
) -> list[dict[str, Any]]:
    """The same, as reasons that pages render in French or English with names."""
    out: list[dict[str, Any]] = []
    hubs = [p.hubs[0] for p in found if len(p.hubs) == 1]
    chains = [list(p.hubs) for p in found if len(p.hubs) > 1]
    if hubs:
        out.append({"k": "hubs", "ids": hubs})
    if chains:
        out.append({"k": "chains", "paths": chains})
    out.append({"k": "text", "v": round(cosine, 2), "langs": [x.upper() for x in languages]})
    return out
