"""The graph the access matrix and the audit tests run on: three groups, their
initiatives and leads, recommendations of two sources, confirmed duplicates, open
proposals and calls, a webhook per group, and invitations made to cigref."""

from __future__ import annotations

from datetime import UTC, datetime

from graph.collaboration import repository as proposals
from graph.curation import repository as curation
from graph.invitations import repository as invitations
from graph.nodes import repository as nodes
from graph.relationships.repository import save_memberships
from graph.store import GraphStore
from graph.webhooks import repository as webhooks
from schema.enums import ContributorRole
from schema.models import Principle, Recommendation, Signatory, Source, Topic, WorkingGroup
from schema.records import InitiativeRecord
from schema.relationships import Membership
from tests import factories as f
from tests.support.units import system

PUBLIC_URL = "https://93.184.216.34/hook"  # a literal public address: no DNS needed


def build(store: GraphStore) -> None:
    nodes.save(store, [f.topic("sbom"), f.topic("cvd")], model=Topic)
    nodes.save(store, [f.principle("p6")], model=Principle)
    nodes.save(store, [f.source("s1"), f.source("s2")], model=Source)
    # s1:r6, s2:r6, s1:r7, s2:r7: each requirement in both sources
    made = [
        f.recommendation(f"{s}:{r}", source_id=s, ref=r.upper())
        for r in ("r6", "r7")
        for s in ("s1", "s2")
    ]
    nodes.save(store, made, model=Recommendation)
    nodes.save(store, [f.working_group(g) for g in ("wg6", "wg7", "wg8")], model=WorkingGroup)
    nodes.save(
        store,
        [f.signatory(s) for s in ("cigref", "kaspersky", "anssi", "cesin")],
        model=Signatory,
    )
    save_memberships(store, [Membership(signatory_id="anssi", working_group_id="wg6")])
    now = datetime.now(UTC)
    for id, wg, lead, recs in (
        ("in6", "wg6", "cigref", ["s1:r6", "s2:r6"]),
        ("in6b", "wg6", "cigref", []),
        ("in6c", "wg6", "cesin", []),
        ("in7", "wg7", "kaspersky", ["s1:r7", "s2:r7"]),
        ("in7b", "wg7", "kaspersky", []),
        ("in7c", "wg7", "kaspersky", []),
        ("in7d", "wg7", "kaspersky", []),
        ("in67", ["wg6", "wg7"], "kaspersky", []),
        ("free", [], "kaspersky", []),
        ("mine", [], "cigref", []),
        ("mine2", [], "cigref", []),
    ):
        record = {
            "id": id, "title": f"Initiative {id}", "language": "en", "status": "active",
            "working_groups": wg if isinstance(wg, list) else [wg], "recommendations": recs,
            "contributors": [{"signatory_id": lead, "role": "lead"}],
        }  # fmt: skip
        curation.create_initiative(system(store), InitiativeRecord.model_validate(record), now=now)
    from tests.support.decided import decide

    for a, b in (("in6", "in6b"), ("in7", "in7b")):
        decide(store, a, b, by="setup")
    # Open proposals, one per case deciding them, and a call of each group.
    for id, initiative, group, proposer in (
        ("p-accept-6", "free", "wg6", "kaspersky"),
        ("p-decline-6", "in7c", "wg6", "kaspersky"),
        ("p-accept-7", "in6c", "wg7", "cesin"),
        ("p-mine-7", "mine", "wg7", "cigref"),
        ("p-mine-8", "mine", "wg8", "cigref"),
        ("p-in6-7", "in6b", "wg7", "cigref"),
    ):
        made = proposals.propose(
            system(store), initiative_id=initiative, working_group_id=group, proposer=proposer,
            proposed_by="setup", message=None, call_id=None, now=now,
        )  # fmt: skip
        store.write("MATCH (p:Proposal {id: $old}) SET p.id = $id RETURN p.id AS id",
                    {"old": made.id, "id": id})  # fmt: skip
    for group in ("wg6", "wg7"):
        hook = webhooks.create(
            system(store), working_group_id=group, url=PUBLIC_URL, kinds=[], created_by="setup",
            owner_token=None, now=now,
        )  # fmt: skip
        store.write("MATCH (h:Webhook {id: $old}) SET h.id = $id RETURN h.id AS id",
                    {"old": hook.id, "id": f"hook-{group}"})  # fmt: skip
        call = proposals.open_call(
            system(store), working_group_id=group, title=f"Call {group}", description=None,
            topics=[], deadline=None, opened_by="setup", now=now,
        )  # fmt: skip
        store.write("MATCH (c:Call {id: $old}) SET c.id = $id RETURN c.id AS id",
                    {"old": call.id, "id": f"call-{group}"})  # fmt: skip
    # kaspersky invites cigref to two of its initiatives: one to accept, one to decline.
    for initiative in ("in7", "in7b"):
        invitations.invite(
            system(store), initiative_id=initiative, signatory_id="cigref",
            role=ContributorRole.PARTNER, invited_by="setup", inviting="kaspersky", now=now,
        )  # fmt: skip
