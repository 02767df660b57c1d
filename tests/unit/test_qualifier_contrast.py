"""Two texts on one thing that differ by a contrasting qualifier: the pair features see it."""

from __future__ import annotations

import numpy as np

from analysis import pair_features, qualifiers
from analysis.glossary import stems

PUBLIC_EN = (
    "Source code escrow for public buyers. Public buyers require that the source code of "
    "the critical software they buy be deposited with a trusted third party."
)
PUBLIC_FR = (
    "Séquestre du code source pour les acheteurs publics. Les acheteurs publics exigent que "
    "le code source des logiciels critiques soit déposé chez un tiers de confiance."
)
PRIVATE_EN = PUBLIC_EN.replace("public buyers", "private companies").replace(
    "Public buyers", "Private companies"
)
PRIVATE_FR = "Séquestre du code source pour les entreprises privées qui dépendent d'un éditeur."


def _features(texts: list[tuple[str, str]], pairs: list[tuple[int, int]]) -> dict[str, list[float]]:
    profiles = [pair_features.profile(text, language) for text, language in texts]
    zeros = np.zeros(len(profiles), dtype=np.float32)
    records = pair_features.Records(profiles, zeros, zeros)
    low = np.array([a for a, _ in pairs], dtype=np.int64)
    high = np.array([b for _, b in pairs], dtype=np.int64)
    ones = np.ones(len(pairs))
    rows = records.features(low, high, cosines=ones, concept_cosines=ones, ranks=ones)
    return {
        name: rows[:, pair_features.FEATURES.index(name)].round(3).tolist()
        for name in ("qualifier_contrast",)
    }


def test_public_and_private_are_named_in_both_languages() -> None:
    assert qualifiers.of(stems(PUBLIC_FR, "fr"), "fr") == {"sector:public"}
    assert qualifiers.of(stems(PRIVATE_EN, "en"), "en") == {"sector:private"}
    assert qualifiers.of(stems(PRIVATE_FR, "fr"), "fr") == {"sector:private"}
    # "conseil d'administration" is a board, not the public sector: the word is not listed.
    assert qualifiers.of(stems("les membres des conseils d'administration", "fr"), "fr") == set()


def test_a_contrasting_qualifier_counts_across_languages_and_a_restatement_does_not() -> None:
    texts = [(PUBLIC_EN, "en"), (PUBLIC_FR, "fr"), (PRIVATE_EN, "en"), (PRIVATE_FR, "fr")]
    found = _features(texts, [(0, 1), (0, 2), (1, 2), (0, 3), (2, 3)])
    # public EN ~ public FR: none; public ~ private, same or other language: one group;
    # private EN ~ private FR: none.
    assert found["qualifier_contrast"] == [0.0, 1.0, 1.0, 1.0, 0.0]
