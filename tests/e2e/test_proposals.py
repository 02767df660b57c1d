"""Proposals and calls over GraphQL on both engines: a signatory offers its initiative to
a group, the group's co-chairs decide, and nobody gains a group's scope another way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.audit import repository as audit_log
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.relationships.repository import save_memberships
from graph.store import GraphStore
from schema.models import Signatory, Topic, WorkingGroup
from schema.records import InitiativeRecord
from schema.relationships import Membership
from tests import factories as f
from tests.e2e.conftest import ask, cast, error_kinds, payload, signed_in
from tests.support.units import system

ERRORS = "errors { __typename ... on ForbiddenError { message } ... on ConflictError { message }" \
    " ... on ValidationError { field message } ... on NotFoundError { kind id } }"  # fmt: skip
PROPOSE = (
    "mutation($i: ProposeInput!) { propose(input: $i) { proposal { id state message "
    "initiative { title } workingGroup { name } proposer { name } call { title } } "
    + ERRORS
    + " } }"
)
ACCEPT = (
    "mutation($id: ID!) { acceptProposal(id: $id) { proposal { state decidedBy } " + ERRORS + " } }"
)
DECLINE = (
    "mutation($id: ID!, $r: String!) { declineProposal(id: $id, reason: $r) { proposal { state "
    "reason } " + ERRORS + " } }"
)
WITHDRAW = "mutation($id: ID!) { withdrawProposal(id: $id) { proposal { state } " + ERRORS + " } }"
REVISE = (
    "mutation($id: ID!, $m: String!) { reviseProposal(id: $id, message: $m) { proposal { message "
    "version } " + ERRORS + " } }"
)
OPEN_CALL = (
    "mutation($i: OpenCallInput!) { openCall(input: $i) { call { id state } " + ERRORS + " } }"
)
LIST = "{ proposals { totalCount edges { node { id state initiative { id } } } } }"
TRACKED = "query($id: ID!) { initiative(id: $id) { workingGroups { id } } }"


def _build(store: GraphStore) -> None:
    nodes.save(store, [f.topic("sbom"), f.topic("cvd")], model=Topic)
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("kaspersky")], model=Signatory)
    save_memberships(store, [Membership(signatory_id="kaspersky", working_group_id="wg6")])
    now = datetime.now(UTC)
    for id, groups, lead, topics in (
        ("sbom-charter", [], "cigref", ["sbom"]),
        ("disclosure", [], "cigref", ["cvd"]),
        ("in7", ["wg7"], "kaspersky", []),
    ):
        record = {
            "id": id, "title": f"Initiative {id}", "language": "en", "working_groups": groups,
            "topics": topics, "contributors": [{"signatory_id": lead, "role": "lead"}],
        }  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)


@pytest.fixture
def clients(store: GraphStore) -> Iterator[dict[str, TestClient]]:
    _build(store)
    secrets = cast(store, "cigref", "kaspersky")
    with signed_in(create_app(Settings(), store=store), secrets) as made:
        yield made


_do = payload
_kinds = error_kinds


def test_a_signatory_proposes_and_the_groups_co_chair_accepts(
    clients: dict[str, TestClient], store: GraphStore
) -> None:
    call = _do(
        clients["chair6"], OPEN_CALL,
        i={"workingGroup": "wg6", "title": "SBOM practices", "topics": ["sbom", "cvd"]},
    )  # fmt: skip
    assert _kinds(call) == [] and call["call"]["state"] == "OPEN"
    call_id = call["call"]["id"]

    made = _do(
        clients["cigref"], PROPOSE,
        i={"initiative": "sbom-charter", "workingGroup": "wg6", "call": call_id,
           "message": "Our charter, for the Forum."},
    )  # fmt: skip
    assert _kinds(made) == []
    proposal = made["proposal"]
    assert proposal["state"] == "OPEN"
    assert proposal["initiative"]["title"] == "Initiative sbom-charter"
    assert proposal["workingGroup"]["name"] == "Working group wg6"
    assert proposal["proposer"]["name"] == "Signatory cigref"
    assert proposal["call"]["title"] == "SBOM practices"
    id = proposal["id"]

    # What the call still misses: nobody answered with an initiative on disclosure.
    coverage = _do(
        clients["anonymous"],
        "query($id: ID!) { call(id: $id) { topics { topic { id } answers } "
        "answers { totalCount } } }",
        id=call_id,
    )
    node = coverage
    assert {t["topic"]["id"]: t["answers"] for t in node["topics"]} == {"sbom": 1, "cvd": 0}
    assert node["answers"]["totalCount"] == 0  # anonymous readers see no proposal

    # Who reads it: the proposer and the group's co-chairs, not others.
    seen = {name: _do(clients[name], LIST)["totalCount"] for name in clients}
    assert seen == {
        "admin": 1, "chair6": 1, "chair7": 0, "cigref": 1, "kaspersky": 0, "anonymous": 0,
    }  # fmt: skip

    again = _do(clients["cigref"], PROPOSE, i={"initiative": "sbom-charter", "workingGroup": "wg6"})
    assert _kinds(again) == ["ConflictError"]

    assert _kinds(_do(clients["chair7"], ACCEPT, id=id)) == ["ForbiddenError"]
    assert _kinds(_do(clients["cigref"], ACCEPT, id=id)) == ["ForbiddenError"]
    revised = _do(clients["cigref"], REVISE, id=id, m="Revised: version 2 of the charter.")
    assert revised["proposal"] == {"message": "Revised: version 2 of the charter.", "version": 2}
    assert _do(clients["kaspersky"], REVISE, id=id, m="mine now")["proposal"] is None

    events = audit_log.count(store)
    accepted = _do(clients["chair6"], ACCEPT, id=id)
    assert accepted["proposal"] == {"state": "ACCEPTED", "decidedBy": "co_chair-token"}
    assert audit_log.count(store) == events + 1
    last = audit_log.events(store, skip=0, limit=1, target=id, actor=None, since=None, scope=None)
    assert last[0]["action"] == "accept_proposal" and last[0]["working_groups"] == ["wg6"]
    tracked = _do(clients["anonymous"], TRACKED, id="sbom-charter")
    assert tracked["workingGroups"] == [{"id": "wg6"}]

    # Decided once: a second decision, a withdrawal or a new proposal is a conflict.
    assert _kinds(_do(clients["admin"], DECLINE, id=id, r="late")) == ["ConflictError"]
    assert _kinds(_do(clients["cigref"], WITHDRAW, id=id)) == ["ConflictError"]
    tracks = _do(
        clients["cigref"], PROPOSE, i={"initiative": "sbom-charter", "workingGroup": "wg6"}
    )
    assert (
        _kinds(tracks) == ["ConflictError"] and "already tracks" in tracks["errors"][0]["message"]
    )


def test_declining_needs_a_reason_and_withdrawing_is_the_proposers(
    clients: dict[str, TestClient],
) -> None:
    made = _do(clients["cigref"], PROPOSE, i={"initiative": "disclosure", "workingGroup": "wg7"})
    id = made["proposal"]["id"]
    blank = _do(clients["chair7"], DECLINE, id=id, r="   ")
    assert blank["errors"][0]["field"] == ["reason"]
    assert _kinds(_do(clients["kaspersky"], WITHDRAW, id=id)) == ["ForbiddenError"]
    declined = _do(clients["chair7"], DECLINE, id=id, r="Out of the group's mandate.")
    assert declined["proposal"] == {"state": "DECLINED", "reason": "Out of the group's mandate."}
    assert _do(clients["anonymous"], TRACKED, id="disclosure")["workingGroups"] == []

    second = _do(clients["cigref"], PROPOSE, i={"initiative": "disclosure", "workingGroup": "wg7"})
    withdrawn = _do(clients["cigref"], WITHDRAW, id=second["proposal"]["id"])
    assert withdrawn["proposal"] == {"state": "WITHDRAWN"}
    states = _do(clients["cigref"], "{ proposals(where: {initiative: \"disclosure\"}) { edges "
                 "{ node { state } } } }")  # fmt: skip
    assert sorted(e["node"]["state"] for e in states["edges"]) == ["DECLINED", "WITHDRAWN"]


@pytest.mark.parametrize(
    ("who", "input"),
    [
        # A co-chair pulling another group's initiative into its own group.
        ("chair6", {"initiative": "in7", "workingGroup": "wg6"}),
        # A co-chair proposing an initiative no group of its tracks, to accept it itself.
        ("chair6", {"initiative": "sbom-charter", "workingGroup": "wg6", "onBehalfOf": "cigref"}),
        # A signatory proposing another organisation's initiative.
        ("cigref", {"initiative": "in7", "workingGroup": "wg6"}),
        # A signatory proposing its own initiative in another organisation's name.
        (
            "cigref",
            {"initiative": "sbom-charter", "workingGroup": "wg6", "onBehalfOf": "kaspersky"},
        ),
        ("anonymous", None),
    ],
)
def test_scope_is_not_gained_by_proposing(
    clients: dict[str, TestClient], store: GraphStore, who: str, input: dict[str, Any] | None
) -> None:
    events = audit_log.count(store)
    if input is None:
        body = ask(clients[who], PROPOSE, i={"initiative": "in7", "workingGroup": "wg6"})
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    else:
        assert _kinds(_do(clients[who], PROPOSE, i=input)) == ["ForbiddenError"]
    assert audit_log.count(store) == events
    assert _do(clients["admin"], LIST)["totalCount"] == 0


def test_a_co_chair_proposes_on_a_contributors_behalf_only_what_its_groups_track(
    clients: dict[str, TestClient],
) -> None:
    made = _do(clients["chair7"], PROPOSE, i={"initiative": "in7", "workingGroup": "wg6"})
    assert _kinds(made) == []
    assert made["proposal"]["proposer"]["name"] == "Signatory kaspersky"
    # The proposer's own organisation may withdraw it; so may the co-chair who made it.
    assert _do(clients["kaspersky"], WITHDRAW, id=made["proposal"]["id"])["proposal"] == {
        "state": "WITHDRAWN"
    }
    wrong = _do(
        clients["chair7"], PROPOSE,
        i={"initiative": "in7", "workingGroup": "wg6", "onBehalfOf": "cigref"},
    )  # fmt: skip
    assert wrong["errors"][0]["field"] == ["onBehalfOf"]


def test_a_call_takes_answers_for_its_own_group_while_open(
    clients: dict[str, TestClient],
) -> None:
    assert _kinds(_do(clients["chair6"], OPEN_CALL, i={"workingGroup": "wg7", "title": "x"})) == [
        "ForbiddenError"
    ]
    unknown = _do(clients["chair6"], OPEN_CALL, i={"workingGroup": "wg6", "title": "x",
                                                   "topics": ["nope"]})  # fmt: skip
    assert unknown["errors"][0]["field"] == ["topics", "0"]
    call = _do(clients["chair6"], OPEN_CALL, i={"workingGroup": "wg6", "title": "SBOM"})["call"]
    elsewhere = _do(
        clients["cigref"], PROPOSE,
        i={"initiative": "sbom-charter", "workingGroup": "wg7", "call": call["id"]},
    )  # fmt: skip
    assert elsewhere["errors"][0]["field"] == ["call"]
    closed = _do(clients["chair6"], 'mutation($id: ID!) { closeCall(id: $id) { call { state } } }',
                 id=call["id"])  # fmt: skip
    assert closed["call"] == {"state": "CLOSED"}
    late = _do(
        clients["cigref"], PROPOSE,
        i={"initiative": "sbom-charter", "workingGroup": "wg6", "call": call["id"]},
    )  # fmt: skip
    assert late["errors"][0]["message"].endswith("is closed")


ACTIVITY = (
    "query($wg: ID!) { activity(workingGroup: $wg) { totalCount edges { node { action actor "
    "targets } } } }"
)


def test_the_groups_activity_feed_follows_its_proposals(
    clients: dict[str, TestClient],
) -> None:
    made = _do(clients["cigref"], PROPOSE, i={"initiative": "sbom-charter", "workingGroup": "wg6"})
    _do(clients["chair6"], ACCEPT, id=made["proposal"]["id"])
    _do(clients["cigref"], PROPOSE, i={"initiative": "disclosure", "workingGroup": "wg7"})
    feed = _do(clients["chair6"], ACTIVITY, wg="wg6")
    assert [e["node"]["action"] for e in feed["edges"]] == ["accept_proposal", "propose_initiative"]
    assert all("sbom-charter" in e["node"]["targets"] for e in feed["edges"])
    # A member signatory follows it; the proposer (not a member) and other groups' co-chairs
    # do not; anonymous readers are asked for a token.
    assert _do(clients["kaspersky"], ACTIVITY, wg="wg6")["totalCount"] == 2
    for name, code in (("cigref", "FORBIDDEN"), ("chair7", "FORBIDDEN"),
                       ("anonymous", "UNAUTHENTICATED")):  # fmt: skip
        body = ask(clients[name], ACTIVITY, wg="wg6")
        assert body["errors"][0]["extensions"]["code"] == code, name


def test_overlong_messages_are_validation_errors_and_write_nothing(
    clients: dict[str, TestClient], store: GraphStore
) -> None:
    long = "x" * 5_001
    events = audit_log.count(store)
    made = _do(clients["cigref"], PROPOSE, i={"initiative": "sbom-charter", "workingGroup": "wg6",
                                             "message": long})  # fmt: skip
    assert made["errors"][0]["__typename"] == "ValidationError"
    assert made["errors"][0]["field"] == ["message"]
    id = _do(clients["cigref"], PROPOSE, i={"initiative": "sbom-charter", "workingGroup": "wg6"})[
        "proposal"
    ]["id"]
    revised = _do(clients["cigref"], REVISE, id=id, m=long)
    assert revised["errors"][0]["field"] == ["message"]
    declined = _do(clients["chair6"], DECLINE, id=id, r=long)
    assert declined["errors"][0]["field"] == ["reason"]
    assert audit_log.count(store) == events + 1  # the one proposal, nothing else


CREATE = (
    "mutation($i: CreateInitiativeInput!) { createInitiative(input: $i) { initiative { id } "
    + ERRORS
    + " } }"
)


def test_a_signatory_is_told_how_its_own_initiative_joins_a_group(
    clients: dict[str, TestClient],
) -> None:
    """A signatory's new initiative may not name a group: the refusal says the way in is
    a proposal, and how to make one; following it works."""
    lead = [{"signatory": "cigref", "role": "LEAD"}]
    mine = {"id": "cigref-sbom", "title": "SBOM clinic", "language": "en", "contributors": lead}
    refused = _do(clients["cigref"], CREATE, i=mine | {"workingGroups": ["wg6"]})
    assert _kinds(refused) == ["ForbiddenError"]
    assert refused["errors"][0]["message"] == (
        "signatory token 'signatory-token' may not create initiative here: it acts for the "
        "signatory 'cigref' only. A working group takes up an initiative through a proposal, "
        "which its co-chairs accept or decline: create it without workingGroups, then send "
        'propose(input: {initiative: "<its id>", workingGroup: "wg6"}), or use \'Propose one '
        "of your initiatives' on the group's page (/wg/wg6)"
    )
    unled = _do(clients["cigref"], CREATE, i={**mine, "contributors": [], "status": "ACTIVE"})
    assert unled["errors"][0]["message"].endswith(
        "only. Name 'cigref' as its one LEAD contributor "
        '(contributors: [{signatory: "cigref", role: LEAD}]). Leave its status PROPOSED: '
        "the groups that take it up decide the rest"
    )
    assert _kinds(_do(clients["cigref"], CREATE, i=mine)) == []
    proposed = _do(
        clients["cigref"], PROPOSE, i={"initiative": "cigref-sbom", "workingGroup": "wg6"}
    )
    assert _kinds(proposed) == [] and proposed["proposal"]["state"] == "OPEN"
