"""What a server process carries from the start: the crosswalk refit's optimiser
(scipy.optimize, ~25 MiB) is imported when a refit runs, not by every worker (it once
held the server 28 MiB above the previous release's 133 MiB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_service_and_the_command_line_start_without_the_optimiser() -> None:
    probe = "import sys, api.app, api.cli; print('scipy.optimize' in sys.modules)"
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "False"
