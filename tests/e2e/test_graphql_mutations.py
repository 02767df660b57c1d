"""Curation mutations over HTTP: typed errors, optimistic concurrency, links, nothing
written on failure."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.audit import repository as audit_log
from graph.links import repository as links
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Initiative, Principle, Recommendation, Signatory, Topic, WorkingGroup
from tests import factories as f
from tests.e2e.conftest import ask

ERRORS = """errors { __typename
  ... on ValidationError { field message }
  ... on NotFoundError { kind id message }
  ... on ConflictError { currentVersion message }
  ... on ForbiddenError { message } }"""

CREATE = (
    "mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) {"
    " initiative { id title version status topics { id } workingGroups { id }"
    " contributors { role signatory { id } } } " + ERRORS + " } }"
)
UPDATE = (
    "mutation($id: ID!, $version: Int!, $changes: InitiativeChanges!) {"
    " updateInitiative(id: $id, version: $version, changes: $changes) {"
    " initiative { id title summary version status updatedAt } changed " + ERRORS + " } }"
)
LINK = (
    "mutation($i: ID!, $t: LinkTarget!, $id: ID!) { linkInitiative(initiative: $i, target: $t,"
    " targetId: $id) { changed " + ERRORS + " } }"
)
UNLINK = LINK.replace("linkInitiative", "unlinkInitiative")


@pytest.fixture
def registry(store: GraphStore) -> GraphStore:
    nodes.save(store, [f.working_group("wg6")], model=WorkingGroup)
    nodes.save(store, [f.topic("sbom"), f.topic("procurement")], model=Topic)
    nodes.save(store, [f.principle("p6")], model=Principle)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    nodes.save(store, [f.recommendation("nist-ssdf:po.1.1")], model=Recommendation)
    return store


def create(client: TestClient, **input: Any) -> dict[str, Any]:
    base = {"title": "Pilote SBOM pour les fournisseurs", "language": "fr"}
    result: dict[str, Any] = ask(client, CREATE, input=base | input)["data"]["createInitiative"]
    return result


def test_create_with_links_and_generated_id(client: TestClient, registry: GraphStore) -> None:
    made = create(
        client,
        topics=["sbom"],
        workingGroups=["wg6"],
        contributors=[{"signatory": "cigref", "role": "LEAD"}],
    )
    assert made["errors"] == []
    node = made["initiative"]
    assert node["id"].startswith("pilote-sbom-pour-les-fournisseurs-")
    assert node["version"] == 1 and node["status"] == "PROPOSED"
    assert node["topics"] == [{"id": "sbom"}]
    assert node["workingGroups"] == [{"id": "wg6"}]
    assert node["contributors"] == [{"role": "LEAD", "signatory": {"id": "cigref"}}]


def test_create_with_unknown_targets_writes_nothing(
    client: TestClient, registry: GraphStore
) -> None:
    made = create(client, id="x", topics=["sbom", "nope"], contributors=[{"signatory": "ghost"}])
    assert made["initiative"] is None
    assert made["errors"] == [
        {
            "__typename": "ValidationError",
            "field": ["topics", "1"],
            "message": "unknown topic 'nope'",
        },
        {
            "__typename": "ValidationError",
            "field": ["signatories", "0"],
            "message": "unknown signatory 'ghost'",
        },
    ]
    assert nodes.count(registry, Initiative) == 0


def test_create_with_invalid_fields_lists_each_field(
    client: TestClient, registry: GraphStore
) -> None:
    made = create(client, id="Bad Id", language="french", url="ftp://x")
    fields = sorted(e["field"] for e in made["errors"])
    assert fields == [["id"], ["language"], ["url"]]
    assert {e["__typename"] for e in made["errors"]} == {"ValidationError"}
    assert nodes.count(registry, Initiative) == 0


def test_create_existing_id_is_a_conflict(client: TestClient, registry: GraphStore) -> None:
    assert create(client, id="same")["errors"] == []
    again = create(client, id="same", title="Another title")
    assert again["errors"][0]["__typename"] == "ConflictError"
    assert (
        nodes.load(registry, Initiative, ["same"])["same"].title
        == "Pilote SBOM pour les fournisseurs"
    )


def test_update_with_current_version_then_stale_version(
    client: TestClient, registry: GraphStore
) -> None:
    made = create(client, id="i1", summary="Résumé")["initiative"]
    first = ask(client, UPDATE, id="i1", version=1, changes={"title": "Titre `révisé` ' \""})
    updated = first["data"]["updateInitiative"]
    assert updated["errors"] == []
    assert updated["initiative"]["version"] == 2
    assert updated["initiative"]["title"] == "Titre `révisé` ' \""
    assert updated["initiative"]["summary"] == "Résumé"  # untouched field kept
    assert updated["initiative"]["updatedAt"] is not None
    stale = ask(client, UPDATE, id="i1", version=1, changes={"title": "Lost edit"})
    assert stale["data"]["updateInitiative"]["initiative"] is None
    conflict = stale["data"]["updateInitiative"]["errors"][0]
    assert conflict["__typename"] == "ConflictError"
    assert conflict["currentVersion"] == 2
    stored = nodes.load(registry, Initiative, ["i1"])["i1"]
    assert (stored.title, stored.version) == ("Titre `révisé` ' \"", 2)
    assert made["version"] == 1


def test_an_update_that_changes_nothing_says_so(client: TestClient, registry: GraphStore) -> None:
    made = create(client, id="i1", summary="Résumé")["initiative"]
    same = ask(client, UPDATE, id="i1", version=1, changes={"title": made["title"]})
    answer = same["data"]["updateInitiative"]
    assert (answer["changed"], answer["errors"]) == (False, [])
    assert answer["initiative"]["version"] == 1
    assert audit_log.count(registry, target="i1") == 1  # its creation only
    moved = ask(client, UPDATE, id="i1", version=1, changes={"title": "Autre titre"})
    assert moved["data"]["updateInitiative"]["changed"] is True
    assert moved["data"]["updateInitiative"]["initiative"]["version"] == 2
    assert audit_log.count(registry, target="i1") == 2


def test_update_can_clear_a_field_and_refuses_bad_values(
    client: TestClient, registry: GraphStore
) -> None:
    create(client, id="i1", summary="Résumé")
    cleared = ask(client, UPDATE, id="i1", version=1, changes={"summary": None})
    assert cleared["data"]["updateInitiative"]["initiative"]["summary"] is None
    bad = ask(client, UPDATE, id="i1", version=2, changes={"language": "xx"})
    assert bad["data"]["updateInitiative"]["errors"][0]["field"] == ["language"]
    assert nodes.load(registry, Initiative, ["i1"])["i1"].version == 2


def not_found(kind: str, id: str) -> dict[str, str]:
    """A NotFoundError as the API answers it, every field asked."""
    return {
        "__typename": "NotFoundError",
        "kind": kind,
        "id": id,
        "message": f"{kind} '{id}' does not exist",
    }


def test_update_unknown_initiative_is_not_found(client: TestClient, registry: GraphStore) -> None:
    result = ask(client, UPDATE, id="ghost", version=1, changes={"title": "x"})
    assert result["data"]["updateInitiative"]["errors"] == [not_found("initiative", "ghost")]


def test_archive_is_a_status(client: TestClient, registry: GraphStore) -> None:
    create(client, id="i1")
    archived = ask(
        client,
        'mutation { archiveInitiative(id: "i1", version: 1) { initiative { status version } '
        + ERRORS
        + " } }",
    )["data"]["archiveInitiative"]
    assert archived == {"initiative": {"status": "ARCHIVED", "version": 2}, "errors": []}
    assert nodes.count(registry, Initiative) == 1


def test_link_and_unlink(client: TestClient, registry: GraphStore) -> None:
    create(client, id="i1")
    for target, id in [
        ("TOPIC", "sbom"),
        ("WORKING_GROUP", "wg6"),
        ("PRINCIPLE", "p6"),
        ("RECOMMENDATION", "nist-ssdf:po.1.1"),
    ]:
        assert ask(client, LINK, i="i1", t=target, id=id)["data"]["linkInitiative"] == {
            "changed": True,
            "errors": [],
        }
    seen = ask(
        client,
        '{ initiative(id: "i1") { topics { id } workingGroups { id } '
        "principles { id } recommendations { id } } }",
    )["data"]["initiative"]
    assert seen == {
        "topics": [{"id": "sbom"}],
        "workingGroups": [{"id": "wg6"}],
        "principles": [{"id": "p6"}],
        "recommendations": [{"id": "nist-ssdf:po.1.1"}],
    }
    assert ask(client, UNLINK, i="i1", t="TOPIC", id="sbom")["data"]["unlinkInitiative"]["changed"]
    again = ask(client, UNLINK, i="i1", t="TOPIC", id="sbom")["data"]["unlinkInitiative"]
    assert again == {"changed": False, "errors": []}
    missing = ask(client, LINK, i="i1", t="TOPIC", id="nope")["data"]["linkInitiative"]
    assert missing["errors"][0] == not_found("topic", "nope")


def test_contributors_and_members(client: TestClient, registry: GraphStore) -> None:
    create(client, id="i1")
    done = ask(
        client,
        'mutation { setContributor(initiative: "i1", signatory: "kaspersky", '
        "role: SUPPORTER) { changed } }",
    )
    assert done["data"]["setContributor"]["changed"] is True
    ask(
        client,
        'mutation { addMember(workingGroup: "wg6", signatory: "cigref", role: MEMBER) '
        "{ changed } }",
    )
    ask(
        client,
        'mutation { addMember(workingGroup: "wg6", signatory: "cigref", role: CO_CHAIR, '
        'since: "2021-03-01") { changed } }',
    )
    group = ask(client, '{ workingGroup(id: "wg6") { members { role since signatory { id } } } }')
    assert group["data"]["workingGroup"]["members"] == [
        {"role": "CO_CHAIR", "since": "2021-03-01", "signatory": {"id": "cigref"}}
    ]
    removed = ask(
        client,
        'mutation { removeMember(workingGroup: "wg6", signatory: "cigref") '
        '{ changed } removeContributor(initiative: "i1", signatory: "kaspersky") '
        "{ changed } }",
    )["data"]
    assert removed == {"removeMember": {"changed": True}, "removeContributor": {"changed": True}}
    bad_date = ask(
        client,
        'mutation { addMember(workingGroup: "wg6", signatory: "cigref", '
        'role: MEMBER, since: "yesterday") { changed ' + ERRORS + " } }",
    )
    assert bad_date["data"]["addMember"]["errors"][0]["field"] == ["since"]


def _mutated(client: TestClient, query: str, field: str, **variables: Any) -> Any:
    """The answer of mutation `field`."""
    return ask(client, query, **variables)["data"][field]


def test_signatories_groups_and_topics(client: TestClient, registry: GraphStore) -> None:
    made = _mutated(
        client,
        'mutation { createSignatory(input: {name: "Ville de Nantes", '
        'kind: LOCAL_GOVERNMENT, country: "FR"}) { signatory { id kind } } }',
        "createSignatory",
    )
    sid = made["signatory"]["id"]
    assert sid.startswith("ville-de-nantes-")
    bad = _mutated(
        client,
        'mutation($id: ID!) { updateSignatory(id: $id, changes: {country: "XX"}) '
        "{ signatory { id } " + ERRORS + " } }",
        "updateSignatory",
        id=sid,
    )
    assert bad["errors"][0]["field"] == ["country"]
    assert nodes.load(registry, Signatory, [sid])[sid].country == "FR"
    created = {
        field: _mutated(client, query, field)
        for field, query in (
            (
                "createWorkingGroup",
                'mutation { createWorkingGroup(input: {code: "wg7", name: "Cloud"}) '
                "{ workingGroup { id code } } }",
            ),
            (
                "updateTopic",
                'mutation { updateTopic(id: "sbom", changes: {nameFr: "Nomenclature"}) '
                "{ topic { nameFr nameEn } } }",
            ),
            (
                "createTopic",
                'mutation { createTopic(input: {id: "sbom", nameEn: "a", nameFr: "b"}) '
                "{ topic { id } " + ERRORS + " } }",
            ),
        )
    }
    assert created["createWorkingGroup"]["workingGroup"] == {"id": "wg7", "code": "wg7"}
    assert created["updateTopic"]["topic"] == {
        "nameFr": "Nomenclature",
        "nameEn": "Software bill of materials",
    }
    assert created["createTopic"]["errors"][0]["__typename"] == "ConflictError"


def test_co_chair_workflow(client: TestClient, registry: GraphStore) -> None:
    """Find a group's initiatives on a topic, page, edit, hit a conflict, link a recommendation."""
    for n in range(3):
        create(client, id=f"i{n}", title=f"Initiative {n}", topics=["sbom"], workingGroups=["wg6"])
    page = ask(
        client,
        '{ initiatives(where: {workingGroup: "wg6", topic: "sbom"}, first: 2) '
        "{ totalCount edges { node { id version } } pageInfo { hasNextPage endCursor } } }",
    )
    listing = page["data"]["initiatives"]
    assert listing["totalCount"] == 3 and listing["pageInfo"]["hasNextPage"]
    rest = ask(
        client,
        'query($a: String) { initiatives(where: {workingGroup: "wg6", topic: "sbom"}, '
        "first: 2, after: $a) { edges { node { id } } } }",
        a=listing["pageInfo"]["endCursor"],
    )
    assert [e["node"]["id"] for e in rest["data"]["initiatives"]["edges"]] == ["i2"]
    target = listing["edges"][0]["node"]
    ask(client, UPDATE, id=target["id"], version=target["version"], changes={"status": "ACTIVE"})
    stale = ask(client, UPDATE, id=target["id"], version=target["version"], changes={"title": "x"})
    assert stale["data"]["updateInitiative"]["errors"][0]["currentVersion"] == 2
    linked = ask(client, LINK, i=target["id"], t="RECOMMENDATION", id="nist-ssdf:po.1.1")
    assert linked["data"]["linkInitiative"]["changed"] is True
    pair = (target["id"], "nist-ssdf:po.1.1")
    assert links.unlink(registry, "initiative_recommendations", [pair]) == 1
