"""Which `pariscall serve` processes run for this user, and on which graph.

A command run with another data directory than the server's works on another registry,
which the server never shows: the records here let it say so. Each server writes one
small JSON file, named after its pid, under the user's state directory
(`~/.local/state/pariscall/servers` on Linux, or under `$XDG_STATE_HOME`: always
writable, in a container too) and removes it when it stops; a record whose process is
gone (killed) is dropped by the next reader.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from api.settings import APP_NAME
from graph.embedded import pid_alive


@dataclass(frozen=True)
class ServerRecord:
    """A running server: where it answers and which graph it serves."""

    pid: int
    url: str
    graph: str  # graph.connect.describe() of its configuration
    data_dir: str | None  # set on the embedded engine


def records_dir() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False)) / "servers"


@contextlib.contextmanager
def recorded(record: ServerRecord) -> Iterator[None]:
    """Keep `record` on file while the block runs (the server's lifetime). A state
    directory that cannot be written only costs the warning it serves."""
    path = records_dir() / f"{record.pid}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the user's own
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(record)), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        yield
        return
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def running() -> list[ServerRecord]:
    """The servers alive now, by pid; records of dead processes are removed."""
    found = []
    for path in sorted(records_dir().glob("*.json")):
        try:
            record = ServerRecord(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if record.pid == os.getpid():
            continue
        if pid_alive(record.pid):
            found.append(record)
        else:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
    return found


def elsewhere(graph: str) -> list[ServerRecord]:
    """Running servers whose graph is not `graph` (as `describe` names it)."""
    return [s for s in running() if s.graph != graph]
