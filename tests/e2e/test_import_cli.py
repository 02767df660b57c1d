"""`pariscall import` as a user runs it: summary, refusals with places, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.processes import cli_env, run_cli

DATA = Path(__file__).resolve().parents[1] / "data"


def test_import_then_reimport_then_refuse(
    engine_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    env = engine_env
    dry = run_cli(["import", "--dry-run", str(DATA / "library-fr.yaml")], env)
    assert dry.returncode == 0, dry.stderr
    assert (
        "dry run, nothing written" in dry.stdout
        and "would create: guide-chaine-1.0:r1" in dry.stdout
    )
    first = run_cli(["import", str(DATA / "library-fr.yaml")], env)
    assert first.returncode == 0, first.stderr
    assert "source guide-chaine-1.0: created" in first.stdout
    again = run_cli(["import", str(DATA / "library-fr.yaml")], env)
    assert "everything unchanged" in again.stdout

    bad = tmp_path / "bad.yaml"
    text = (DATA / "library-fr.yaml").read_text(encoding="utf-8")
    text = text.replace("locale: fr", "locale: xx").replace(
        "      name: Cartographier les fournisseurs", "      name: '   '"
    )
    bad.write_text(text, encoding="utf-8")
    refused = run_cli(["import", str(bad)], env)
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()[1:]  # after the line naming the graph
    assert lines[0].endswith("bad.yaml: refused, nothing imported (2 problem(s))")
    assert lines[1:] == [
        "  bad.yaml, field 'language': 'xx' is not an ISO 639-1 language code (e.g. 'en', 'fr')",
        "  bad.yaml, field 'objects.framework.requirement_nodes[0].title': must not be blank",
    ]
    assert "Traceback" not in refused.stderr + refused.stdout
    missing = run_cli(["import", str(tmp_path / "nope.json")], env)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_export_then_import_into_another_data_dir(
    engine_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    assert run_cli(["seed"], engine_env).returncode == 0
    path = tmp_path / "registry.json"
    exported = run_cli(["export", "-o", str(path)], engine_env)
    assert exported.returncode == 0, exported.stderr
    # 9 principles + 15 topics + 6 groups + 17 signatories + 8 sources
    # + 73 recommendations + 40 initiatives + 1 call for contributions
    assert exported.stdout.startswith("169 nodes and ")
    other = tmp_path / "other"
    restored = run_cli(["import", str(path)], cli_env(other))
    assert restored.returncode == 0, restored.stderr
    assert "(registry) → registry" in restored.stdout.replace("\n", " ")
    again = run_cli(["export", "-o", str(tmp_path / "again.json")], cli_env(other))
    assert again.stdout.split(" written")[0] == exported.stdout.split(" written")[0]
    bad_kind = run_cli(["export", "-o", str(path), "--kind", "Nope"], engine_env)
    assert bad_kind.returncode == 2 and "unknown kind(s) Nope" in bad_kind.stderr


def test_help_shows_values_not_type_names_beside_flags(tmp_path: Path) -> None:
    """A flag takes no value: `--dry-run <bool>` in --help reads as if it took one."""
    for command in (["import", "--help"], ["tokens", "create", "--help"], ["--help"]):
        shown = run_cli(command, cli_env(tmp_path))
        assert shown.returncode == 0, shown.stderr
        assert "--help" in shown.stdout and "<bool>" not in shown.stdout, command
    gaps = run_cli(["analyze", "gaps", "--help"], cli_env(tmp_path)).stdout
    assert "table (to read)" in gaps
