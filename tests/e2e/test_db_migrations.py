"""`pariscall db status` lists the data migrations without applying them, `db migrate`
applies them and says what changed, any other command applies pending ones before it
works, and a step changed after it ran stops every command but `db status` with a line
naming it.

Engine-specific: commands run in this process on an embedded data directory (the steps
are the test's own, put in place of the product's); how steps apply on each engine is
tests/integration/test_migrations.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.embedded import EmbeddedEngine
from graph.migrations import steps
from graph.migrations.steps import Step

WEBSITE_HTTPS = Step(
    1,
    "signatories_website_https",
    "Signatories' websites are linked over HTTPS.",
    (
        "MATCH (s:Signatory) WHERE s.website STARTS WITH 'http://' "
        "SET s.website = 'https://' + substring(s.website, 7) RETURN count(s) AS changed",
    ),
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A data directory whose engine stays up between the commands of a test."""
    engine = EmbeddedEngine(tmp_path / "data")
    engine.acquire()
    yield tmp_path / "data"
    engine.release()


def pariscall(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args], prog_name="pariscall")
    return result.exit_code, result.stdout, result.stderr


def test_status_lists_migrations_and_migrate_applies_them(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = pariscall(data_dir, "seed", "--no-demo")
    assert code == 0, err
    monkeypatch.setattr(steps, "STEPS", (WEBSITE_HTTPS,))
    code, out, err = pariscall(data_dir, "db", "status")
    assert code == 0, err
    assert "migrations: 0 applied, 1 pending" in out
    assert "  1 signatories_website_https: pending" in out
    code, out, err = pariscall(data_dir, "db", "migrate")
    assert code == 0, err
    assert "migration 1 (signatories_website_https) applied: 0 change(s)" in out
    assert "1 migration(s) applied now, 0 before" in out
    code, out, err = pariscall(data_dir, "db", "status")
    assert "migrations: 1 applied, 0 pending" in out
    assert "  1 signatories_website_https: applied on 20" in out and ", 0 change(s)" in out
    code, out, err = pariscall(data_dir, "db", "migrate")
    assert "0 migration(s) applied now, 1 before" in out


def test_a_command_applies_pending_steps_before_it_works(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "signatories.csv"
    sheet.write_text(
        "id,name,kind,website\ncesin,CESIN,civil_society,http://www.cesin.fr/\n", encoding="utf-8"
    )
    code, _, err = pariscall(data_dir, "import", str(sheet))
    assert code == 0, err
    monkeypatch.setattr(steps, "STEPS", (WEBSITE_HTTPS,))
    code, _, err = pariscall(data_dir, "export", "-o", str(tmp_path / "registry.json"))
    assert code == 0, err
    assert "graph upgraded: migration 1 (signatories_website_https), 1 change(s)" in err
    assert '"website": "https://www.cesin.fr/"' in (tmp_path / "registry.json").read_text()
    code, _, err = pariscall(data_dir, "tokens", "list")
    assert code == 0 and "graph upgraded" not in err


def test_a_step_changed_after_it_ran_stops_commands_with_its_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(steps, "STEPS", (WEBSITE_HTTPS,))
    code, _, err = pariscall(data_dir, "db", "migrate")
    assert code == 0, err
    edited = Step(
        1,
        WEBSITE_HTTPS.name,
        WEBSITE_HTTPS.description,
        ("MATCH (s:Signatory) SET s.website = NULL RETURN count(s) AS changed",),
    )
    monkeypatch.setattr(steps, "STEPS", (edited,))
    code, out, err = pariscall(data_dir, "tokens", "list")
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith(
        "pariscall: cannot upgrade the graph: migration 1 (signatories_website_https) changed "
        "after it was applied on 20"
    )
    assert "Traceback" not in err
    code, out, err = pariscall(data_dir, "db", "status")
    assert code == 0, err
    assert "  1 signatories_website_https: changed since applied on 20" in out
