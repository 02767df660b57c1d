"""`POST /imports`: importers load files through the API, under the role rules, with the
command's all-or-nothing semantics and its precise problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.audit import repository as audit_log
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Initiative, Signatory, Topic, WorkingGroup
from tests import factories as f
from tests.e2e.conftest import issue
from tests.support import stored

DATA = Path(__file__).resolve().parents[1] / "data"
CATALOG = (DATA / "catalog-v1.json").read_bytes()
BAD_CSV = (
    b"id,title,language,topics,status\n"
    b"ok-1,Fine,en,,active\n"
    b"Bad Id,Fine,en,,active\n"
    b"ok-2,,xx,,finished\n"
)


def post(client: TestClient, body: bytes, secret: str | None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.post("/imports", content=body, params=params, headers=headers)


def runs(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(
        "MATCH (r:ImportRun) RETURN r.status AS status, r.actor AS actor, "
        "r.file AS file ORDER BY r.started_at"
    )


def recommendations(store: GraphStore) -> int:
    return int(store.read("MATCH (r:Recommendation) RETURN count(r) AS n")[0]["n"])


def test_an_importer_uploads_a_recommendation_set(store: GraphStore) -> None:
    secret = issue(store, "importer")
    with TestClient(create_app(Settings(), store=store)) as client:
        first = post(client, CATALOG, secret, filename="catalog-v1.json")
        assert first.status_code == 200, first.text
        answer = first.json()
        assert answer["counts"] == {
            "created": 6,
            "updated": 0,
            "unchanged": 0,
            "withdrawn": 0,
            "skipped": 0,
        }
        assert answer["format"] == "oscal" and answer["dryRun"] is False
        assert "supply-chain-practices-test-catalog:sc.1.1" in answer["created"]
        again = post(client, CATALOG, secret, filename="catalog-v1.json").json()
        assert again["counts"]["unchanged"] == 6 and again["counts"]["created"] == 0
    assert recommendations(store) == 6
    # each run names the token's holder and the uploaded file's name
    assert runs(store) == [
        {"status": "published", "actor": "importer-token", "file": "catalog-v1.json"},
        {"status": "unchanged", "actor": "importer-token", "file": "catalog-v1.json"},
    ]


def test_dry_run_counts_and_writes_nothing(store: GraphStore) -> None:
    secret = issue(store, "importer")
    with TestClient(create_app(Settings(), store=store)) as client:
        reply = post(client, CATALOG, secret, filename="catalog-v1.json", dry_run="true")
    assert reply.status_code == 200
    assert reply.json()["counts"]["created"] == 6 and reply.json()["runId"] is None
    assert recommendations(store) == 0 and runs(store) == []


def test_roles_decide_what_may_be_uploaded(store: GraphStore) -> None:
    importer = issue(store, "importer")
    nodes.save(store, [f.signatory("cigref")], model=Signatory)
    member = issue(store, "signatory", signatory="cigref")
    sheet = (DATA / "initiatives.csv").read_bytes()
    with TestClient(create_app(Settings(), store=store)) as client:
        anonymous = post(client, CATALOG, None, filename="catalog-v1.json")
        assert anonymous.status_code == 401
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        refused = post(client, CATALOG, member, filename="catalog-v1.json")
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["message"] == "the signatory role cannot import files"
        # a spreadsheet of initiatives changes curated records: admins only
        sheet_reply = post(client, sheet, importer, filename="initiatives.csv")
        assert sheet_reply.status_code == 403
        assert sheet_reply.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "cannot import csv files" in sheet_reply.json()["errors"][0]["message"]
    assert recommendations(store) == 0
    assert nodes.count(store, Initiative) == 0
    assert runs(store) == []


def test_a_bad_spreadsheet_names_rows_and_fields_and_writes_nothing(
    store: GraphStore,
) -> None:
    admin = issue(store, "admin")
    with TestClient(create_app(Settings(), store=store)) as client:
        reply = post(client, BAD_CSV, admin, filename="wg6 initiatives.csv")
    assert reply.status_code == 422
    problems = reply.json()["errors"][0]["extensions"]["problems"]
    assert sorted((p["file"], p["row"], p["field"]) for p in problems) == [
        ("wg6 initiatives.csv", 3, "id"),
        ("wg6 initiatives.csv", 4, "language"),
        ("wg6 initiatives.csv", 4, "status"),
        ("wg6 initiatives.csv", 4, "title"),
    ]
    assert nodes.count(store, Initiative) == 0
    assert stored.staged_count(store) == 0


def test_uploads_have_their_own_size_limit(store: GraphStore) -> None:
    secret = issue(store, "importer")
    settings = Settings(max_body_bytes=10_000, max_upload_bytes=20_000)
    big = b"{" + b" " * 30_000 + b"}"
    with TestClient(create_app(settings, store=store)) as client:
        # over the GraphQL body limit, under the upload one
        ok = post(client, CATALOG + b" " * 12_000, secret, filename="catalog-v1.json")
        assert ok.status_code == 200, ok.text
        too_big = post(client, big, secret, filename="big.json")
        assert too_big.status_code == 413
        assert too_big.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        graphql = client.post("/graphql", content=b" " * 12_000)
        assert graphql.status_code == 413


def test_problems_quote_the_uploaded_name_not_the_server_path(
    store: GraphStore,
) -> None:
    secret = issue(store, "importer")
    with TestClient(create_app(Settings(), store=store)) as client:
        reply = post(client, b"\x00\xff not json", secret, filename="controls.json")
    assert reply.status_code == 422
    error = reply.json()["errors"][0]
    assert error["message"].startswith("controls.json, row 1: is not UTF-8")
    assert "pariscall-upload-" not in reply.text and "/tmp" not in reply.text
    assert [p["file"] for p in error["extensions"]["problems"]] == ["controls.json"]


RUNS = """query($source: ID) {
  importRuns(sourceId: $source) {
    totalCount
    edges { node { status file format actor sourceId fileSha256 counts { created unchanged } } }
  }
}"""


def test_the_import_history_is_readable_by_those_who_import_or_curate(
    store: GraphStore,
) -> None:
    importer = issue(store, "importer")
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    co_chair = issue(store, "co_chair", working_groups=["wg6"])
    nodes.save(store, [f.signatory("cigref")], model=Signatory)
    member = issue(store, "signatory", signatory="cigref")
    with TestClient(create_app(Settings(), store=store)) as client:
        post(client, CATALOG, importer, filename="catalog-v1.json")
        post(client, CATALOG, importer, filename="catalog-v1.json")

        def ask(secret: str | None, **variables: Any) -> Any:
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            reply = client.post(
                "/graphql", json={"query": RUNS, "variables": variables}, headers=headers
            )
            return reply.json()

        seen = ask(co_chair)["data"]["importRuns"]
        assert seen["totalCount"] == 2
        newest, oldest = (edge["node"] for edge in seen["edges"])
        assert (newest["status"], oldest["status"]) == ("unchanged", "published")
        assert oldest["counts"] == {"created": 6, "unchanged": 0}
        assert newest["counts"] == {"created": 0, "unchanged": 6}
        assert oldest["actor"] == "importer-token" and oldest["format"] == "oscal"
        assert oldest["sourceId"] == "supply-chain-practices-test-catalog"
        assert len(oldest["fileSha256"]) == 64
        other = ask(importer, source="nist-ssdf-1.1")["data"]["importRuns"]
        assert other["totalCount"] == 0 and other["edges"] == []
        refused = ask(member)["errors"][0]["extensions"]["code"]
        assert refused == "FORBIDDEN"
        assert ask(None)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_co_chair_applies_sheets_within_its_groups_only(store: GraphStore) -> None:
    """Every row of a co-chair's sheet must stay within its groups, by the rules of the
    matching mutations; otherwise the rows out of scope are listed and nothing is
    written."""
    nodes.save(store, [f.topic("sbom"), f.topic("procurement")], model=Topic)
    nodes.save(store, [f.working_group("wg5"), f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    wg6 = issue(store, "co_chair", working_groups=["wg6"])
    wg5 = issue(store, "co_chair", working_groups=["wg5"])
    sheet = (DATA / "initiatives.csv").read_bytes()  # two rows, both for wg6
    members = b"signatory_id,working_group_id,role\ncigref,wg6,member\nkaspersky,wg5,member\n"
    with TestClient(create_app(Settings(), store=store)) as client:
        outside = post(client, sheet, wg5, filename="initiatives.csv")
        assert outside.status_code == 403
        error = outside.json()["errors"][0]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert [(p["row"], p["message"]) for p in error["extensions"]["problems"]] == [
            (2, "a new initiative must name working groups, all of them yours"),
            (3, "a new initiative must name working groups, all of them yours"),
        ]
        assert nodes.count(store, Initiative) == 0
        inside = post(client, sheet, wg6, filename="initiatives.csv")
        assert inside.status_code == 200, inside.text
        assert inside.json()["counts"]["created"] == 2
        # now existing and tracked by wg6 only: wg5's co-chair may not edit them
        edited = sheet.replace(b"SBOM pilot", b"SBOM programme")
        assert post(client, edited, wg5, filename="initiatives.csv").status_code == 403
        assert post(client, edited, wg6, filename="initiatives.csv").json()["updated"] == [
            "csv-sbom"
        ]
        # a membership sheet with one row in another group is refused whole
        mixed = post(client, members, wg6, filename="members.csv")
        assert mixed.status_code == 403
        problems = mixed.json()["errors"][0]["extensions"]["problems"]
        assert [(p["row"], p["message"]) for p in problems] == [
            (3, "working group 'wg5' is not yours")
        ]
    assert store.read("MATCH ()-[m:MEMBER_OF]->() RETURN count(m) AS n")[0]["n"] == 0


def events(store: GraphStore) -> list[dict[str, Any]]:
    return store.read(
        "MATCH (e:AuditEvent) RETURN e.actor AS actor, e.role AS role, e.action AS action, "
        "e.targets AS targets ORDER BY e.at"
    )


def test_every_file_import_writes_its_audit_event_whatever_its_door(
    store: GraphStore, tmp_path: Path
) -> None:
    """A sheet through the upload, a sheet and a recommendation set through the command:
    each change has its audit event, and the run record each initiative points to."""
    from tests.processes import graph_env, run_cli

    nodes.save(store, [f.topic("sbom"), f.topic("procurement")], model=Topic)
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    wg6 = issue(store, "co_chair", working_groups=["wg6"])
    sheet = (DATA / "initiatives.csv").read_bytes()
    with TestClient(create_app(Settings(), store=store)) as client:
        assert post(client, sheet, wg6, filename="initiatives.csv").status_code == 200
        # the same sheet again changes nothing: no event
        assert post(client, sheet, wg6, filename="initiatives.csv").status_code == 200
        assert post(client, CATALOG, issue(store, "importer"), filename="c.json").status_code == 200
    assert events(store) == [
        {"actor": "co_chair-token", "role": "co_chair", "action": "import_initiatives",
         "targets": ["csv-fr", "csv-sbom"]},
        {"actor": "importer-token", "role": "importer", "action": "import_recommendations",
         "targets": ["supply-chain-practices-test-catalog"]},
    ]  # fmt: skip
    pointed = store.read(
        "MATCH (i:Initiative) OPTIONAL MATCH (r:ImportRun {id: i.import_run}) "
        "RETURN i.id AS id, r.status AS status, r.actor AS actor ORDER BY id"
    )
    assert pointed == [
        {"id": "csv-fr", "status": "published", "actor": "co_chair-token"},
        {"id": "csv-sbom", "status": "published", "actor": "co_chair-token"},
    ]
    # the command line: its OS user, or --actor, in the history and the audit trail
    env = graph_env(store, tmp_path)
    edited = tmp_path / "edited.csv"
    edited.write_bytes(sheet.replace(b"SBOM pilot", b"SBOM programme"))
    done = run_cli(["import", str(edited), "--actor", "Cigref secretariat"], env)
    assert done.returncode == 0, done.stderr
    members = tmp_path / "members.csv"
    members.write_text("signatory_id,working_group_id,role\ncigref,wg6,member\n")
    done = run_cli(["import", str(members)], env)
    assert done.returncode == 0, done.stderr
    last = events(store)[-2:]
    assert last[0] == {"actor": "Cigref secretariat", "role": "cli",
                       "action": "import_initiatives", "targets": ["csv-sbom"]}  # fmt: skip
    assert last[1]["action"] == "import_memberships" and last[1]["role"] == "cli"
    assert last[1]["actor"].endswith("(command line)")
    history = runs(store)
    assert [r["actor"] for r in history][-2:] == ["Cigref secretariat", last[1]["actor"]]


def test_an_uploads_audit_events_carry_its_request_id(store: GraphStore) -> None:
    """As every GraphQL change's do: the id a user quotes to an operator finds them."""
    nodes.save(store, [f.topic("sbom"), f.topic("procurement")], model=Topic)
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    sent = {
        "import_initiatives": ("initiatives.csv", (DATA / "initiatives.csv").read_bytes(),
                               issue(store, "co_chair", working_groups=["wg6"])),
        "import_recommendations": ("catalog-v1.json", CATALOG, issue(store, "importer")),
    }  # fmt: skip
    with TestClient(create_app(Settings(webhook_dispatch=False), store=store)) as client:
        for action, (name, body, secret) in sent.items():
            reply = client.post(
                "/imports", content=body, params={"filename": name},
                headers={"Authorization": f"Bearer {secret}", "X-Request-ID": f"req-{action}"},
            )  # fmt: skip
            assert reply.status_code == 200, reply.text
    logged = {e["action"]: e["request_id"] for e in audit_log.export(store)}
    assert logged == {action: f"req-{action}" for action in sent}


def test_the_imports_page_gets_its_problems_in_its_language_each_once(store: GraphStore) -> None:
    """The page sends its language: the refusal and pydantic's verdicts come in French, the
    answer's message counts the problems instead of repeating them, and an API client that
    names no language keeps the English it has always had."""
    importer, admin = issue(store, "importer"), issue(store, "admin")
    sheet = (DATA / "initiatives.csv").read_bytes()
    bad = b"id,title,language,status,started_on\nok-2,,en,finished,2024-13-45\n"
    with TestClient(create_app(Settings(), store=store)) as client:
        refused = post(client, sheet, importer, filename="initiatives.csv", lang="fr")
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["message"] == (
            "Le rôle importateur ne peut pas importer de fichiers csv."
        )
        english = post(client, sheet, importer, filename="initiatives.csv")
        assert english.json()["errors"][0]["message"] == "the importer role cannot import csv files"
        reply = post(client, bad, admin, filename="wg6.csv", lang="fr")
        assert reply.status_code == 422
        error = reply.json()["errors"][0]
        problems = error["extensions"]["problems"]
        assert error["message"] == "3 problème(s) dans le fichier."
        assert sorted((p["field"], p["message"]) for p in problems) == [
            ("started_on", "doit être une date AAAA-MM-JJ"),
            ("status", "doit valoir 'proposed', 'active', 'completed' ou 'archived'"),
            ("title", "est obligatoire"),
        ]
        plain = post(client, bad, admin, filename="wg6.csv").json()["errors"][0]
        assert "Input should be a valid date or datetime" in plain["message"]


def test_the_projects_own_sheet_problems_come_in_the_pages_language(store: GraphStore) -> None:
    """Not only pydantic's verdicts: a bad id, an unknown topic, a repeated row, a missing
    column and a row outside a co-chair's groups are said in French on the French page
    (they once stayed English there), and in English, as before, to API clients."""
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg1")], model=WorkingGroup)
    admin, co_chair = issue(store, "admin"), issue(store, "co_chair", working_groups=["wg6"])
    sheet = (
        b"id,title,language,topics\n"
        b"Bad Id,Good title,en,\n"
        b"fine-one,Fine,en,no-such-topic\n"
        b"fine-one,Fine again,en,\n"
    )
    with TestClient(create_app(Settings(), store=store)) as client:
        said = post(client, sheet, admin, filename="wg6.csv", lang="fr").json()["errors"][0]
        french = sorted(p["message"] for p in said["extensions"]["problems"])
        english = sorted(
            p["message"]
            for p in post(client, sheet, admin, filename="wg6.csv").json()["errors"][0][
                "extensions"
            ]["problems"]
        )
        missing = post(client, b"title\nx\n", admin, filename="wg6.csv", lang="fr").json()
        members = b"signatory_id,working_group_id,role\ncigref,wg1,member\n"
        outside = post(client, members, co_chair, filename="m.csv", lang="fr").json()
    assert french == [
        "id 'fine-one' figure aussi à la ligne 3",
        "thème «\u00a0no-such-topic\u00a0» inconnu",
        "«\u00a0Bad Id\u00a0» n\u2019est pas un identifiant valide\u00a0: minuscules, "
        "chiffres et un seul «\u00a0-\u00a0», «\u00a0_\u00a0», «\u00a0.\u00a0» "
        "ou «\u00a0:\u00a0» entre eux "
        "(par ex. «\u00a0wg6\u00a0», «\u00a0oecd-0481:duty-of-care\u00a0»)",
    ], french
    assert any("is not a valid id" in m for m in english)
    assert any(m == "unknown topic 'no-such-topic'" for m in english)
    assert missing["errors"][0]["extensions"]["problems"][0]["message"] == (
        "la colonne obligatoire «\u00a0id\u00a0» manque"
    )
    assert outside["errors"][0]["extensions"]["problems"][0]["message"] == (
        "le groupe de travail «\u00a0wg1\u00a0» n\u2019est pas le vôtre"
    )
