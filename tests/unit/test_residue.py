"""The words only one side of a pair has, read through the real sentence encoder (issue 28)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import residue
from analysis.encoder import Encoder

CARS = (
    "en",
    "Security requirements for remote software updates of passenger cars. Carmakers and their "
    "suppliers agree on signed updates, a rollback protection and a recovery mode for every "
    "car they sell.",
)
# The same wording, another asset: a hard negative the encoder scores close.
FARM = (
    "en",
    "Security requirements for remote software updates of farm machinery. Makers of tractors "
    "and harvesters and their suppliers agree on signed updates, a rollback protection and a "
    "recovery mode for every machine they sell.",
)
# CARS in French, and CARS in other English words: duplicates.
VOITURES = (
    "fr",
    "Des exigences de sécurité pour les mises à jour à distance des voitures. Les "
    "constructeurs automobiles et leurs fournisseurs s'accordent sur des mises à jour "
    "signées, une protection contre le retour en arrière et un mode de secours pour chaque "
    "voiture vendue.",
)
PARAPHRASE = (
    "en",
    "Carmakers and their suppliers commit to signed over-the-air updates for passenger cars, "
    "with protection against rollback and a recovery mode on every vehicle sold.",
)


Scored = dict[tuple[int, int], tuple[float, float, float]]


@pytest.fixture(scope="module")
def scored() -> Scored:
    texts = [CARS, FARM, VOITURES, PARAPHRASE, CARS]
    encoder = Encoder(workers=1)
    vectors = encoder.encode([text for _, text in texts])
    records = residue.Residues(
        [residue.tokens(text, lang) for lang, text in texts],
        [lang for lang, _ in texts],
        vectors,
        encoder,
    )
    low = np.array([0, 0, 0, 1, 0])
    high = np.array([1, 2, 3, 2, 4])
    cosines = (vectors[low] * vectors[high]).sum(axis=1)
    salience, share = records.features(low, high, cosines)
    return {
        (int(a), int(b)): (float(c), float(s), float(h))
        for a, b, c, s, h in zip(low, high, cosines, salience, share, strict=True)
    }


def test_a_swapped_asset_is_salient_where_a_paraphrase_or_translation_is_not(
    scored: Scored,
) -> None:
    cosine, contrast, _ = scored[(0, 1)]  # cars / farm machinery
    assert cosine > 0.65  # the encoder alone calls them close
    assert contrast > 0.3
    _, translation, _ = scored[(0, 2)]  # cars / voitures
    _, paraphrase, _ = scored[(0, 3)]
    assert translation < 0.2 and paraphrase < 0.22
    assert contrast - max(translation, paraphrase) > 0.15
    # The French duplicate of CARS against FARM: a contrast across languages too.
    assert scored[(1, 2)][1] > 0.3


def test_translations_find_their_counterparts(scored: Scored) -> None:
    # "voitures" finds "cars", "fournisseurs" "suppliers": a fifth of the words are left.
    assert scored[(0, 2)][2] == pytest.approx(0.20, abs=0.05)
    assert scored[(0, 1)][2] == pytest.approx(0.24, abs=0.05)


def test_the_same_text_leaves_no_residue(scored: Scored) -> None:
    assert scored[(0, 4)][1:] == (0.0, 0.0)


def test_pairs_below_the_gate_are_not_computed() -> None:
    records = residue.Residues(
        [residue.tokens(CARS[1], "en"), residue.tokens(FARM[1], "en")],
        ["en", "en"],
        np.eye(2, 512, dtype=np.float32),
    )
    salience, share = records.features(
        np.array([0]), np.array([1]), np.array([residue.GATE - 0.01])
    )
    assert (salience.tolist(), share.tolist()) == ([0.0], [0.0])
    assert records._embedded.sum() == 0  # no word was embedded for it


def test_tokens_are_content_words_once_with_their_stem() -> None:
    assert residue.tokens("The cars, the CARS and their suppliers", "en") == (
        ("car", "cars"),
        ("supplier", "suppliers"),
    )
    assert residue.tokens("Les voitures d'occasion", "fr") == (
        ("voitur", "voitures"),
        ("occas", "occasion"),
    )
