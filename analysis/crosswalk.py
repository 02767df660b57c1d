"""Suggest a NIST IR 8477 relationship between two recommendations of different sources.

The suggestion is a heuristic a person confirms, not a verdict:
- a recommendation that has sub-recommendations is broader than a single one it matches;
- near-identical meaning and similar length suggest `equal` (the bar is lower across
  languages, where even a faithful translation scores below a same-language paraphrase);
- when most of one text's content words appear in the other, and not the reverse, the
  first is the narrower one (`subset_of`), the other the broader (`superset_of`);
- otherwise the two overlap (`intersects_with`).
Confidence follows the pair's score and is lower for the weaker relations.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.enums import MappingRelation

EQUAL_COSINE = 0.85
# Translations of one text reach 0.75-0.9 across languages, not the 0.95 of paraphrases.
EQUAL_COSINE_ACROSS_LANGUAGES = 0.75
CONTAINED = 0.6
NOT_CONTAINED = 0.4


@dataclass(frozen=True)
class Side:
    words: frozenset[str]
    language: str
    has_children: bool


def suggest(a: Side, b: Side, *, cosine: float, score: float) -> tuple[MappingRelation, float]:
    """The relation of a to b, with a confidence in [0, 1]."""
    if a.has_children != b.has_children:
        relation = MappingRelation.SUPERSET_OF if a.has_children else MappingRelation.SUBSET_OF
        return relation, round(min(1.0, score * 0.9), 2)
    size_a, size_b = max(len(a.words), 1), max(len(b.words), 1)
    similar_size = 0.67 <= size_a / size_b <= 1.5
    equal_at = EQUAL_COSINE if a.language == b.language else EQUAL_COSINE_ACROSS_LANGUAGES
    if cosine >= equal_at and similar_size:
        return MappingRelation.EQUAL, round(min(1.0, score), 2)
    if a.language == b.language:
        shared = len(a.words & b.words)
        in_b, in_a = shared / size_a, shared / size_b
        if in_b >= CONTAINED and in_a < NOT_CONTAINED:
            return MappingRelation.SUBSET_OF, round(score * 0.8, 2)
        if in_a >= CONTAINED and in_b < NOT_CONTAINED:
            return MappingRelation.SUPERSET_OF, round(score * 0.8, 2)
    elif not similar_size and cosine >= 0.7:
        relation = MappingRelation.SUBSET_OF if size_a < size_b else MappingRelation.SUPERSET_OF
        return relation, round(score * 0.6, 2)
    return MappingRelation.INTERSECTS_WITH, round(score * 0.7, 2)
