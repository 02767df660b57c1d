"""The README's first steps hold as written: the install, and the ids its own import
example creates. Engine-agnostic (ids come from the importer), so run on the embedded one."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from tests import factories as f
from tests.processes import cli_env, run_cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
NIST_TITLE = (
    "Electronic (OSCAL) Version of Secure Software Development Framework (SSDF): "
    "Recommendations for Mitigating the Risk of Software Vulnerabilities"
)


def section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_first_steps_say_what_a_fresh_machine_needs() -> None:
    first = section("Two commands")
    assert "Python 3.11" in first and "python3 -m venv" in first
    blocks = re.findall(r"```sh\n(.*?)```", first, flags=re.S)
    assert len(blocks) == 2  # one to run the service, one to run the tests
    serve, test = blocks
    assert "pip install . " in serve and "[test]" not in serve and "pariscall serve" in serve
    assert "[test]" in test and "pytest" in test
    commands = section("Commands")
    assert "--status" in commands and "--no-refresh" in commands and "--data-dir" in commands


def test_the_import_example_creates_the_ids_the_readme_gives(tmp_path: Path) -> None:
    importing = section("Importing recommendation sets and spreadsheets")
    command = next(line.split("#")[0] for line in importing.splitlines() if "_catalog.json" in line)
    words = shlex.split(command)
    assert words[:2] == ["pariscall", "import"]
    example = re.search(r"Ids are stable \(`SOURCE:REF`, e\.g\. `([^`]+)`\)", importing)
    assert example is not None
    task = {"id": "PO.1.1", "title": "Task PO.1.1", "parts": [
        {"id": "PO.1.1_smt", "name": "statement", "prose": "Identify requirements."}
    ]}  # fmt: skip
    practice = {"id": "PO.1", "title": "Practice PO.1", "controls": [task]}
    f.oscal_catalog(
        tmp_path / words[-1], NIST_TITLE, "1.1", [practice], group="PO", publisher="NIST"
    )
    env = cli_env(tmp_path / "data")
    done = run_cli(["import", *words[2:-1], str(tmp_path / words[-1])], env)
    assert done.returncode == 0, done.stderr
    exported = run_cli(["export", "-o", str(tmp_path / "r.json"), "--kind", "Recommendation"], env)
    assert exported.returncode == 0, exported.stderr
    made = json.loads((tmp_path / "r.json").read_text())["nodes"]["Recommendation"]
    assert example.group(1) in {r["id"] for r in made}
