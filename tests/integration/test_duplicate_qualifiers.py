"""A contrasting qualifier keeps two texts on one thing apart, in any pair of languages,
while the same text in French and English stays a duplicate (analysis/qualifiers.py)."""

from __future__ import annotations

import pytest

from analysis import decisions
from analysis.duplicates import DEFAULT_MIN_SCORE, refresh
from analysis.encoder import Encoder
from graph.store import GraphStore
from schema.enums import CandidateKind, DecisionStatus
from tests.labelled import build_labelled_graph, load_labelled
from tests.support.units import system

INITIATIVE = CandidateKind.INITIATIVE
ESCROW = [
    {
        "id": "escrow-public",
        "language": "en",
        "title": "Source code escrow for public buyers",
        "summary": "Public buyers require that the source code of the critical software they "
        "buy be deposited with a trusted third party and handed over to them if the "
        "publisher goes out of business.",
    },
    {
        "id": "sequestre-public",
        "language": "fr",
        "title": "Séquestre du code source pour les acheteurs publics",
        "summary": "Les acheteurs publics exigent que le code source des logiciels critiques "
        "qu'ils achètent soit déposé chez un tiers de confiance et leur soit remis si "
        "l'éditeur disparaît.",
    },
    {
        "id": "escrow-private",
        "language": "en",
        "title": "Source code escrow for private companies",
        "summary": "Private companies require that the source code of the critical software "
        "they buy be deposited with a trusted third party and handed over to them if the "
        "publisher goes out of business.",
    },
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_public_and_private_escrow_part_while_a_translation_stays(
    store: GraphStore, encoder: Encoder
) -> None:
    data = load_labelled()  # the small set around them, as in a registry
    extra = [
        item | {"topics": ["procurement"], "recommendations": [], "contributors": [f"org-x{n}"]}
        for n, item in enumerate(ESCROW)
    ]
    data["initiatives"] = data["initiatives"] + extra
    build_labelled_graph(store, data=data)
    refresh(system(store), INITIATIVE, encoder=encoder)
    compared = decisions.list_candidates(
        store, INITIATIVE, statuses=[DecisionStatus.CANDIDATE], min_score=0.0, limit=100_000
    )
    scores = {frozenset((c.a, c.b)): float(c.score or 0.0) for c in compared}
    translation = scores[frozenset(("escrow-public", "sequestre-public"))]
    contrast = scores.get(frozenset(("sequestre-public", "escrow-private")), 0.0)
    assert translation >= DEFAULT_MIN_SCORE, translation
    # Before the qualifier contrast (model of 2026-12-03) this pair scored 0.98.
    assert contrast < DEFAULT_MIN_SCORE, contrast
