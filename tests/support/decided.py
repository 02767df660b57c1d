"""Decisions on pairs that tests make to set up what they check: a person confirms or
rejects two initiatives or two recommendations, through a system unit (units.py).

Kept apart from units.py, which tests/support/scratch_kinds.py imports before it has
installed its scratch relation: this module loads the analyses, which derive from the kinds.
"""

from __future__ import annotations

from typing import Any

from analysis import decisions
from graph.store import GraphStore
from schema.analysis import Candidate
from schema.enums import CandidateKind, DecisionStatus
from tests.support.units import system


def decide(
    store: GraphStore,
    a: str,
    b: str,
    status: DecisionStatus = DecisionStatus.CONFIRMED,
    *,
    kind: CandidateKind = CandidateKind.INITIATIVE,
    by: str = "co-chair",
    **more: Any,
) -> Candidate:
    """A person's decision on a pair (by default a co-chair confirms two initiatives);
    `more` passes the rest on (note, relation)."""
    return decisions.decide(system(store), kind, a=a, b=b, status=status, by=by, **more)
