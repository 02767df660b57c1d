"""The features of a candidate crosswalk pair: path evidence and the texts' similarity.

Candidates between two sources are, for each record, the ten ends in the other source its
paths support best, and its ten nearest there by embedding. Each candidate is described by:
- paths2, paths3: shared hubs weighted by rarity (Adamic-Adar) over two-step paths, and
  the weight of three-step paths; tight: the share of the two-step weight whose steps
  compose to `equal`, `subset` or `superset` (NIST IR 8477) rather than `intersects`;
- path_rank_best / _worst: where the pair's path weight ranks among the candidates of
  each end (log of the rank; the better and the worse end);
- degree_low / _high: how many published pairs each end already has (log);
- context: the embeddings' cosine, each text with its parent's mixed in (a sub-item such
  as "be communicated to employees" means little without its parent; a root is its own
  text, and the plain cosine beside it only made the two fight in the fit);
- text_rank_best / _worst: where the cosine ranks among each end's candidates;
- hubs_text_high / _low: how close one end's text is to the texts the other end is
  mapped to elsewhere; hubs_hubs: how close the two ends' hubs are to each other;
- connected: some path joins the two sources at all (when none does, only text speaks).
Features are symmetric in the two ends, so the direction a pair is stored in is moot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from analysis import crosswalk_paths as paths

FEATURES: tuple[str, ...] = (
    "paths2",
    "paths3",
    "tight",
    "path_rank_best",
    "path_rank_worst",
    "degree_low",
    "degree_high",
    "context",
    "text_rank_best",
    "text_rank_worst",
    "hubs_text_high",
    "hubs_text_low",
    "hubs_hubs",
    "connected",
)
NEAREST = 10  # text candidates per record and other source
# Suggestions kept per record and other source: a person reviews a requirement's best few,
# and the list stays bounded when a registry's texts all look alike.
KEPT = 3
PARENT_SHARE = 0.5  # how much of the parent's embedding goes into a text's context

Vectors = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Views:
    """Per record: its embedding, with its parent's, and the mean of its hubs' embeddings."""

    text: Vectors
    context: Vectors
    hubs: Vectors
    degree: Ints


def views(evidence: paths.Evidence, vectors: Vectors, parents: list[int | None]) -> Views:
    """What the features read of each record, computed once per refresh."""
    context = vectors.copy()
    for n, parent in enumerate(parents):
        if parent is not None:
            context[n] += PARENT_SHARE * vectors[parent]
    hubs = np.asarray(evidence.adjacency @ vectors, dtype=np.float32)
    return Views(
        text=vectors,
        context=_normalised(context),
        hubs=_normalised(hubs),
        degree=evidence.degree,
    )


def _normalised(matrix: Vectors) -> Vectors:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(matrix / norms, dtype=np.float32)


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs between two sources (record positions) and their features."""

    a: Ints
    b: Ints
    features: Floats
    connected: bool


def candidates(evidence: paths.Evidence, seen: Views, s: Ints, t: Ints) -> Candidates:
    """Every candidate pair between the records `s` and `t` of two sources, described."""
    found = paths.between(evidence, s, t)
    cosine = seen.text[s] @ seen.text[t].T
    weights = sparse.csr_matrix(found.two + paths.THREE_STEPS * found.three)
    rows, cols = _strongest(weights)
    back_cols, back_rows = _strongest(weights.T)
    connected = bool(found.two.nnz or found.three.nnz)
    near_rows, near_cols = _nearest(cosine)
    pairs = np.unique(
        np.concatenate(
            [rows * len(t) + cols, back_rows * len(t) + back_cols, near_rows * len(t) + near_cols]
        ).astype(np.int64)
    )
    i, j = pairs // len(t), pairs % len(t)
    two = np.asarray(found.two[i, j]).ravel()
    three = np.asarray(found.three[i, j]).ravel()
    tight = np.asarray(found.tight[i, j]).ravel()
    weight = two + paths.THREE_STEPS * three
    text = cosine[i, j].astype(np.float64)
    left, right = s[i], t[j]
    context = _dots(seen.context, seen.context, left, right)
    hubs_a = _dots(seen.hubs, seen.text, left, right)
    hubs_b = _dots(seen.text, seen.hubs, left, right)
    hubs_hubs = _dots(seen.hubs, seen.hubs, left, right)
    path_a, path_b = _log_rank(i, weight), _log_rank(j, weight)
    text_a, text_b = _log_rank(i, text), _log_rank(j, text)
    degree_a = np.log1p(seen.degree[s][i].astype(np.float64))
    degree_b = np.log1p(seen.degree[t][j].astype(np.float64))
    columns = {
        "paths2": two,
        "paths3": three,
        "tight": np.divide(tight, two, out=np.zeros_like(two), where=two > 0),
        "path_rank_best": np.minimum(path_a, path_b),
        "path_rank_worst": np.maximum(path_a, path_b),
        "degree_low": np.minimum(degree_a, degree_b),
        "degree_high": np.maximum(degree_a, degree_b),
        "context": context,
        "text_rank_best": np.minimum(text_a, text_b),
        "text_rank_worst": np.maximum(text_a, text_b),
        "hubs_text_high": np.maximum(hubs_a, hubs_b),
        "hubs_text_low": np.minimum(hubs_a, hubs_b),
        "hubs_hubs": hubs_hubs,
        "connected": np.full(len(i), float(connected)),
    }
    matrix = (
        np.column_stack([columns[name] for name in FEATURES])
        if len(i)
        else np.zeros((0, len(FEATURES)))
    )
    return Candidates(s[i], t[j], matrix, connected)


def best_of_each_end(
    a: Ints, b: Ints, scores: Floats, *, keep: int = KEPT
) -> npt.NDArray[np.bool_]:
    """True for the pairs among the `keep` best-scored of their first or of their second end."""
    bound = np.log(keep + 0.5)
    return np.asarray((_log_rank(a, scores) < bound) | (_log_rank(b, scores) < bound), dtype=bool)


def _strongest(matrix: Any) -> tuple[Ints, Ints]:
    """Each row's NEAREST strongest entries of a sparse matrix, as (row, column) pairs:
    two-step paths are few, three-step ones many, and only the best of them pay."""
    coo = matrix.tocoo()
    if coo.nnz == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = np.lexsort((-coo.data, coo.row))
    rows, cols = coo.row[order].astype(np.int64), coo.col[order].astype(np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = (np.arange(len(rows)) - first) < NEAREST
    return rows[keep], cols[keep]


def _dots(x: Vectors, y: Vectors, left: Ints, right: Ints, chunk: int = 16_384) -> Floats:
    """Row-wise dot products x[left[n]] · y[right[n]], a chunk at a time (memory stays flat)."""
    out = np.empty(len(left), dtype=np.float64)
    for start in range(0, len(left), chunk):
        end = start + chunk
        out[start:end] = np.einsum("ij,ij->i", x[left[start:end]], y[right[start:end]])
    return out


def _nearest(cosine: npt.NDArray[np.float32]) -> tuple[Ints, Ints]:
    """Each row's NEAREST columns and each column's NEAREST rows, as (row, column) pairs."""
    rows_n, cols_n = cosine.shape
    if rows_n == 0 or cols_n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    k = min(NEAREST, cols_n)
    by_row = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
    k2 = min(NEAREST, rows_n)
    by_col = np.argpartition(-cosine, k2 - 1, axis=0)[:k2, :]
    rows = np.concatenate([np.repeat(np.arange(rows_n), k), by_col.ravel()])
    cols = np.concatenate([by_row.ravel(), np.tile(np.arange(cols_n), k2)])
    return rows.astype(np.int64), cols.astype(np.int64)


def _log_rank(group: Ints, value: Floats) -> Floats:
    """log of each value's rank (1 = highest) within its group."""
    if len(group) == 0:
        return np.zeros(0)
    order = np.lexsort((-value, group))
    sorted_groups = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.empty(len(order), dtype=np.float64)
    ranks[order] = np.arange(len(order)) - first + 1
    return np.log(ranks)
