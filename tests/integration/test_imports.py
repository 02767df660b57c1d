"""Importing recommendation sets: all-or-nothing, idempotent, versioned, with provenance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph.browse import repository as browse
from graph.imports import repository as imports
from graph.nodes import repository as nodes
from graph.store import GraphStore
from importers.pipeline import run_import
from schema.errors import ValidationFailed
from schema.models import Topic
from tests import factories as f
from tests.support import stored
from tests.support.catalogs import registry

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets"
SRC = "supply-chain-practices-test-catalog"
# An import's counts when it did nothing; a test names those it expects otherwise.
NOTHING = dict.fromkeys(("created", "updated", "unchanged", "withdrawn", "skipped"), 0)


def recommendation(store: GraphStore, id: str) -> dict[str, Any]:
    return browse.by_ids(store, "Recommendation", [id])[id]


def test_oscal_import_builds_hierarchy_with_provenance(store: GraphStore) -> None:
    report = run_import(store, DATA / "catalog-v1.json")
    assert report.counts() == NOTHING | {"created": 6}
    task = recommendation(store, f"{SRC}:sc.1.1")
    assert task["text"] == "List every supplier of software.\nInclude open-source components."
    assert (task["ref"], task["source_version"], task["import_run"]) == (
        "SC.1.1",
        "1.0",
        report.run_id,
    )
    assert len(task["file_sha256"]) == 64 and task["imported_at"]
    parents = browse.neighbours_of(store, "recommendation_parent", [f"{SRC}:sc.1.1"])
    assert [n["id"] for n, _ in parents[f"{SRC}:sc.1.1"]] == [f"{SRC}:sc.1"]
    source = browse.by_ids(store, "Source", [SRC])[SRC]
    assert (source["publisher"], source["version"], source["year"]) == (
        "Test Standards Body",
        "1.0",
        2025,
    )
    members = browse.neighbours_of(store, "source_recommendations", [SRC])[SRC]
    assert len(members) == 6
    run = store.read("MATCH (r:ImportRun {id: $id}) RETURN r {.*} AS r", {"id": report.run_id})
    assert run[0]["r"]["status"] == "published" and run[0]["r"]["created"] == 6
    assert stored.staged_count(store) == 0


def test_reimport_changes_nothing(store: GraphStore) -> None:
    run_import(store, DATA / "catalog-v1.json")
    before = registry(store)
    again = run_import(store, DATA / "catalog-v1.json")
    assert again.counts() == NOTHING | {"unchanged": 6}
    assert not again.changes_anything
    assert registry(store) == before


def test_newer_version_updates_and_withdraws(store: GraphStore) -> None:
    run_import(store, DATA / "catalog-v1.json")
    report = run_import(store, DATA / "catalog-v2.json")
    assert report.updated == [f"{SRC}:sc.1.1"]
    assert report.withdrawn == [f"{SRC}:sc.1.2"]
    assert report.source_change == "updated"
    gone = recommendation(store, f"{SRC}:sc.1.2")
    assert gone["status"] == "withdrawn"  # kept, never deleted
    assert recommendation(store, f"{SRC}:sc.1.1")["source_version"] == "2.0"
    back = run_import(store, DATA / "catalog-v1.json")
    assert sorted(back.updated) == [f"{SRC}:sc.1.1", f"{SRC}:sc.1.2"]
    assert recommendation(store, f"{SRC}:sc.1.2")["status"] == "active"


def test_ciso_library_in_french_skips_empty_nodes(store: GraphStore) -> None:
    report = run_import(store, DATA / "library-fr.yaml")
    assert report.counts()["created"] == 2 and report.skipped == 1
    child = recommendation(store, "guide-chaine-1.0:r1.1")
    assert (child["language"], child["parent_id"], child["ref"]) == (
        "fr",
        "guide-chaine-1.0:r1",
        "R1.1",
    )
    source = browse.by_ids(store, "Source", ["guide-chaine-1.0"])["guide-chaine-1.0"]
    assert (source["urn"], source["language"], source["version"]) == (
        "urn:test:risk:library:guide-chaine",
        "fr",
        "3",
    )


def _with_quirky_sibling(tmp_path: Path, first_quirky: bool) -> Path:
    """library-fr.yaml plus a node whose URN carries a stray quote (`r1.1'` cuts to `r1.1`)."""
    text = (DATA / "library-fr.yaml").read_text(encoding="utf-8")
    quirky = (
        "    - urn: urn:test:risk:req_node:guide-chaine:r1.1'\n"
        "      assessable: true\n"
        "      depth: 3\n"
        "      parent_urn: urn:test:risk:req_node:guide-chaine:r1\n"
        "      ref_id: R1.1 bis\n"
        "      description: Vérifier la nomenclature reçue.\n"
    )
    marker = "    - urn: urn:test:risk:req_node:guide-chaine:r1.1\n"
    assert marker in text
    if first_quirky:
        text = text.replace(marker, quirky + marker)
    else:
        text = text.rstrip("\n") + "\n" + quirky
    path = tmp_path / f"quirky-{first_quirky}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_urns_that_collide_once_cut_import_with_stable_ids_and_a_warning(
    store: GraphStore, tmp_path: Path
) -> None:
    report = run_import(store, _with_quirky_sibling(tmp_path, first_quirky=False))
    assert report.counts()["created"] == 3
    assert len(report.warnings) == 1 and "r1.1'" in report.warnings[0]
    quirky_id = report.warnings[0].split("imported as '")[1].split("'")[0]
    assert (
        quirky_id.startswith("guide-chaine-1.0:r1.1-")
        and len(quirky_id) == len("guide-chaine-1.0:r1.1-") + 6
    )
    clean = recommendation(store, "guide-chaine-1.0:r1.1")
    odd = recommendation(store, quirky_id)
    assert clean["urn"] == "urn:test:risk:req_node:guide-chaine:r1.1"
    assert odd["urn"] == "urn:test:risk:req_node:guide-chaine:r1.1'"
    assert (odd["ref"], odd["parent_id"]) == ("R1.1 bis", "guide-chaine-1.0:r1")
    # The same file with its nodes in another order gives the same ids: nothing changes.
    again = run_import(store, _with_quirky_sibling(tmp_path, first_quirky=True))
    assert again.counts()["created"] == 0 and again.counts()["updated"] == 0
    assert again.warnings == [w.replace("quirky-False", "quirky-True") for w in report.warnings]


def test_invalid_file_imports_nothing_and_says_where(store: GraphStore, tmp_path: Path) -> None:
    run_import(store, DATA / "catalog-v1.json")
    before = registry(store)
    bad = tmp_path / "bad.yaml"
    text = (DATA / "library-fr.yaml").read_text(encoding="utf-8")
    text = text.replace("locale: fr", "locale: french").replace(
        "    - urn: urn:test:risk:req_node:guide-chaine:heading\n", "    - urn:\n"
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, bad)
    shown = [str(p) for p in caught.value.problems]
    assert any("bad.yaml" in s and "language" in s and "ISO 639-1" in s for s in shown), shown
    assert registry(store) == before


def test_broken_yaml_reports_its_line(store: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("urn: x\nobjects:\n  framework: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, bad)
    assert caught.value.problems[0].row is not None
    assert "not valid YAML" in caught.value.problems[0].message


def test_oscal_schema_errors_name_the_field(store: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text((DATA / "catalog-v1.json").read_text().replace('"title": "Inventory",', ""))
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, bad)
    assert any("title" in (p.field or "") for p in caught.value.problems)
    assert registry(store) == []


def test_dry_run_writes_nothing(store: GraphStore) -> None:
    report = run_import(store, DATA / "catalog-v1.json", dry_run=True)
    assert len(report.created) == 6 and report.run_id is None
    assert registry(store) == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/datasets is not beside the project")
def test_real_nist_files(store: GraphStore, tmp_path: Path) -> None:
    oscal_file = tmp_path / "ssdf.json"
    shutil.copy(SHARED / "nist-sp800-218-ssdf-oscal-catalog.json", oscal_file)
    first = run_import(store, oscal_file, source_id="nist-ssdf-oscal")
    assert first.counts()["created"] == 65  # 4 groups, 19 practices, 42 tasks
    ciso = run_import(store, SHARED / "ciso-assistant-nist-ssdf-1.1.yaml")
    assert (ciso.source_id, ciso.counts()["created"], ciso.skipped) == ("nist-ssdf-1.1", 107, 0)
    again = run_import(store, oscal_file, source_id="nist-ssdf-oscal")
    assert again.counts()["unchanged"] == 65 and not again.changes_anything


@pytest.mark.parametrize("name", ["oecd-themes.json", "oecd-themes.yaml"])
def test_native_format_in_json_and_yaml(store: GraphStore, name: str) -> None:
    nodes.save(store, [f.topic("procurement")], model=Topic)
    report = run_import(store, DATA / name)
    sid = report.source_id
    assert report.format == "native" and report.counts()["created"] == 3
    child = recommendation(store, f"{sid}:duty-of-care.by-default")
    assert child["parent_id"] == f"{sid}:duty-of-care" and child["verified"] is False
    source = browse.by_ids(store, "Source", [sid])[sid]
    assert (source["publisher"], source["verified"]) == ("OECD", False)
    assert not run_import(store, DATA / name).changes_anything


def test_native_format_errors_name_each_record(store: GraphStore, tmp_path: Path) -> None:
    data = json.loads((DATA / "oecd-themes.json").read_text())
    data["format"] = "something-else"
    data["recommendations"][1]["parent_ref"] = "nowhere"
    data["recommendations"][2]["language"] = "english"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, bad, fmt="native")
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("format", "must be 'pariscall/recommendations@1'"),
        ("recommendations[1].parent_ref", "no recommendation with ref 'nowhere' in this file"),
        (
            "recommendations[2].language",
            "'english' is not an ISO 639-1 language code (e.g. 'en', 'fr')",
        ),
    ]
    assert registry(store) == []


def test_topics_are_linked_and_replaced_on_change(store: GraphStore, tmp_path: Path) -> None:
    nodes.save(store, [f.topic("procurement"), f.topic("sbom")], model=Topic)
    run_import(store, DATA / "oecd-themes.json")
    rid = "oecd-0481:duty-of-care"

    def topics() -> list[str]:
        return [
            n["id"] for n, _ in browse.neighbours_of(store, "recommendation_topics", [rid])[rid]
        ]

    assert topics() == ["procurement"]
    data = json.loads((DATA / "oecd-themes.json").read_text())
    data["recommendations"][0]["topics"] = ["sbom"]
    changed = tmp_path / "oecd.json"
    changed.write_text(json.dumps(data))
    assert run_import(store, changed).updated == [rid]
    assert topics() == ["sbom"]
    data["recommendations"][0]["topics"] = ["nope"]
    changed.write_text(json.dumps(data))
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, changed)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("duty-of-care.topics", "unknown topic 'nope'")
    ]
    assert topics() == ["sbom"]


def test_update_drops_fields_the_new_version_no_longer_has(
    store: GraphStore, tmp_path: Path
) -> None:
    """Staged columns carry absence too: a title removed upstream is removed here, and
    the record's other fields and topics come through the batch unchanged."""
    nodes.save(store, [f.topic("procurement"), f.topic("sbom")], model=Topic)
    run_import(store, DATA / "oecd-themes.json")
    rid = "oecd-0481:duty-of-care"
    before = recommendation(store, rid)
    assert before["title"]
    data = json.loads((DATA / "oecd-themes.json").read_text())
    del data["recommendations"][0]["title"]
    data["recommendations"][0]["topics"] = ["sbom", "procurement"]
    changed = tmp_path / "oecd.json"
    changed.write_text(json.dumps(data))
    assert run_import(store, changed).updated == [rid]
    after = recommendation(store, rid)
    assert "title" not in after or after["title"] is None
    assert after["text"] == before["text"]
    assert after["topics"] == ["sbom", "procurement"]
    linked = browse.neighbours_of(store, "recommendation_topics", [rid])[rid]
    assert [n["id"] for n, _ in linked] == ["procurement", "sbom"]
    assert stored.staged_count(store) == 0


def test_a_run_overtaken_by_another_import_is_refused_whole(store: GraphStore) -> None:
    """Two imports of the same new file: the one that publishes second finds its planned
    records created by the first, and publishes nothing (the first stays as it was)."""
    from importers.pipeline import ImportReport, plan, read
    from schema.errors import Conflict

    records = read(DATA / "catalog-v1.json")
    report = ImportReport(file="catalog-v1.json", format="oscal", source_id=SRC, dry_run=False)
    planned = plan(store, records, report)
    assert len(report.created) == 6
    late = imports.start_run(store, {"id": "run-late", "status": "staging"})
    imports.stage(store, late, [c | {"import_run": late, "stage_op": "create"} for c in planned])
    run_import(store, DATA / "catalog-v1.json")  # the other import, published first
    before = registry(store)
    with pytest.raises(Conflict, match="published while this one was being prepared"):
        imports.publish(
            store, late, source={"id": SRC}, counts=report.counts(), withdrawn=[],
            event={"id": "late-event", "action": "import_recommendations"},
        )  # fmt: skip
    assert registry(store) == before
    assert all(recommendation(store, id)["import_run"] != late for id in report.created)


@pytest.mark.parametrize(
    ("name", "change", "field", "message"),
    [
        ("oecd-themes.json", {"recommendations": 1.5}, "recommendations", "must be a list"),
        ("oecd-themes.yaml", {"recommendations": "x"}, "recommendations", "must be a list"),
        ("oecd-themes.json", {"source": 7}, "source", "must be an object"),
        ("oecd-themes.yaml", {"source": ["x"]}, "source", "must be an object"),
        ("oecd-themes.json", {"recommendations": []}, None, "holds no recommendations"),
        ("library-fr.yaml", {"objects": "x"}, None, "has no objects.framework"),
        ("library-fr.yaml", {"urn": "urn:x\x00"}, "urn", "control character U+0000"),
    ],
)
def test_wrong_shapes_are_refused_by_file_and_field(
    store: GraphStore,
    tmp_path: Path,
    name: str,
    change: dict[str, Any],
    field: str | None,
    message: str,
) -> None:
    """Each of these once crashed with a bare TypeError or AttributeError, or reached the
    engine: an empty set failed there, and a NUL in a URN was stopped only at the last
    guard, which could not say which file it came from."""
    import yaml

    text = (DATA / name).read_text(encoding="utf-8")
    data = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    data.update(change)
    bad = tmp_path / name
    if name.endswith(".json"):
        bad.write_text(json.dumps(data), encoding="utf-8")
    else:
        bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        run_import(store, bad)
    problem = caught.value.problems[0]
    assert (problem.file, problem.field) == (name, field)
    assert message in problem.message
    assert registry(store) == []
    assert imports.runs(store, limit=5) == []  # refused before any run began


def test_native_json_head_may_come_after_the_records(store: GraphStore, tmp_path: Path) -> None:
    """The head (format, source) is usually read without walking the records; a file
    that puts it last is read to its end for it, and imports the same."""
    nodes.save(store, [f.topic("procurement")], model=Topic)
    data = json.loads((DATA / "oecd-themes.json").read_text(encoding="utf-8"))
    last = tmp_path / "head-last.json"
    last.write_text(
        json.dumps({"recommendations": data["recommendations"], "format": data["format"],
                    "source": data["source"]}),
        encoding="utf-8",
    )  # fmt: skip
    report = run_import(store, last)
    assert (report.format, report.counts()["created"]) == ("native", 3)
    assert report.source_id == data["source"]["id"]
