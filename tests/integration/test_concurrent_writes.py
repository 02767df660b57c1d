"""Guarded writes under contention, on both engines.

Every write that applies only if the graph is still as its caller read it (a version, an
open state, no open proposal yet) is raced here: N clients send conflicting requests at
the same instant, each through its own transaction, and exactly one may be told it
succeeded; the graph then shows that one's change and no other, with one audit event.
The embedded engine runs one write at a time; Neo4j runs them concurrently under
read-committed isolation, where a check made before the write lock is taken lets every
client through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from analysis import decisions
from graph.access import repository as access
from graph.analysis import repository as pairs
from graph.audit import UnitOfWork
from graph.audit import repository as audit_log
from graph.browse import repository as browse
from graph.collaboration import repository as proposals
from graph.curation import repository as curation
from graph.curation import service
from graph.cypher.locking import LOCK
from graph.discussion import repository as comments
from graph.invitations import repository as invitations
from graph.mappings import repository as mappings
from graph.merging import repository as merging
from graph.nodes import repository as nodes
from graph.store import GraphStore
from graph.topics import repository as topics
from graph.webhooks import repository as webhooks
from schema.access import Actor, Role
from schema.collaboration import InvitationState, ProposalState
from schema.enums import CandidateKind, ContributorRole, DecisionStatus, MappingRelation
from schema.errors import Conflict, PariscallError, ValidationFailed
from schema.events import AuditAction, Event, EventKind
from schema.models import Initiative, Recommendation, Signatory, Source, Topic, WorkingGroup
from schema.records import InitiativeRecord
from tests import factories as f
from tests.support.decided import decide
from tests.support.units import system

T = TypeVar("T")
CLIENTS = 16
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def race(attempt: Callable[[int], T], clients: int = CLIENTS) -> list[T | PariscallError]:
    """attempt(k) for every client k, all released at once, each in its own thread (its
    own session and transaction), each with its own unit of work (`client`); a domain
    error is an answer."""
    barrier = threading.Barrier(clients)
    answers: list[Any] = [None] * clients

    def run(k: int) -> None:
        barrier.wait()
        try:
            answers[k] = attempt(k)
        except PariscallError as exc:
            answers[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def client(store: GraphStore, k: int) -> UnitOfWork:
    """Client k's unit of work: its change is recorded under its name."""
    actor = Actor(name=f"client {k}", role=Role.CO_CHAIR)
    return UnitOfWork(store, actor, AuditAction.EDIT_INITIATIVE)


def winners(answers: list[Any]) -> list[int]:
    """The clients told their change was made; every other one must have been refused."""
    won = [k for k, a in enumerate(answers) if not isinstance(a, PariscallError)]
    refused = [a for a in answers if isinstance(a, PariscallError)]
    assert all(isinstance(a, Conflict | ValidationFailed) for a in refused), refused
    return won


def events(store: GraphStore, target: str) -> int:
    return audit_log.count(store, target=target)


def seed(store: GraphStore) -> None:
    nodes.save(store, [f.topic("sbom"), f.topic("cvd")], model=Topic)
    nodes.save(store, [f.working_group("wg6"), f.working_group("wg7")], model=WorkingGroup)
    nodes.save(store, [f.signatory("cigref"), f.signatory("cesin")], model=Signatory)


def initiative(store: GraphStore, id: str, **kw: Any) -> Initiative:
    base = {
        "id": id,
        "title": f"Initiative {id}",
        "language": "en",
        "status": "active",
        "topics": ["sbom"],
        "working_groups": ["wg6"],
        "contributors": [{"signatory_id": "cesin", "role": "lead"}],
    }
    record = InitiativeRecord.model_validate(base | kw)
    return curation.create_initiative(system(store), record, now=NOW)


def stored(store: GraphStore, id: str) -> dict[str, Any]:
    return browse.by_ids(store, "Initiative", [id])[id]


# Initiatives: update and archive carry the version the client read.


def test_one_of_many_same_version_edits_is_saved(store: GraphStore) -> None:
    seed(store)
    for round in range(3):
        _race_edits(store, f"edited-{round}")


def _race_edits(store: GraphStore, id: str) -> None:
    initiative(store, id)

    def edit(k: int) -> Any:
        if k % 4 == 3:
            return service.archive_initiative(client(store, k), id, version=1, now=NOW)
        changes = {"summary": f"summary of client {k}"}
        return service.update_initiative(client(store, k), id, version=1, changes=changes, now=NOW)

    answers = race(edit)
    [winner] = winners(answers)
    assert all(a.current_version == 2 for a in answers if isinstance(a, Conflict))
    after = stored(store, id)
    assert after["version"] == 2
    if winner % 4 == 3:
        assert (after["status"], after.get("summary")) == ("archived", None)
    else:
        assert (after["status"], after["summary"]) == ("active", f"summary of client {winner}")
    assert events(store, id) == 1
    # The lock leaves nothing behind, on the winner's node or the refused ones'.
    [row] = store.read("MATCH (i:Initiative {id: $id}) RETURN keys(i) AS keys", {"id": id})
    assert LOCK not in row["keys"]


# Proposals: one open proposal per initiative and group; one decision per proposal.


def test_one_of_many_simultaneous_proposals_is_opened(store: GraphStore) -> None:
    seed(store)
    call = proposals.open_call(
        system(store), working_group_id="wg7", title="SBOM call", description=None, topics=["sbom"],
        deadline=None, opened_by="co-chair", now=NOW,
    )  # fmt: skip
    for round in range(2):
        _race_proposals(store, f"offered-{round}", call.id)


def _race_proposals(store: GraphStore, id: str, call: str) -> None:
    initiative(store, id)

    def offer(k: int) -> Any:
        return proposals.propose(
            client(store, k), initiative_id=id, working_group_id="wg7", proposer="cesin",
            proposed_by="cesin", message=f"offer {k}", call_id=call if k % 2 else None, now=NOW,
        )  # fmt: skip

    answers = race(offer)
    [winner] = winners(answers)
    opened = proposals.proposals(
        store, None, skip=0, limit=50, initiative=id, group="wg7", state="open"
    )
    assert [p.message for p in opened] == [f"offer {winner}"]
    assert events(store, id) == 1


def _open_proposal(store: GraphStore, id: str) -> str:
    initiative(store, id)
    made = proposals.propose(
        system(store), initiative_id=id, working_group_id="wg7", proposer="cesin",
        proposed_by="cesin", message="please track it", call_id=None, now=NOW,
    )  # fmt: skip
    return made.id


def _tracked_by(store: GraphStore, id: str) -> list[str]:
    return sorted(access.initiative_facts(store, [id])[id][0])


def test_a_proposal_is_decided_once(store: GraphStore) -> None:
    seed(store)
    for round in range(2):
        _race_decisions(store, f"decided-{round}")


def _race_decisions(store: GraphStore, id: str) -> None:
    proposal = _open_proposal(store, id)

    def decide(k: int) -> Any:
        at = NOW + timedelta(seconds=k)
        if k % 3 == 0:
            return proposals.accept(client(store, k), proposal, by=f"client {k}", now=at)
        if k % 3 == 1:
            return proposals.decline(
                client(store, k), proposal, reason="no", by=f"client {k}", now=at
            )
        return proposals.withdraw(client(store, k), proposal, now=at)

    answers = race(decide)
    [winner] = winners(answers)
    after = proposals.get(store, proposal)
    assert after == answers[winner]
    assert after.version == 2
    expected = [ProposalState.ACCEPTED, ProposalState.DECLINED, ProposalState.WITHDRAWN]
    assert after.state is expected[winner % 3]
    assert _tracked_by(store, id) == (["wg6", "wg7"] if winner % 3 == 0 else ["wg6"])
    assert events(store, proposal) == 1


def test_no_revision_lands_after_the_decision(store: GraphStore) -> None:
    seed(store)
    proposal = _open_proposal(store, "revised")

    def act(k: int) -> Any:
        at = NOW + timedelta(seconds=k)
        if k == CLIENTS // 2:
            return proposals.decline(client(store, k), proposal, reason="no", by="co-chair", now=at)
        return proposals.revise(client(store, k), proposal, message=f"revision {k}", now=at)

    answers = race(act)
    decision = answers[CLIENTS // 2]
    assert not isinstance(decision, PariscallError)
    after = proposals.get(store, proposal)
    assert after == decision
    revised = [answers[k] for k in winners(answers) if k != CLIENTS // 2]
    # Every revision that was acknowledged came before the decision, each once.
    assert sorted(r.version for r in revised) == list(range(2, decision.version))
    assert events(store, proposal) == len(revised) + 1


# Calls: closed once.


def test_a_call_is_closed_once(store: GraphStore) -> None:
    seed(store)
    for round in range(3):
        _race_closes(store, f"Closing call {round}")


def _race_closes(store: GraphStore, title: str) -> None:
    call = proposals.open_call(
        system(store), working_group_id="wg6", title=title, description=None, topics=[],
        deadline=None, opened_by="co-chair", now=NOW,
    )  # fmt: skip

    def close(k: int) -> Any:
        return proposals.close_call(client(store, k), call.id, now=NOW + timedelta(minutes=k))

    answers = race(close)
    [winner] = winners(answers)
    after = proposals.get_call(store, call.id)
    assert after.closed_at == NOW + timedelta(minutes=winner)
    assert events(store, call.id) == 1


# Merges: an initiative is merged once, into one survivor, and unmerged once.


def _confirm(store: GraphStore, a: str, b: str) -> None:
    decide(store, a, b)


def test_an_initiative_is_merged_into_one_survivor_once(store: GraphStore) -> None:
    seed(store)
    initiative(store, "merged", topics=["cvd"], working_groups=["wg7"])
    survivors = [f"survivor-{n}" for n in range(4)]
    for id in survivors:
        initiative(store, id)
        _confirm(store, "merged", id)

    def merge(k: int) -> Any:
        survivor = survivors[k % len(survivors)]
        return decisions.merge_initiatives(
            client(store, k), survivor=survivor, merged="merged", merged_version=1, by=f"client {k}"
        )

    answers = race(merge)
    [winner] = winners(answers)
    into = survivors[winner % len(survivors)]
    assert merging.merge_record(store, "merged") == into
    assert stored(store, "merged")["status"] == "archived"
    assert merging.links_of(store, "merged") == set()
    for id in survivors:
        moved = {("ADDRESSES", "cvd"), ("TRACKS", "wg7")} <= merging.links_of(store, id)
        assert moved is (id == into)
    assert events(store, "merged") == 1


def test_two_initiatives_are_not_merged_into_each_other(store: GraphStore) -> None:
    seed(store)
    for round in range(3):
        _race_opposite_merges(store, f"left-{round}", f"right-{round}")


def _race_opposite_merges(store: GraphStore, left: str, right: str) -> None:
    initiative(store, left)
    initiative(store, right)
    _confirm(store, left, right)

    def merge(k: int) -> Any:
        a, b = (left, right) if k % 2 else (right, left)
        return decisions.merge_initiatives(
            client(store, k), survivor=a, merged=b, merged_version=1, by=f"client {k}"
        )

    answers = race(merge)
    [winner] = winners(answers)
    merged, survivor = (right, left) if winner % 2 else (left, right)
    assert (stored(store, merged)["status"], stored(store, survivor)["status"]) == (
        "archived",
        "active",
    )
    assert merging.merge_record(store, merged) == survivor
    assert merging.merge_record(store, survivor) is None


def test_a_merge_is_undone_once(store: GraphStore) -> None:
    seed(store)
    initiative(store, "kept")
    initiative(store, "gone", topics=["cvd"], working_groups=["wg7"])
    _confirm(store, "kept", "gone")
    before = merging.links_of(store, "kept")
    done = decisions.merge_initiatives(
        system(store), survivor="kept", merged="gone", merged_version=1, by="co-chair"
    )

    def unmerge(k: int) -> Any:
        return decisions.unmerge_initiative(
            client(store, k), merged="gone", merged_version=done["merged"]
        )

    answers = race(unmerge)
    [winner] = winners(answers)
    assert answers[winner]["merged_version"] == done["merged"] + 1
    assert stored(store, "gone")["version"] == done["merged"] + 1
    assert stored(store, "kept")["version"] == done["survivor"] + 1
    assert merging.merge_record(store, "gone") is None
    assert merging.links_of(store, "kept") == before
    assert stored(store, "gone")["status"] == "active"


# Discussion threads: an edit applies to the wording its author saw; a deletion is once.


def _comment(store: GraphStore) -> str:
    made = comments.add(
        system(store), subject="initiative:talked", about=["talked"], body="first words",
        author="Cesin", author_token="t-cesin", author_role="signatory", now=NOW,
    )  # fmt: skip
    return made.id


def test_each_edit_replaces_the_wording_its_author_saw(store: GraphStore) -> None:
    """Edits of one comment at once (its author's tabs) all land, one after the other: each
    replaced the wording it was shown, as its audit event says, and none is lost."""
    id = _comment(store)

    def edit(k: int) -> Any:
        return comments.edit(
            client(store, k), id, body=f"wording {k}", author_token="t-cesin", now=NOW
        )

    answers = race(edit)
    kept = winners(answers)
    after = comments.get(store, id)
    assert sorted([*after.history, after.body]) == sorted(
        ["first words", *(f"wording {k}" for k in kept)]
    )
    for k in kept:
        [event] = audit_log.events(store, actor=f"client {k}")
        replaced = answers[k].history[-1]
        assert event["changes"]["comment"] == [replaced, f"wording {k}"]
    assert events(store, id) == len(kept)


def test_a_comment_is_deleted_once(store: GraphStore) -> None:
    id = _comment(store)

    def delete(k: int) -> Any:
        return comments.delete(client(store, k), id, by=f"client {k}", now=NOW)

    answers = race(delete)
    [winner] = winners(answers)
    assert comments.get(store, id).deleted_by == f"client {winner}"
    assert events(store, id) == 1


# Webhooks and tokens: disabled and revoked once.


def test_a_webhook_is_disabled_once(store: GraphStore) -> None:
    seed(store)
    hook = webhooks.create(
        system(store), working_group_id="wg6", url="https://198.51.100.7/hook", kinds=[],
        created_by="co-chair", owner_token=None, now=NOW,
    )  # fmt: skip

    def disable(k: int) -> Any:
        return webhooks.disable(client(store, k), hook.id, now=NOW + timedelta(minutes=k))

    answers = race(disable)
    [winner] = winners(answers)
    assert webhooks.get(store, hook.id).disabled_at == NOW + timedelta(minutes=winner)
    assert events(store, hook.id) == 1


def test_a_token_is_revoked_once(store: GraphStore) -> None:
    seed(store)
    token, _ = access.issue_token(system(store), name="Admin", role="admin", now=NOW)

    def revoke(k: int) -> Any:
        if access.revoke_token(client(store, k), token.id, at=NOW + timedelta(minutes=k)):
            return k
        raise Conflict("already revoked")

    answers = race(revoke)
    [winner] = winners(answers)
    [after] = [t for t in access.tokens(store) if t.id == token.id]
    assert after.revoked_at == NOW + timedelta(minutes=winner)
    assert events(store, token.id) == 1


# Decisions on suggested pairs and topic suggestions.


def test_simultaneous_crosswalk_decisions_leave_one_link(store: GraphStore) -> None:
    nodes.save(store, [f.source()], model=Source)
    a, b = "nist-ssdf:po.1.1", "nist-ssdf:po.1.2"
    nodes.save(
        store, [f.recommendation(a), f.recommendation(b, ref="PO.1.2")], model=Recommendation
    )

    def decide(k: int) -> Any:
        first, second = (a, b) if k % 2 else (b, a)
        return decisions.decide(
            client(store, k), CandidateKind.RECOMMENDATION, a=first, b=second,
            status=DecisionStatus.CONFIRMED, by=f"client {k}", relation=MappingRelation.SUBSET_OF,
        )  # fmt: skip

    answers = race(decide)
    # A later decision replaces an earlier one: every client is answered.
    assert winners(answers) == list(range(CLIENTS)), answers
    stored_pair = pairs.pair(store, "recommendation", a, b)
    assert stored_pair is not None
    last = decisions.get_pair(store, CandidateKind.RECOMMENDATION, a, b)
    assert last is not None and last.decided_by is not None
    k = int(last.decided_by.removeprefix("client "))
    assert (last.a, last.b) == ((a, b) if k % 2 else (b, a))
    # One link between the two, whichever way the last decision pointed.
    assert len(pairs.list_pairs(
        store, "recommendation", statuses=["confirmed"], min_score=0.0, working_group=None,
        skip=0, limit=10,
    )) == 1  # fmt: skip


def test_a_topic_suggestion_is_accepted_once(store: GraphStore) -> None:
    nodes.save(store, [f.source()], model=Source)
    nodes.save(store, [f.recommendation()], model=Recommendation)
    nodes.save(store, [f.topic("sbom")], model=Topic)
    topics.replace(store, [{"r": "nist-ssdf:po.1.1", "t": "sbom", "score": 0.9}], now=NOW)

    def accept(k: int) -> Any:
        if topics.accept(client(store, k), [("nist-ssdf:po.1.1", "sbom")]) == 1:
            return k
        raise Conflict("already accepted")

    answers = race(accept)
    assert len(winners(answers)) == 1
    assert topics.suggestions(store) == []
    assert audit_log.count(store) == 1


def _recommendation_pairs(store: GraphStore) -> list[tuple[str, str]]:
    """One pair of recommendations per client, stored as suggestions of a first run."""
    nodes.save(store, [f.source()], model=Source)
    ids = [f"nist-ssdf:r{k:02d}" for k in range(2 * CLIENTS)]
    nodes.save(
        store,
        [f.recommendation(id, ref=f"R{k}") for k, id in enumerate(ids)],
        model=Recommendation,
    )
    found = [(ids[2 * k], ids[2 * k + 1]) for k in range(CLIENTS)]
    pairs.replace_candidates(store, "recommendation", _suggested(found, "equal"), run="1")
    return found


def _suggested(found: list[tuple[str, str]], relation: str) -> list[dict[str, Any]]:
    props = {"score": 0.5, "relation": relation, "method": "automation"}
    return [{"a": a, "b": b, "props": props} for a, b in found]


def _confirm_pair(store: GraphStore, k: int, pair: tuple[str, str]) -> Any:
    return decisions.decide(
        system(store), CandidateKind.RECOMMENDATION, a=pair[0], b=pair[1],
        status=DecisionStatus.CONFIRMED, by=f"client {k}", relation=MappingRelation.SUBSET_OF,
    )  # fmt: skip


def _decisions_stand(store: GraphStore, found: list[tuple[str, str]]) -> None:
    for k in range(1, CLIENTS):
        decided = decisions.get_pair(store, CandidateKind.RECOMMENDATION, *found[k])
        assert decided is not None, k
        assert (decided.status, decided.relation, decided.decided_by) == (
            DecisionStatus.CONFIRMED,
            MappingRelation.SUBSET_OF,
            f"client {k}",
        )


def test_a_refresh_keeps_the_decisions_made_while_it_runs(store: GraphStore) -> None:
    """A refresh stores this run's suggestions and drops the others; decisions people make
    on the same pairs meanwhile are neither overwritten nor dropped."""
    found = _recommendation_pairs(store)
    # The next run finds the second half again (with another relation), not the first half.
    again = _suggested(found[CLIENTS // 2 :], "superset_of")

    def act(k: int) -> Any:
        if k == 0:
            return pairs.replace_candidates(store, "recommendation", again, run="2")
        return _confirm_pair(store, k, found[k])

    race(act)
    _decisions_stand(store, found)
    assert decisions.get_pair(store, CandidateKind.RECOMMENDATION, *found[0]) is None


def test_a_published_crosswalk_leaves_the_decisions_made_while_it_is_written(
    store: GraphStore,
) -> None:
    found = _recommendation_pairs(store)
    rows = [{"from_id": a, "to_id": b, "props": {"relation": "equal"}} for a, b in found]

    def act(k: int) -> Any:
        if k == 0:
            return mappings.publish(client(store, k), rows)
        return _confirm_pair(store, k, found[k])

    race(act)
    _decisions_stand(store, found)
    published = decisions.get_pair(store, CandidateKind.RECOMMENDATION, *found[0])
    assert published is not None and published.status is DecisionStatus.PUBLISHED


def test_a_stale_delivery_goes_back_to_the_queue_once(store: GraphStore) -> None:
    owner, _ = access.issue_token(system(store), name="Registry admin", role="admin", now=NOW)
    webhooks.create(
        system(store), working_group_id=None, url="https://198.51.100.9/h", kinds=[],
        created_by="admin", owner_token=owner.id, now=NOW,
    )  # fmt: skip
    event = Event(id="e1", kind=EventKind.COMMENT_ADDED, at=NOW, actor="a", action="add_comment")
    webhooks.enqueue(store, event, now=NOW)
    assert len(webhooks.claim_due(store, now=NOW, limit=5)) == 1
    later = NOW + timedelta(minutes=10)

    def release(k: int) -> Any:
        if webhooks.release_stale(store, now=later, after=timedelta(minutes=2)) == 1:
            return k
        raise Conflict("nothing to release")

    answers = race(release)
    assert len(winners(answers)) == 1
    [(again, _)] = webhooks.claim_due(store, now=later, limit=5)
    assert again.attempts == 2


# Invitations: answered once, and one pending invitation per organisation and initiative.


def test_an_invitation_is_answered_once(store: GraphStore) -> None:
    seed(store)
    initiative(store, "invited")
    made = invitations.invite(
        system(store), initiative_id="invited", signatory_id="cigref", role=ContributorRole.PARTNER,
        invited_by="CESIN", inviting="cesin", now=NOW,
    )  # fmt: skip
    assert made is not None

    def answer(k: int) -> Any:
        if k % 2:
            return invitations.accept(client(store, k), made.id, now=NOW)
        return invitations.close(client(store, k), made.id, state=InvitationState.DECLINED, now=NOW)

    answers = race(answer)
    [winner] = winners(answers)
    contributors = {r["signatory_id"] for r in service_contributors(store, "invited")}
    assert ("cigref" in contributors) == bool(winner % 2)
    assert events(store, made.id) == 1  # its one answer (the setup wrote no event)


def test_an_organisation_is_invited_once(store: GraphStore) -> None:
    seed(store)
    initiative(store, "invited")

    def invite(k: int) -> Any:
        return invitations.invite(
            client(store, k), initiative_id="invited", signatory_id="cigref",
            role=ContributorRole.PARTNER, invited_by=f"client {k}", inviting="cesin", now=NOW,
        )  # fmt: skip

    answers = race(invite)
    assert len(winners(answers)) == 1
    pending = invitations.invitations(store, initiative="invited", state="pending")
    assert len(pending) == 1 and events(store, "invited") == 1


def service_contributors(store: GraphStore, id: str) -> list[dict[str, Any]]:
    return store.read(
        "MATCH (s:Signatory)-[:CONTRIBUTES_TO]->(:Initiative {id: $id}) "
        "RETURN s.id AS signatory_id",
        {"id": id},
    )
