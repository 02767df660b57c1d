"""The signals a duplicate score is made of, and how they combine into one number.

Three signals, each in [0, 1]:
- semantic: cosine of the multilingual embeddings of title and summary, rescaled so that
  the similarity two unrelated texts of this field reach (about 0.35) counts as zero;
- lexical: overlap of content words (accents folded, stop words and plurals dropped).
  It is left out of the score when the two texts are in different languages, where
  it would only ever say "different";
- graph: weighted overlap of what the two records link to (recommendations count most).
  It is left out when neither record links to anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from schema.text import fold

_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP_WORDS = """
the and for with from that this their they which into are was were has have had its
our all any can will each per not but one two such than then them these those also
more most other only own same use used using via who whom how what when where les
des une aux par pour dans sur avec que qui est sont leur leurs ses ces cet cette
son sa nos nous vous elle ils elles pas plus comme ainsi tout tous toute toutes
entre chaque afin dont lors etre avoir ete fait faire
"""
# French and English words too common to say anything about a pair.
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Relative weight of each kind of shared link in the graph signal.
GRAPH_WEIGHTS: Mapping[str, float] = {
    "recommendation": 3.0,
    "principle": 1.0,
    "topic": 1.0,
    "contributor": 0.5,
    "working_group": 0.5,
    "initiative": 2.0,  # for recommendations: initiatives that implement both
}

SEMANTIC_FLOOR = 0.35
WEIGHT_SEMANTIC = 0.6
WEIGHT_LEXICAL = 0.2
WEIGHT_GRAPH = 0.2


def content_words(text: str) -> frozenset[str]:
    """Words that carry meaning, accent-folded, with a plural 's'/'x' dropped."""
    words = set()
    for word in _WORD.findall(fold(text)):
        if word in STOP_WORDS:
            continue
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def lexical(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def rescale_semantic(cosine: float) -> float:
    return max(0.0, min(1.0, (cosine - SEMANTIC_FLOOR) / (1.0 - SEMANTIC_FLOOR)))


Features = Mapping[str, frozenset[str]]


def graph_overlap(a: Features, b: Features) -> tuple[float | None, dict[str, list[str]]]:
    """Weighted Jaccard over link kinds; None when neither side links to anything."""
    total = 0.0
    weight = 0.0
    shared: dict[str, list[str]] = {}
    for kind, w in GRAPH_WEIGHTS.items():
        left, right = a.get(kind, frozenset()), b.get(kind, frozenset())
        union = left | right
        if not union:
            continue
        common = left & right
        weight += w
        total += w * len(common) / len(union)
        if common:
            shared[kind] = sorted(common)
    if weight == 0:
        return None, shared
    return total / weight, shared


@dataclass(frozen=True)
class Scored:
    score: float
    semantic: float
    lexical: float
    graph: float
    cross_language: bool


def combine(*, cosine: float, lex: float, graph: float | None, cross_language: bool) -> Scored:
    """Weighted mean of the signals that apply to this pair."""
    semantic = rescale_semantic(cosine)
    parts = [(WEIGHT_SEMANTIC, semantic)]
    if not cross_language:
        parts.append((WEIGHT_LEXICAL, lex))
    if graph is not None:
        parts.append((WEIGHT_GRAPH, graph))
    score = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    return Scored(
        score=round(score, 4),
        semantic=round(cosine, 4),
        lexical=round(lex, 4),
        graph=round(graph or 0.0, 4),
        cross_language=cross_language,
    )


KIND_PHRASES = {
    "recommendation": "both implement",
    "principle": "both advance",
    "topic": "shared topic",
    "contributor": "shared contributor",
    "working_group": "both tracked by",
    "initiative": "both implemented by",
}


def explain(scored: Scored, shared: Mapping[str, list[str]], languages: tuple[str, str]) -> str:
    """One line a co-chair can read: what links the pair, then how close the texts are."""
    pieces = [f"{KIND_PHRASES[kind]} {', '.join(ids[:3])}" for kind, ids in shared.items() if ids]
    arrow = f" {languages[0].upper()}↔{languages[1].upper()}"
    pieces.append(f"text similarity {scored.semantic:.2f}{arrow}")
    if not scored.cross_language and scored.lexical > 0:
        pieces.append(f"shared wording {scored.lexical:.2f}")
    return "; ".join(pieces)
