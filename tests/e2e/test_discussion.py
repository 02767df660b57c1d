"""Discussion threads over GraphQL on both engines: who reads and writes follows the
thing discussed, edits keep history, deletes are soft, hostile text is harmless."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.audit import repository as audit_log
from graph.collaboration import repository as proposals
from graph.curation import repository as curation
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.models import Signatory, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.e2e.conftest import ask, cast, error_kinds, payload, signed_in
from tests.support.units import system

ERRORS = "errors { __typename ... on ValidationError { field message } }"
ADD = (
    "mutation($on: Subject!, $b: String!) { addComment(on: $on, body: $b) { comment { id body "
    "bodyHtml author } " + ERRORS + " } }"
)
EDIT = (
    "mutation($id: ID!, $b: String!) { editComment(id: $id, body: $b) { comment { body history "
    "editedAt } " + ERRORS + " } }"
)
DELETE = (
    "mutation($id: ID!) { deleteComment(id: $id) { comment { body deleted deletedBy history } "
    + ERRORS
    + " } }"
)
THREAD = (
    "query($on: Subject!) { comments(on: $on) { totalCount edges { node { author body deleted "
    "} } } }"
)
PAIR = {"pair": ["in7", "in6"]}


@pytest.fixture
def clients(store: GraphStore) -> Iterator[dict[str, TestClient]]:
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(store, [f.signatory(s) for s in ("cigref", "kaspersky", "cesin")], model=Signatory)
    now = datetime.now(UTC)
    for id, group, lead in (("in6", "wg6", "cigref"), ("in7", "wg7", "kaspersky"),
                            ("in8", "wg7", "cesin")):  # fmt: skip
        record = {
            "id": id, "title": f"Initiative {id}", "language": "en", "working_groups": [group],
            "contributors": [{"signatory_id": lead, "role": "lead"}],
        }  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    made = proposals.propose(
        system(store), initiative_id="in8", working_group_id="wg6", proposer="cesin",
        proposed_by="setup", message=None, call_id=None, now=now,
    )  # fmt: skip
    store.write("MATCH (p:Proposal {id: $old}) SET p.id = 'p8' RETURN p.id AS id", {"old": made.id})
    secrets = cast(store, "cigref", "cesin", importer=True)
    with signed_in(create_app(Settings(), store=store), secrets) as made:
        yield made


_do = payload
_kinds = error_kinds


@pytest.mark.parametrize(
    ("subject", "writers"),
    [
        # A pair: co-chairs of either initiative's group, signatories leading either.
        (PAIR, {"admin", "chair6", "chair7", "cigref"}),
        ({"initiative": "in7"}, {"admin", "chair7"}),
        # A proposal: the addressed group's co-chairs, those of the initiative's groups,
        # and the signatory it was made for.
        ({"proposal": "p8"}, {"admin", "chair6", "chair7", "cesin"}),
    ],
)
def test_who_reads_and_writes_follows_the_thing_discussed(
    clients: dict[str, TestClient], store: GraphStore, subject: dict[str, Any], writers: set[str]
) -> None:
    wrote = set()
    for name, client in clients.items():
        events = audit_log.count(store)
        body = ask(client, ADD, on=subject, b=f"Comment by {name}")
        if name == "anonymous":
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            continue
        payload = body["data"]["addComment"]
        if not _kinds(payload):
            wrote.add(name)
            assert audit_log.count(store) == events + 1
        else:
            assert _kinds(payload) == ["ForbiddenError"] and audit_log.count(store) == events
    assert wrote == writers
    thread = _do(clients["admin"], THREAD, on=subject)
    assert sorted(n["node"]["body"] for n in thread["edges"]) == sorted(
        f"Comment by {n}" for n in writers
    )
    for name, client in clients.items():
        reply = ask(client, THREAD, on=subject)
        assert ("errors" not in reply) == (name in writers), (name, reply)


def test_the_same_pair_in_either_order_is_one_thread(clients: dict[str, TestClient]) -> None:
    _do(clients["chair6"], ADD, on={"pair": ["in6", "in7"]}, b="first")
    _do(clients["chair7"], ADD, on={"pair": ["in7", "in6"]}, b="second")
    thread = _do(clients["cigref"], THREAD, on=PAIR)
    assert [e["node"]["body"] for e in thread["edges"]] == ["first", "second"]
    same = _do(clients["chair6"], ADD, on={"pair": ["in6", "in6"]}, b="x")
    assert same["errors"][0]["field"] == ["on", "pair"]


def test_edits_keep_history_and_deletes_are_soft(clients: dict[str, TestClient]) -> None:
    id = _do(clients["cigref"], ADD, on=PAIR, b="Same deliverable?")["comment"]["id"]
    assert _kinds(_do(clients["chair7"], EDIT, id=id, b="hijacked")) == ["ForbiddenError"]
    edited = _do(clients["cigref"], EDIT, id=id, b="Same deliverable, other audience.")
    assert edited["comment"]["body"] == "Same deliverable, other audience."
    assert edited["comment"]["history"] == ["Same deliverable?"]
    assert edited["comment"]["editedAt"] is not None
    # A signatory does not moderate; a co-chair concerned does.
    other = _do(clients["chair7"], ADD, on=PAIR, b="Kaspersky's view")["comment"]["id"]
    assert _kinds(_do(clients["cigref"], DELETE, id=other)) == ["ForbiddenError"]
    gone = _do(clients["chair6"], DELETE, id=other)["comment"]
    assert gone == {"body": None, "deleted": True, "deletedBy": "co_chair-token", "history": []}
    again = _do(clients["chair6"], DELETE, id=other)
    assert _kinds(again) == ["ConflictError"]
    thread = _do(clients["cigref"], THREAD, on=PAIR)
    assert [e["node"]["deleted"] for e in thread["edges"]] == [False, True]
    assert _kinds(_do(clients["cigref"], EDIT, id="nope", b="x")) == ["NotFoundError"]


def test_hostile_text_is_harmless_and_size_is_bounded(clients: dict[str, TestClient]) -> None:
    hostile = (
        '<script>alert(1)</script> [x](javascript:alert(1)) =HYPERLINK("http://e") '
        "\u202etxt.exe **ok**"
    )
    made = _do(clients["cigref"], ADD, on=PAIR, b=hostile)["comment"]
    assert made["body"] == hostile  # stored byte for byte
    html = made["bodyHtml"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    # the bare web address is a link; the javascript: one never is
    assert re.findall(r'href="([^"]+)"', html) == ["http://e"]
    assert "\u202e" not in html and "[U+202E]" in html
    assert "<strong>ok</strong>" in html
    long = _do(clients["cigref"], ADD, on=PAIR, b="x" * 10_001)
    assert long["errors"][0]["field"] == ["body"]
    blank = _do(clients["cigref"], ADD, on=PAIR, b="   ")
    assert _kinds(blank) == ["ValidationError"]
