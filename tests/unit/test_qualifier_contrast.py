"""Two texts on one thing that differ by a contrasting qualifier: the pair features see it.

The examples are the training batch's kind (tests/data/duplicates-contrasts.yaml), never a
held-out batch's.
"""

from __future__ import annotations

import numpy as np

from analysis import pair_features, qualifiers
from analysis.glossary import stems

WIND_EN = (
    "Securing manufacturers' remote monitoring of wind farms. Wind farm operators require "
    "turbine manufacturers to reach the farms' control systems only through the operator's "
    "own gateway, with individual accounts, and to keep a log of every remote session."
)
SOLAR_EN = (
    WIND_EN.replace("wind farms", "solar farms")
    .replace("Wind farm", "Solar farm")
    .replace("turbine", "inverter")
)
WIND_FR = (
    "Encadrer la télésurveillance des éoliennes par leurs constructeurs. Les exploitants de "
    "parcs éoliens n'autorisent les constructeurs à se connecter qu'au travers de leur "
    "propre passerelle, avec des comptes nominatifs et un journal de chaque session."
)
WIND_SHORT_EN = "Remote monitoring of wind farms only through the operator's own gateway."
WIND_PARAPHRASE_EN = (
    "Turbine makers keep their remote access to wind parks, but only via a gateway the park's "
    "owner runs, each technician under a named account, every connection logged."
)


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
        for name in ("qualifier_contrast", "word_swap")
    }


def test_qualifiers_are_named_in_both_languages() -> None:
    assert qualifiers.of(stems(WIND_FR, "fr"), "fr") == {"generation:wind"}
    assert qualifiers.of(stems(WIND_EN, "en"), "en") == {"generation:wind"}
    assert qualifiers.of(stems(SOLAR_EN, "en"), "en") == {"generation:solar"}
    assert qualifiers.of(stems("les petites communes", "fr"), "fr") == {"size:small"}
    # "grand public" is the general public, not a large organisation: the word is not listed.
    assert qualifiers.of(stems("des objets connectés grand public", "fr"), "fr") == set()


def test_a_contrasting_qualifier_counts_across_languages_and_a_restatement_does_not() -> None:
    texts = [(WIND_EN, "en"), (WIND_FR, "fr"), (SOLAR_EN, "en")]
    found = _features(texts, [(0, 1), (0, 2), (1, 2)])
    # wind EN ~ wind FR: none; wind ~ solar, in the same language or the other: one group.
    assert found["qualifier_contrast"] == [0.0, 1.0, 1.0]


def test_a_near_copy_with_a_word_changed_swaps_and_a_restatement_does_not() -> None:
    texts = [
        (WIND_EN, "en"), (SOLAR_EN, "en"), (WIND_SHORT_EN, "en"), (WIND_PARAPHRASE_EN, "en"),
        (WIND_FR, "fr"), (WIND_EN, "en"),
    ]  # fmt: skip
    found = _features(texts, [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)])
    swap = found["word_swap"]
    # one text with its sector changed: most words shared, each side has its own
    assert swap[0] > 0.2
    # a one-line restatement (nothing of its own that the long text lacks), a paraphrase
    # (few shared words), the other language (no shared words) and a copy: nothing
    assert swap[1:] == [0.0, 0.0, 0.0, 0.0]
