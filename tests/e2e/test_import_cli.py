"""`pariscall import` as a user runs it: summary, refusals with places, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.processes import cli_env, run_cli

DATA = Path(__file__).resolve().parents[1] / "data"


def test_import_then_reimport_then_refuse(data_dir: Path, tmp_path: Path) -> None:
    env = cli_env(data_dir)
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
    lines = refused.stderr.splitlines()
    assert lines[0].endswith("bad.yaml: refused, nothing imported (2 problem(s))")
    assert lines[1:] == [
        "  bad.yaml, field 'language': 'xx' is not an ISO 639-1 language code (e.g. 'en', 'fr')",
        "  bad.yaml, field 'objects.framework.requirement_nodes[0].title': must not be blank",
    ]
    assert "Traceback" not in refused.stderr + refused.stdout
    missing = run_cli(["import", str(tmp_path / "nope.json")], env)
    assert missing.returncode == 1 and "no such file" in missing.stderr
