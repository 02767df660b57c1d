"""Audit events: written with the change, carrying before/after, readable by scope."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.audit import repository as audit_log
from graph.store import GraphStore
from tests.e2e.conftest import issue
from tests.processes import run_cli
from tests.support.matrix_graph import build

LOG = """
query($target: ID, $actor: String) {
  auditLog(target: $target, actor: $actor) {
    totalCount
    edges { node { actor role action targets workingGroups requestId
                   changes { field before after } } }
  }
}
"""


def _client(store: GraphStore, secret: str) -> TestClient:
    return TestClient(
        create_app(Settings(), store=store), headers={"Authorization": f"Bearer {secret}"}
    )


def test_an_update_is_logged_with_before_after_actor_and_request(store: GraphStore):
    build(store)
    chair = issue(store, "co_chair", working_groups=["wg6"])
    with _client(store, chair) as client:
        version = client.post("/graphql", json={"query": '{ initiative(id: "in6") { version } }'})
        v = version.json()["data"]["initiative"]["version"]
        done = client.post(
            "/graphql",
            json={
                "query": 'mutation($v: Int!) { updateInitiative(id: "in6", version: $v, '
                'changes: {title: "Nouveau titre", summary: "Résumé"}) { errors { __typename } } }',
                "variables": {"v": v},
            },
            headers={"X-Request-ID": "req-audit-0001"},
        ).json()
        assert done["data"]["updateInitiative"]["errors"] == []
        stale = client.post(
            "/graphql",
            json={
                "query": 'mutation { updateInitiative(id: "in6", version: 1, '
                'changes: {title: "Again"}) { errors { __typename } } }'
            },
        ).json()
        assert stale["data"]["updateInitiative"]["errors"] == [{"__typename": "ConflictError"}]
        log = client.post("/graphql", json={"query": LOG, "variables": {"target": "in6"}}).json()
    events = log["data"]["auditLog"]
    assert events["totalCount"] == 1  # the refused (stale) update left no event
    event = events["edges"][0]["node"]
    assert event["actor"] == "co_chair-token"
    assert event["role"] == "co_chair"
    assert event["action"] == "edit_initiative"
    assert event["targets"] == ["in6"]
    assert event["workingGroups"] == ["wg6"]
    assert event["requestId"] == "req-audit-0001"
    assert {c["field"]: [c["before"], c["after"]] for c in event["changes"]} == {
        "summary": [None, "Résumé"],
        "title": ["Initiative in6", "Nouveau titre"],
    }


def test_co_chairs_see_their_groups_events_and_signatories_none(store: GraphStore):
    build(store)
    admin = issue(store, "admin")
    with _client(store, admin) as client:
        for wg in ("wg6", "wg7"):
            client.post(
                "/graphql",
                json={
                    "query": f'mutation {{ addMember(workingGroup: "{wg}", signatory: "cesin", '
                    "role: MEMBER) { errors { __typename } } }"
                },
            )
        everything = client.post("/graphql", json={"query": LOG}).json()["data"]["auditLog"]
    assert everything["totalCount"] == 2
    chair = issue(store, "co_chair", working_groups=["wg7"])
    with _client(store, chair) as client:
        mine = client.post("/graphql", json={"query": LOG}).json()["data"]["auditLog"]
    assert [e["node"]["targets"] for e in mine["edges"]] == [["cesin", "wg7"]]
    signatory = issue(store, "signatory", signatory="cigref")
    with _client(store, signatory) as client:
        refused = client.post("/graphql", json={"query": LOG}).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert audit_log.count(store) == 2


def test_tokens_and_audit_export_from_the_cli(engine_env: dict[str, str]) -> None:
    env = engine_env
    assert run_cli(["seed"], env).returncode == 0
    made = run_cli(
        ["tokens", "create", "--role", "co_chair", "--wg", "wg6", "--name", "Cigref"], env
    )
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("pct_") and "cannot be shown again" in made.stderr
    listed = run_cli(["tokens", "list"], env)
    assert "Cigref" in listed.stdout and secret not in listed.stdout and "active" in listed.stdout
    bad = run_cli(["tokens", "create", "--role", "co_chair"], env)
    assert bad.returncode == 2 and "needs --wg" in bad.stderr
    unknown = run_cli(["tokens", "create", "--role", "co_chair", "--wg", "wg99"], env)
    assert unknown.returncode == 2 and "wg99" in unknown.stderr
    # without --name a token is named after what it acts for, never after a timestamp
    derived = run_cli(["tokens", "create", "--role", "co_chair", "--wg", "wg6"], env)
    assert derived.returncode == 0 and "token 'Co-chair of WG6' (" in derived.stderr
    nameless = run_cli(["tokens", "create", "--role", "admin"], env)
    assert nameless.returncode == 2 and "--name" in nameless.stderr
    token_id = next(line.split()[0] for line in listed.stdout.splitlines() if "Cigref" in line)
    revoked = run_cli(["tokens", "revoke", token_id], env)
    assert revoked.returncode == 0, revoked.stderr + listed.stdout
    assert "revoked" in run_cli(["tokens", "list"], env).stdout
    exported = run_cli(["audit", "export"], env)
    assert exported.returncode == 0
    trail = [json.loads(line) for line in exported.stdout.splitlines()]
    # the bundled sets, loaded by `seed`, then the token's creation and revocation
    assert {(e["actor"], e["action"]) for e in trail[:-3]} == {
        ("pariscall seed", "import_recommendations")
    }
    assert [(e["action"], e["targets"][0] == token_id, e["role"]) for e in trail[-3:]] == [
        ("create_token", True, "cli"),
        ("create_token", False, "cli"),
        ("revoke_token", True, "cli"),
    ]
    assert all(e["actor"].endswith("(command line)") for e in trail[-3:])
    assert secret not in exported.stdout
