"""Paths between recommendations of two sources through the crosswalks already in the graph.

Published and confirmed pairs are evidence: an undirected graph whose edges keep their
NIST IR 8477 relation in each direction. Two recommendations of sources S and T that
published crosswalks both map to the same hub requirements of a third framework are likely
to map to each other; a hub mapped to very many requirements says little, so each shared
hub counts 1 / log(1 + its degree) (Adamic-Adar). Paths of three steps (S → H1 → H2 → T)
count the product of their two hubs' weights, for the records that no two-step path joins
to the other source (elsewhere they add nearly every pair). Hubs are never in S or T.

Everything is computed with sparse matrix products over one read of the evidence, per
source pair; the few paths a stored suggestion shows are then listed one by one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from schema import crosswalk_relations as relations
from schema.enums import MappingRelation

if TYPE_CHECKING:
    from analysis.crosswalk_learning import Reliability

Matrix = Any  # scipy.sparse.csr_matrix (scipy ships no types)
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

EVIDENCE_STATUSES = frozenset({"published", "confirmed"})
# How much a three-step path counts beside a two-step one, in the path rank.
THREE_STEPS = 0.3


@dataclass(frozen=True)
class Path:
    """One path from a to b: its hubs in order, and the relation its steps compose to."""

    hubs: tuple[str, ...]
    relation: MappingRelation
    weight: float


@dataclass
class Evidence:
    """The crosswalk graph of one refresh, indexed like the records it was built for."""

    ids: list[str]
    source_of: Ints  # source position of each record
    sources: list[str]
    adjacency: Matrix  # 1 where a published or confirmed pair joins two records
    typed: dict[MappingRelation, Matrix]  # [i, j] = 1 when i relates to j by the relation
    decided: set[frozenset[str]]  # pairs a publisher or a person decided: never suggested
    published_between: set[frozenset[int]]  # source pairs with a published crosswalk
    degree: Ints  # evidence pairs per record
    weights: Floats  # 1 / log(1 + degree): what a record counts for as a shared hub

    def members(self, source: int) -> Ints:
        return np.flatnonzero(self.source_of == source)


def build(
    rows: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    trust: Reliability | None = None,
) -> Evidence:
    """The evidence graph over `rows` (records) from the stored pairs `edges`; `trust`, what
    decisions taught (crosswalk_learning.py), weighs each hub and each crosswalk's steps."""
    ids = [str(row["id"]) for row in rows]
    position = {id: n for n, id in enumerate(ids)}
    names = sorted({str(row.get("source_id") or "") for row in rows})
    source_index = {name: n for n, name in enumerate(names)}
    source_of = np.asarray(
        [source_index[str(row.get("source_id") or "")] for row in rows], dtype=np.int64
    )
    decided: set[frozenset[str]] = set()
    published: set[frozenset[int]] = set()
    cells: dict[MappingRelation, tuple[list[int], list[int]]] = {
        r: ([], []) for r in relations.SPECIFICITY
    }
    for edge in edges:
        a, b = str(edge["a"]), str(edge["b"])
        decided.add(frozenset((a, b)))
        if edge.get("status") not in EVIDENCE_STATUSES or a not in position or b not in position:
            continue
        i, j = position[a], position[b]
        if source_of[i] == source_of[j]:
            continue
        relation = MappingRelation(edge.get("relation") or MappingRelation.INTERSECTS_WITH)
        for (u, v), r in (((i, j), relation), ((j, i), relations.converse(relation))):
            cells[r][0].append(u)
            cells[r][1].append(v)
        if edge.get("status") == "published":
            published.add(frozenset((int(source_of[i]), int(source_of[j]))))
    size = len(ids)
    typed = {
        r: sparse.csr_matrix((np.ones(len(us)), (us, vs)), shape=(size, size), dtype=np.float64)
        for r, (us, vs) in cells.items()
    }
    for matrix in typed.values():
        matrix.data[:] = 1.0  # one pair stated twice is one edge
    adjacency = sum(typed.values(), sparse.csr_matrix((size, size), dtype=np.float64))
    adjacency = sparse.csr_matrix(adjacency)
    adjacency.data[:] = 1.0
    degree = np.asarray(adjacency.sum(axis=1)).ravel().astype(np.int64)
    weights = np.where(degree > 0, 1.0 / np.log1p(np.maximum(degree, 1)), 0.0)
    if trust is not None and trust.crosswalks:
        by_sources = np.ones((len(names), len(names)))
        for key, w in trust.crosswalks.items():
            ends = [source_index[n] for n in key if n in source_index]
            if len(ends) == 2:
                by_sources[ends[0], ends[1]] = by_sources[ends[1], ends[0]] = w
        for matrix in (adjacency, *typed.values()):
            rows_of = np.repeat(np.arange(size), np.diff(matrix.indptr))
            matrix.data *= by_sources[source_of[rows_of], source_of[matrix.indices]]
    if trust is not None and trust.hubs:
        weights = weights * np.asarray([trust.hub(id) for id in ids])
    return Evidence(ids, source_of, names, adjacency, typed, decided, published, degree, weights)


def neighbours(evidence: Evidence, ids: Iterable[str]) -> dict[str, set[str]]:
    """The records evidence joins to each of `ids` (published and confirmed pairs)."""
    position = {id: n for n, id in enumerate(evidence.ids)}
    a = evidence.adjacency
    out = {}
    for id in ids:
        n = position.get(id)
        if n is not None:
            out[id] = {evidence.ids[m] for m in a.indices[a.indptr[n] : a.indptr[n + 1]].tolist()}
    return out


@dataclass(frozen=True)
class PairPaths:
    """Path evidence between the records of two sources, as (len(S) by len(T)) matrices."""

    two: Matrix  # Adamic-Adar weight of the shared hubs
    three: Matrix  # weight of the three-step paths, for records with no two-step one
    tight: Matrix  # weight of the two-step paths that compose to more than `intersects`


def between(evidence: Evidence, s: Ints, t: Ints) -> PairPaths:
    """Path evidence between the records `s` of one source and `t` of another."""
    hub = np.ones(len(evidence.ids), dtype=bool)
    hub[s] = False
    hub[t] = False
    d = sparse.diags(np.where(hub, evidence.weights, 0.0))
    a = evidence.adjacency
    left, right = a[s] @ d, a[:, t]
    two = sparse.csr_matrix(left @ right)
    # Three steps only where they pay: for the records two steps leave without any path
    # (everywhere, they reach nearly every record of the other source).
    alone_s = sparse.diags((np.diff(two.indptr) == 0).astype(np.float64))
    alone_t = sparse.diags((np.asarray(two.getnnz(axis=0)) == 0).astype(np.float64))
    middle = a @ d
    from_s = (alone_s @ left) @ middle @ right
    to_t = left @ middle @ (right @ alone_t)
    three = sparse.csr_matrix(from_s + to_t - from_s @ alone_t)
    equal = evidence.typed[MappingRelation.EQUAL]
    narrower = equal + evidence.typed[MappingRelation.SUBSET_OF]
    broader = equal + evidence.typed[MappingRelation.SUPERSET_OF]
    same = (equal[s] @ d) @ equal[:, t]
    tight = (narrower[s] @ d) @ narrower[:, t] + (broader[s] @ d) @ broader[:, t] - same
    return PairPaths(two, three, sparse.csr_matrix(tight))


def listed(evidence: Evidence, a: int, b: int, *, limit: int = 3) -> list[Path]:
    """The paths from record a to record b, strongest first: two steps, then three."""
    adjacency, weights = evidence.adjacency, evidence.weights
    ends = {int(evidence.source_of[a]), int(evidence.source_of[b])}

    def neighbours(n: int) -> list[int]:
        row = adjacency.indices[adjacency.indptr[n] : adjacency.indptr[n + 1]]
        return [int(h) for h in row if int(evidence.source_of[h]) not in ends]

    near_b = set(neighbours(b))
    found: list[tuple[int, float, int, tuple[str, ...], Path]] = []
    for h in neighbours(a):
        if h in near_b:
            path = _path(evidence, [a, h, b], float(weights[h]))
            found.append((2, -path.weight, -relations.SPECIFICITY[path.relation], path.hubs, path))
    if not found:
        for h in neighbours(a):
            for h2 in neighbours(h):
                if h2 in near_b and h2 != h:
                    path = _path(evidence, [a, h, h2, b], float(weights[h] * weights[h2]))
                    found.append(
                        (3, -path.weight, -relations.SPECIFICITY[path.relation], path.hubs, path)
                    )
    found.sort(key=lambda item: item[:4])  # strongest, most specific, then by name
    return [item[4] for item in found[:limit]]


def _path(evidence: Evidence, nodes: list[int], weight: float) -> Path:
    steps = [_relation(evidence, u, v) for u, v in itertools.pairwise(nodes)]
    hubs = tuple(evidence.ids[n] for n in nodes[1:-1])
    return Path(hubs, relations.along(steps), round(weight, 4))


def _relation(evidence: Evidence, u: int, v: int) -> MappingRelation:
    for relation, matrix in evidence.typed.items():
        if matrix[u, v]:
            return relation
    return MappingRelation.INTERSECTS_WITH
