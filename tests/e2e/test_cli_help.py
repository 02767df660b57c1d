"""`--help` of every `pariscall` command reads well in a narrow and a normal terminal:
options name what they take, arguments are written as typed, and no word is cut."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from api.cli import app
from tests.processes import cli_env, run_cli

NARROW, NORMAL, WIDE = 60, 100, 240


def commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group of the tree, by the words that call it."""
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, (*path, name))


ALL = list(commands(get_command(app)))


def shown(path: tuple[str, ...], width: int) -> str:
    """The help as a terminal `width` columns wide shows it (click caps it at 80)."""
    result = CliRunner().invoke(
        app, [*path, "--help"], prog_name="pariscall", terminal_width=width,
        max_content_width=max(width, 80),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_covered() -> None:
    called = {" ".join(p) for p in ALL}
    assert {"", "import", "analyze duplicates", "tokens revoke", "db status", "report"} <= called
    assert len(ALL) >= 20


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "pariscall")
def test_help_names_values_and_never_cuts_a_word(path: tuple[str, ...]) -> None:
    whole = set(shown(path, WIDE).split())
    for width in (NARROW, NORMAL):
        text = shown(path, width)
        # no '{paths}...', '<str>', '<initiative|recommendation>', '--no-refre…'
        assert not re.search(r"[{}…]|<[\w|. -]+>", text), text
        assert f"Usage: pariscall {' '.join(path)}".replace("  ", " ") in text
        for line in text.splitlines():
            assert len(line) <= width, (width, line)
        cut = set(text.split()) - whole  # a word broken across lines is two new words
        assert not cut, (width, sorted(cut), text)


def test_arguments_are_written_as_typed(tmp_path: Path) -> None:
    """Through the real entry point too: usage lines name arguments as one types them."""
    imported = run_cli(["import", "--help"], cli_env(tmp_path, COLUMNS=str(NARROW)))
    assert imported.returncode == 0, imported.stderr
    assert "Usage: pariscall import [OPTIONS] PATH..." in imported.stdout
    assert "--format FORMAT" in imported.stdout and "--source ID" in imported.stdout
    assert "Usage: pariscall tokens revoke [OPTIONS] ID" in shown(("tokens", "revoke"), NARROW)
    duplicates = " ".join(shown(("analyze", "duplicates"), NARROW).split())
    assert "--kind KIND What to compare: initiative or recommendation." in duplicates
    assert "--refresh / --no-refresh" in duplicates
