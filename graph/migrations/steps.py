"""The data migrations, in order: one `Step` each, named after what it changes.

A step is Cypher in the subset both engines run; a text that must differ per engine is a
function of the backend that lives in graph/dialect.py. Each statement returns one row
with `changed`, the number of things it changed, and changes nothing when run again: it
matches only what is still in the old shape. Idempotence is what makes an interrupted
upgrade safe to run again; tests/integration/test_upgrade.py runs every step on a
registry stored by an earlier version, then again, and checks the second run changes
nothing.

Adding a step is one entry at the end of `STEPS`, with the next version, e.g.

    Step(
        1,
        "initiatives_updated_at",
        "Initiatives stored before they kept a change time take their creation time.",
        (
            "MATCH (i:Initiative) WHERE i.updated_at IS NULL AND i.created_at IS NOT NULL "
            "SET i.updated_at = i.created_at RETURN count(i) AS changed",
        ),
    ),

Never edit, renumber or remove a step once it is on main: its checksum is recorded in
every graph it upgraded, and a changed step stops the service at start-up with a message
naming it. A wrong step is fixed by a new one.

A step over many nodes is `batched`: each statement gets `$batch` (write `WITH n LIMIT
$batch` after the match) and runs again until it changes nothing, so no transaction holds
the whole graph; its statement must stop matching what it changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from graph.backends import Backend

# A statement's text, or a function giving it per engine (from graph/dialect.py).
Statement = str | Callable[[Backend], str]

BATCH = 10_000


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    description: str
    statements: tuple[Statement, ...]
    batched: bool = False

    def texts(self, backend: Backend) -> list[str]:
        """The statements as this engine runs them."""
        return [s if isinstance(s, str) else s(backend) for s in self.statements]

    @property
    def checksum(self) -> str:
        """What the ledger records: the statements of every engine, whitespace aside (a
        reflowed string is the same step; a changed word is not)."""
        digest = hashlib.sha256(f"batched={self.batched}".encode())
        for backend in Backend:
            for text in self.texts(backend):
                digest.update(b"\x00" + " ".join(text.split()).encode())
        return digest.hexdigest()[:16]


# The registry's data migrations, oldest first (none needed yet: the registry stored by
# earlier versions reads as it is; tests/data/upgrade shows it).
STEPS: tuple[Step, ...] = ()


def variants() -> list[tuple[str, str]]:
    """Every step's statements on every engine, for the Cypher lint."""
    return [
        (f"V{step.version}_{step.name}[{backend}:{n}]", text)
        for step in STEPS
        for backend in Backend
        for n, text in enumerate(step.texts(backend))
    ]
