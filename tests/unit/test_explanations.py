"""Why a pair was suggested reads in the page's language, with names where known."""

from analysis import explanations
from schema.analysis import Candidate, ScoreParts
from schema.enums import CandidateKind

REASONS = explanations.reasons(
    concepts=["supplier", "disclosure"],
    differing=[("audience", ["sme"], ["public-sector"])],
    shared={"principle": ["p6"], "working_group": ["wg6"], "topic": []},
    cosine=0.8512,
    languages=("fr", "en"),
    words=None,
)
NAMES = {"p6": {"en": "Lifecycle security", "fr": "Sécurité du cycle de vie"}}


def pair(reasons: list[dict[str, object]]) -> Candidate:
    parts = ScoreParts(semantic=0.85, lexical=0.0, graph=0.5, cross_language=True)
    return Candidate(
        kind=CandidateKind.INITIATIVE, a="a", b="b", score=0.9, parts=parts,
        explanation="shared concepts: coordinated disclosure", reasons=reasons,
    )  # fmt: skip


def test_reasons_render_in_french_and_english_with_names() -> None:
    french = explanations.of(pair(REASONS), "fr", NAMES)
    assert french == (
        "concepts communs\u00a0: divulgation coordonnée, fournisseur\u00a0; publics différents"
        "\u00a0: PME / administrations publiques\u00a0; principes servis par les deux\u00a0:"
        " Sécurité du cycle de vie\u00a0; groupes qui suivent les deux\u00a0: WG6\u00a0;"
        " similarité des textes 0,85 FR↔EN"
    )
    english = explanations.of(pair(REASONS), "en", NAMES)
    assert english.startswith("shared concepts: coordinated disclosure, supplier; ")
    assert "both advance: Lifecycle security" in english and "p6" not in english


def test_a_pair_without_reasons_keeps_its_stored_line() -> None:
    assert explanations.of(pair([]), "fr") == "shared concepts: coordinated disclosure"
    assert explanations.stored("not json") == [] and explanations.stored(None) == []
    assert explanations.stored('[{"k": "text", "v": 0.5, "langs": ["EN", "EN"]}]')[0]["k"] == "text"


def test_odd_reasons_from_a_file_never_break_a_page() -> None:
    odd = [{"k": "concepts"}, {"k": "text", "v": "x"}, {"k": "topic", "ids": "sbom"}, {"k": 3}]
    shown = explanations.render(odd, "fr")
    assert shown.startswith("concepts communs\u00a0:") and "similarité des textes ?" in shown
