"""The unit of work of a test's own set-up: writes no actor makes, so, as seeding, they
record no audit event (graph/audit: `UnitOfWork.system`)."""

from __future__ import annotations

from graph.audit import UnitOfWork
from graph.store import GraphStore


def system(store: GraphStore) -> UnitOfWork:
    """A named system unit for the writes a test makes to set up what it checks."""
    return UnitOfWork.system(store, "test fixture")
