"""`pariscall analyze` and `pariscall export mappings` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.processes import run_cli


@pytest.fixture
def env(engine_env: dict[str, str]) -> dict[str, str]:
    """The environment of `pariscall` on each engine, the demo registry seeded."""
    assert run_cli(["seed"], engine_env).returncode == 0
    return engine_env


def test_duplicates_of_the_demo_data_as_json_csv_and_table(env: dict[str, str]) -> None:
    first = run_cli(["analyze", "duplicates", "--format", "json"], env)
    assert first.returncode == 0, first.stderr
    assert "embedding 40 text(s)" in first.stderr
    pairs = json.loads(first.stdout)
    assert pairs, "the demo data holds FR/EN duplicates"
    assert {"a", "b", "score", "status", "explanation"} <= set(pairs[0])
    assert all(p["score"] >= 0.40 and p["status"] == "candidate" for p in pairs)
    found = {frozenset((p["a"], p["b"])) for p in pairs}
    assert frozenset(("coordinated-disclosure-charter", "charte-divulgation-coordonnee")) in found
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    assert "scores adjusted to this registry" in first.stderr
    assert "0 decision(s) learned" in first.stderr

    # the possible band: below the threshold, the most uncertain pair first
    possible = run_cli(["analyze", "duplicates", "--band", "possible", "--format", "json"], env)
    assert possible.returncode == 0, possible.stderr
    below = [p["score"] for p in json.loads(possible.stdout)]
    assert all(0.10 <= s < min(p["score"] for p in pairs) for s in below)
    assert [s * (1 - s) for s in below] == sorted((s * (1 - s) for s in below), reverse=True)

    # above the default threshold: fewer pairs, each at or above it
    warm = run_cli(["analyze", "duplicates", "--format", "csv", "--min-score", "0.9"], env)
    assert warm.returncode == 0, warm.stderr
    assert "embedding" not in warm.stderr  # nothing changed: embeddings reused
    rows = list(csv.DictReader(io.StringIO(warm.stdout)))
    assert rows and all(float(r["score"]) >= 0.9 for r in rows)
    assert len(rows) < len(pairs)

    table = run_cli(["analyze", "duplicates", "--no-refresh"], {**env, "COLUMNS": "80"})
    assert table.returncode == 0
    assert f"{len(pairs)} pair(s)" in table.stdout
    # at 80 columns every id stays whole (a wrapped id cannot be copied back), titled
    lines = table.stdout.splitlines()
    assert max(map(len, lines)) <= 80 or all(
        " " not in line.strip() for line in lines if len(line) > 80
    )
    assert all(f"[{p['a']}]" in table.stdout and f"[{p['b']}]" in table.stdout for p in pairs)
    assert "Charte de divulgation coordonnée des vulnérabilités" in table.stdout
    # the reasons name what they share, as the pages do: principles, topics, not ids
    said = " ".join(table.stdout.split())
    assert "both advance: Lifecycle security" in said and "advance p6" not in said
    assert "shared topics: Vulnerability disclosure" in said
    assert "shared topic vulnerability-disclosure" not in said


def test_gaps_as_json_and_bad_options_get_one_line(env: dict[str, str]) -> None:
    out = run_cli(["analyze", "gaps", "--format", "json", "--wg", "wg6"], env)
    assert out.returncode == 0, out.stderr
    gaps = json.loads(out.stdout)
    assert gaps["uncovered_total"] > 0
    assert sum(g["count"] for g in gaps["uncovered_recommendations"]) >= gaps["uncovered_total"]
    assert [s["working_group_id"] for s in gaps["stakeholder_gaps"]] in ([], ["wg6"])
    read = run_cli(["analyze", "gaps", "--wg", "wg6"], {**env, "COLUMNS": "80"})
    assert read.returncode == 0, read.stderr
    text = read.stdout
    # what is uncovered comes first, named; empty crosswalks are counted, not listed
    assert text.index("implemented by no active initiative") < text.index("Crosswalks:")
    assert "OECD Recommendation on the Treatment of Digital Security Vulnerabilities" in text
    assert "0%" not in text and "with no mapping yet" in text
    assert "Topics without an active initiative" in text
    ids = {i for g in gaps["uncovered_recommendations"] for i in g["recommendation_ids"]}
    words = set(text.replace(";", " ").split())
    assert not ids & words  # recommendations are named (reference — words), not by id
    assert "principles.leadership — Lead from the top" in " ".join(text.split())
    bad = run_cli(["analyze", "duplicates", "--format", "yaml"], env)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_export_mappings_without_accepted_crosswalks_says_so(
    env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "mappings.json"
    out = run_cli(["export", "mappings", "--format", "oscal", "-o", str(target)], env)
    assert out.returncode == 1
    assert "no accepted crosswalk" in out.stderr
    assert not target.exists()
    wrong = run_cli(["export", "mappings", "--format", "csv", "-o", str(target)], env)
    assert wrong.returncode == 2 and "OSCAL only" in wrong.stderr


def test_report_in_three_formats(env: dict[str, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    md = tmp_path / "r.md"
    out = run_cli(["report", "--wg", "wg6", "--format", "md", "--lang", "fr", "-o", str(md)], env)
    assert out.returncode == 0, out.stderr
    text = md.read_text(encoding="utf-8")
    for heading in ("Initiatives par thème", "Doublons confirmés", "Provenance des données"):
        assert f"## {heading}" in text
    assert "OECD" in text or "oecd" in text
    html = tmp_path / "r.html"
    assert run_cli(["report", "--wg", "wg6", "-o", str(html)], env).returncode == 0
    assert "<h2>Crosswalk coverage between sources</h2>" in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "r.xlsx"
    made = run_cli(["report", "--wg", "wg6", "--format", "xlsx", "-o", str(xlsx)], env)
    assert made.returncode == 0
    book = load_workbook(xlsx)
    assert book.sheetnames[:3] == ["Summary", "Initiatives", "Duplicates"]
    assert book["Initiatives"].max_row > 30  # wg6 tracks most demo initiatives
    missing = run_cli(["report", "--wg", "wg42"], env)
    assert missing.returncode == 1 and "wg42" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_topics_are_suggested_for_recommendations_without_any(
    engine_env: dict[str, str],
) -> None:
    env = engine_env
    assert run_cli(["seed", "--no-demo"], env).returncode == 0
    data = Path(__file__).resolve().parents[1] / "data"
    assert run_cli(["import", str(data / "catalog-v1.json")], env).returncode == 0
    listed = run_cli(["analyze", "topics", "--format", "json"], env)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    mine = [r for r in rows if r["recommendation"].endswith(":vd.1")]
    assert mine and mine[0]["topic"] == "vulnerability-disclosure"
    table = run_cli(["analyze", "topics"], env)
    assert table.returncode == 0
    assert "without a topic" in table.stderr and "no topic yet, by source" in table.stdout
