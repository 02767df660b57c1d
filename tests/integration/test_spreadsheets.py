"""Initiatives from CSV and XLSX: columns, rows, atomicity, idempotence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.browse import repository as browse
from graph.nodes import repository as nodes
from graph.store import GraphStore
from importers.pipeline import run_import
from schema.errors import Problem, ValidationFailed
from schema.models import Initiative, Signatory, Topic, WorkingGroup
from tests import factories as f

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def taxonomy(store: GraphStore) -> GraphStore:
    nodes.save(store, [f.topic("sbom"), f.topic("procurement")], model=Topic)
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    return store


def around(store: GraphStore, name: str, id: str) -> list[tuple[str, dict[str, object]]]:
    return [(n["id"], r) for n, r in browse.neighbours_of(store, name, [id]).get(id, [])]


# An import expected to be refused: the file's name and text -> its problems.
Refuse = Callable[[str, str], list[Problem]]


@pytest.fixture
def refused(taxonomy: GraphStore, tmp_path: Path) -> Refuse:
    """The problems an import of a file, named and written as given, is refused with."""

    def refuse(name: str, text: str) -> list[Problem]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValidationFailed) as caught:
            run_import(taxonomy, path)
        return caught.value.problems

    return refuse


def test_csv_rows_become_initiatives_with_links(taxonomy: GraphStore) -> None:
    report = run_import(taxonomy, DATA / "initiatives.csv")
    assert (report.kind, report.created, report.updated) == (
        "initiatives",
        ["csv-sbom", "csv-fr"],
        [],
    )
    assert report.warnings == [
        "initiatives.csv: column 'colour' is not one of ours and was ignored"
    ]
    sbom = nodes.load(taxonomy, Initiative, ["csv-sbom"])["csv-sbom"]
    assert (sbom.status, sbom.version, sbom.url) == ("active", 1, "https://example.org/sbom")
    assert around(taxonomy, "initiative_topics", "csv-sbom") == [("procurement", {}), ("sbom", {})]
    assert around(taxonomy, "initiative_contributors", "csv-sbom") == [
        ("cigref", {"role": "lead"}),
        ("kaspersky", {"role": "partner"}),
    ]
    fr = nodes.load(taxonomy, Initiative, ["csv-fr"])["csv-fr"]
    assert fr.summary == "Un questionnaire partagé, rempli une fois."
    stored = browse.by_ids(taxonomy, "Initiative", ["csv-fr"])["csv-fr"]
    assert stored["import_run"] == report.run_id and len(stored["file_sha256"]) == 64


def test_reimport_is_unchanged_and_a_changed_row_bumps_the_version(
    taxonomy: GraphStore, tmp_path: Path
) -> None:
    run_import(taxonomy, DATA / "initiatives.csv")
    again = run_import(taxonomy, DATA / "initiatives.csv")
    assert (again.created, again.updated, again.unchanged) == ([], [], 2)
    assert nodes.load(taxonomy, Initiative, ["csv-sbom"])["csv-sbom"].version == 1
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (DATA / "initiatives.csv")
        .read_text()
        .replace("SBOM pilot from the spreadsheet", '"SBOM pilot, second edition"')
    )
    report = run_import(taxonomy, changed)
    assert (report.updated, report.unchanged) == (["csv-sbom"], 1)
    sbom = nodes.load(taxonomy, Initiative, ["csv-sbom"])["csv-sbom"]
    assert (sbom.title, sbom.version) == ("SBOM pilot, second edition", 2)


def test_bad_rows_are_all_reported_by_row_and_nothing_is_written(
    taxonomy: GraphStore, refused: Refuse
) -> None:
    problems = refused(
        "bad.csv",
        "id,title,language,topics,status\n"
        "ok-1,Fine,en,sbom,active\n"
        "Bad Id,Fine,en,,active\n"
        "ok-2,,xx,,finished\n",
    )
    assert sorted((p.row, p.field) for p in problems) == [
        (3, "id"),
        (4, "language"),
        (4, "status"),
        (4, "title"),
    ]
    assert nodes.count(taxonomy, Initiative) == 0


def test_unknown_link_targets_name_the_row(taxonomy: GraphStore, refused: Refuse) -> None:
    problems = refused(
        "links.csv",
        "id,title,language,topics\nok-1,Fine,en,sbom\n\nok-2,Fine,en,sbom;nope\n",
    )
    assert [(p.row, p.field, p.message) for p in problems] == [
        (4, "topics[1]", "unknown topic 'nope'")
    ]
    assert nodes.count(taxonomy, Initiative) == 0


def test_missing_required_column_and_duplicate_ids(taxonomy: GraphStore, tmp_path: Path) -> None:
    no_title = tmp_path / "no-title.csv"
    no_title.write_text("id,language\nx,en\n")
    with pytest.raises(ValidationFailed, match="required column 'title' is missing"):
        run_import(taxonomy, no_title)
    twice = tmp_path / "twice.csv"
    twice.write_text("id,title,language\nx,A,en\nx,B,en\n")
    with pytest.raises(ValidationFailed, match="id 'x' is also on row 2"):
        run_import(taxonomy, twice)


def test_xlsx_with_dates_and_numbers(taxonomy: GraphStore, tmp_path: Path) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Title", "Language", "Started_on", "Topics"])
    sheet.append(["xlsx-1", "From Excel", "en", datetime(2024, 5, 2), "sbom"])
    sheet.append([None, None, None, None, None])
    sheet.append(["xlsx-2", 2024, "fr", None, None])
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    report = run_import(taxonomy, path)
    assert report.created == ["xlsx-1", "xlsx-2"]
    loaded = nodes.load(taxonomy, Initiative, ["xlsx-1", "xlsx-2"])
    assert str(loaded["xlsx-1"].started_on) == "2024-05-02"
    assert loaded["xlsx-2"].title == "2024"


def test_signatories_and_memberships_sheets(
    taxonomy: GraphStore, tmp_path: Path, refused: Refuse
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,kind,country,notes\n"
        "ville-de-lyon,Ville de Lyon,local_government,FR,ignored\n"
        "cigref,Cigref (renamed),civil_society,FR,\n"
    )
    report = run_import(taxonomy, people)
    assert (report.kind, report.created, report.updated) == (
        "signatories",
        ["ville-de-lyon"],
        ["cigref"],
    )
    assert nodes.load(taxonomy, Signatory, ["cigref"])["cigref"].name == "Cigref (renamed)"
    assert run_import(taxonomy, people).unchanged == 2

    members = tmp_path / "members.csv"
    members.write_text(
        "signatory_id,working_group_id,role,since\n"
        "ville-de-lyon,wg6,member,2024-01-15\n"
        "cigref,wg6,co_chair,\n"
    )
    report = run_import(taxonomy, members)
    assert (report.kind, report.created) == ("memberships", ["ville-de-lyon→wg6", "cigref→wg6"])
    assert around(taxonomy, "working_group_members", "wg6") == [
        ("cigref", {"role": "co_chair"}),
        ("ville-de-lyon", {"role": "member", "since": "2024-01-15"}),
    ]
    assert run_import(taxonomy, members).unchanged == 2

    problems = refused(
        "bad-members.csv",
        "signatory_id,working_group_id,role\ncigref,wg6,observer\nghost,wg6,member\n",
    )
    assert [(p.row, p.field, p.message) for p in problems] == [
        (3, "signatory_id", "unknown signatory 'ghost'")
    ]
    assert around(taxonomy, "working_group_members", "wg6")[0] == ("cigref", {"role": "co_chair"})


def test_a_file_that_is_not_a_workbook_is_refused_clearly(
    taxonomy: GraphStore, refused: Refuse
) -> None:
    problems = refused("initiatives.xlsx", "id,title\nx,y\n")
    assert [(p.file, p.message) for p in problems] == [
        ("initiatives.xlsx", "cannot be read: not an .xlsx workbook (File is not a zip file)")
    ]
    assert nodes.count(taxonomy, Initiative) == 0


def test_words_are_read_in_any_case_and_in_french(taxonomy: GraphStore, tmp_path: Path) -> None:
    sheet = tmp_path / "words.csv"
    sheet.write_text(
        "id,title,language,status,contributors\n"
        "w-1,Upper case as the API writes it,EN,PROPOSED,cigref:LEAD\n"
        "w-2,Libellés des pages,Français,Proposée,cigref:pilote;kaspersky:Partenaire\n"
        "w-3,Spaces and hyphens,fr,  completed ,kaspersky:supporter\n",
        encoding="utf-8",
    )
    report = run_import(taxonomy, sheet)
    assert report.created == ["w-1", "w-2", "w-3"]
    stored = nodes.load(taxonomy, Initiative, ["w-1", "w-2", "w-3"])
    assert [(stored[i].language, stored[i].status) for i in ("w-1", "w-2", "w-3")] == [
        ("en", "proposed"),
        ("fr", "proposed"),
        ("fr", "completed"),
    ]
    assert around(taxonomy, "initiative_contributors", "w-2") == [
        ("cigref", {"role": "lead"}),
        ("kaspersky", {"role": "partner"}),
    ]
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,kind,country\nanssi,ANSSI,Autorité publique,fr\nacme,Acme,COMPANY,de\n",
        encoding="utf-8",
    )
    run_import(taxonomy, people)
    loaded = nodes.load(taxonomy, Signatory, ["anssi", "acme"])
    assert [(s.kind, s.country) for s in loaded.values()] == [
        ("public_authority", "FR"),
        ("company", "DE"),
    ]
    members = tmp_path / "members.csv"
    members.write_text("signatory_id,working_group_id,role\nanssi,wg6,Coprésident\n")
    run_import(taxonomy, members)
    assert around(taxonomy, "signatory_memberships", "anssi") == [("wg6", {"role": "co_chair"})]


def test_a_word_that_means_nothing_is_refused_with_its_row(
    taxonomy: GraphStore, refused: Refuse
) -> None:
    problems = refused("typo.csv", "id,title,language,status\nt-1,Typo,en,proposd\n")
    assert [(p.row, p.field) for p in problems] == [(2, "status")]
    assert nodes.count(taxonomy, Initiative) == 0


def test_every_problem_of_a_sheet_comes_in_one_report(
    taxonomy: GraphStore, refused: Refuse
) -> None:
    problems = refused(
        "all.csv",
        "id,title,language,topics,working_groups\n"
        "ok-1,Fine,en,sbom;nope,wg6\n"  # unknown topic on an otherwise valid row
        "ok-2,,en,sbom,\n"  # a field error
        "ok-3,Fine,en,sbom,wg99\n"  # unknown working group
        "ok-1,Again,en,,\n",  # the same id twice
    )
    assert [(p.row, p.field, p.message) for p in problems] == [
        (2, "topics[1]", "unknown topic 'nope'"),
        (3, "title", problems[1].message),
        (4, "working_groups[0]", "unknown working group 'wg99'"),
        (5, None, "id 'ok-1' is also on row 2"),
    ]
    assert nodes.count(taxonomy, Initiative) == 0


def test_every_problem_of_a_row_comes_in_one_pass(taxonomy: GraphStore, refused: Refuse) -> None:
    """A field a row gets wrong does not hide what else is wrong with it: the unknown
    topics, groups and signatories of that row are reported beside it, and a language
    other than the template's en or fr is refused."""
    problems = refused(
        "rows.csv",
        "id,title,language,started_on,topics,working_groups,contributors\n"
        "ok-1,Fine,en,2024-13-45,sbom;nope,wg6,ghost:lead\n"
        "ok-2,Fine,de,,sbom,wg9,cigref:boss\n"
        "ok-3,Fine,Deutsch,,,,\n",
    )
    found = [(p.row, p.field, p.message) for p in problems]
    not_ours = "is not a language of the registry's initiatives: en or fr (English, français)"
    assert [(row, field) for row, field, _ in found] == [
        (2, "signatories[0]"),
        (2, "started_on"),
        (2, "topics[1]"),
        (3, "contributors[0].role"),
        (3, "language"),
        (3, "working_groups[0]"),
        (4, "language"),
    ]
    assert {(row, message) for row, field, message in found if "[" in field[-3:]} == {
        (2, "unknown signatory 'ghost'"),
        (2, "unknown topic 'nope'"),
        (3, "unknown working group 'wg9'"),
    }
    assert found[4][2] == f"'de' {not_ours}" and found[6][2] == f"'Deutsch' {not_ours}"
    assert nodes.count(taxonomy, Initiative) == 0

    problems = refused("members.csv", "signatory_id,working_group_id,role\nghost,wg9,boss\n")
    assert [(p.field, p.message.startswith("unknown")) for p in problems] == [
        ("role", False),
        ("signatory_id", True),
        ("working_group_id", True),
    ]
