"""Every change the audit trail records has its own name, a sentence in English and in
French, a meaning for subscribers and a read rule; events stored under the shared names
of earlier versions are read under the name of what they did."""

from __future__ import annotations

import pytest

from analysis.i18n import LANGUAGES, text
from schema.access import Readers
from schema.events import RECORDED, AuditAction, EventKind, readers_of, true_name


def test_every_action_has_a_meaning_and_a_read_rule() -> None:
    assert set(RECORDED) == set(AuditAction)
    assert {recorded.kind for recorded in RECORDED.values()} == set(EventKind)
    assert readers_of("no_such_action") is Readers.ADMINS  # unknown: admins only


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_action_has_its_own_sentence_in_both_languages(lang: str) -> None:
    words = text(lang)
    missing = [a.value for a in AuditAction if f"act_{a.value}" not in words]
    assert missing == []
    sentences = [words[f"act_{a.value}"] for a in AuditAction]
    shared = {s for s in sentences if sentences.count(s) > 1}
    assert shared == set()
    assert "import" not in words["act_create_webhook"]


@pytest.mark.parametrize(
    ("stored", "changes", "named"),
    [
        ("decide_proposal", {"state": ["open", "declined"]}, "decline_proposal"),
        ("decide_proposal", {"state": ["open", "accepted"]}, "accept_proposal"),
        ("withdraw_proposal", {"message": ["old", "new"]}, "revise_proposal"),
        ("withdraw_proposal", {"state": ["open", "withdrawn"]}, "withdraw_proposal"),
        ("merge_initiatives", {"merged_into": ["a", None], "status": ["archived", "active"]},
         "unmerge_initiatives"),
        ("merge_initiatives", {"merged_into": [None, "a"]}, "merge_initiatives"),
        ("manage_webhooks", {"webhook": [None, "https://x"]}, "create_webhook"),
        ("manage_webhooks", {"active": [True, False]}, "disable_webhook"),
        ("manage_calls", {"state": ["open", "closed"]}, "close_call"),
        ("comment", {"comment": [None, "hi"]}, "add_comment"),
        ("comment", {"comment": ["hi", "hello"]}, "edit_comment"),
        ("comment", {"deleted": [False, True]}, "delete_comment"),
        ("decide_duplicate", {"status": [None, "rejected"]}, "reject_duplicate"),
        ("edit_initiative", {"contributor:x": [None, "lead"]}, "set_contributor"),
        ("edit_initiative", {"status": ["active", "archived"]}, "archive_initiative"),
        ("edit_initiative", {"title": ["a", "b"]}, "edit_initiative"),
        ("track_initiative", {"link:WorkingGroup:wg6": ["linked", None]}, "untrack_initiative"),
    ],
)  # fmt: skip
def test_events_of_earlier_versions_are_read_under_their_own_name(
    stored: str, changes: dict[str, list[object]], named: str
) -> None:
    assert true_name(stored, changes) == named
    assert named in set(AuditAction)
