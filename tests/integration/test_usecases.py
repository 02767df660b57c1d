"""The use-case runner on every backend: the actor is checked against the one policy with
the facts of the records touched, then the change and its audit event are written by
one unit of work, which the runner returns; a refused change writes nothing."""

from __future__ import annotations

import json

import pytest

from graph import usecases
from graph.access.facts import Scope
from graph.audit import repository as audit_log
from graph.curation import service
from graph.nodes import repository as nodes
from graph.relationships import repository as relationships
from graph.store import GraphStore
from schema.access import Action, Actor, Role
from schema.enums import MemberRole
from schema.errors import Forbidden, Unauthenticated
from schema.events import AuditAction
from schema.models import Signatory, WorkingGroup
from tests import factories as f

CO_CHAIR = Actor(name="Co-chair of WG6", role=Role.CO_CHAIR, working_groups=frozenset({"wg6"}))
OTHER = Actor(name="Co-chair of WG7", role=Role.CO_CHAIR, working_groups=frozenset({"wg7"}))


def _seed(store: GraphStore) -> None:
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref")], model=Signatory)


def _add_member(store: GraphStore, actor: Actor) -> usecases.Done[None]:
    return usecases.run(
        store, actor, action=Action.MANAGE_MEMBERS, scope=Scope(groups=("wg6",)),
        records=AuditAction.ADD_MEMBER, request_id="req-1",
        change=lambda work: service.add_member(
            work, working_group_id="wg6", signatory_id="cigref", role=MemberRole.MEMBER
        ),
    )  # fmt: skip


def _members(store: GraphStore) -> list[str]:
    return sorted(m.signatory_id for m in relationships.memberships(store, "wg6"))


def test_an_allowed_change_returns_the_event_its_unit_wrote(store: GraphStore) -> None:
    _seed(store)
    done = _add_member(store, CO_CHAIR)
    assert _members(store) == ["cigref"]
    assert done.event is not None
    [stored] = audit_log.events(store, target="cigref")
    assert stored["id"] == done.event["id"]
    assert (stored["actor"], stored["role"], stored["action"], stored["request_id"]) == (
        "Co-chair of WG6", "co_chair", "add_member", "req-1",
    )  # fmt: skip
    assert (stored["targets"], stored["working_groups"]) == (["cigref", "wg6"], ["wg6"])
    assert stored["changes"] == {"member:cigref": [None, "member"]}
    assert json.loads(done.event["changes"]) == stored["changes"]


def test_a_refused_change_writes_nothing_and_says_why(store: GraphStore) -> None:
    _seed(store)
    with pytest.raises(Forbidden) as refused:
        _add_member(store, OTHER)
    assert str(refused.value) == (
        "co_chair token 'Co-chair of WG7' may not manage members here: it acts for wg7 only, "
        "and this concerns wg6"
    )
    with pytest.raises(Unauthenticated):
        _add_member(store, Actor(name="anonymous", role=None))
    assert (_members(store), audit_log.count(store)) == ([], 0)


def test_the_operator_acts_without_a_token_and_is_recorded(store: GraphStore) -> None:
    _seed(store)
    done = usecases.operate(
        store, "ops", AuditAction.ADD_MEMBER,
        lambda work: service.add_member(
            work, working_group_id="wg6", signatory_id="cigref", role=MemberRole.MEMBER
        ),
    )  # fmt: skip
    [stored] = audit_log.events(store, target="cigref")
    assert (stored["actor"], stored["role"], stored["id"]) == (
        "ops",
        "cli",
        (done.event or {})["id"],
    )
