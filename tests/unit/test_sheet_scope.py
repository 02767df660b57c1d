"""Which spreadsheet rows a caller may apply (schema.access.refused_sheet_rows)."""

from __future__ import annotations

from schema.access import Actor, Role, refused_sheet_rows
from schema.errors import Problem
from schema.records import InitiativeRecord, Membership

CO_CHAIR = Actor(name="Cigref", role=Role.CO_CHAIR, working_groups=frozenset({"wg6"}))
ADMIN = Actor(name="admin", role=Role.ADMIN)


def initiative(id: str, *groups: str) -> InitiativeRecord:
    return InitiativeRecord(id=id, title=id, language="en", working_groups=list(groups))


def test_initiative_rows_follow_the_create_edit_and_track_rules() -> None:
    rows = [
        (2, initiative("new-in-scope", "wg6")),
        (3, initiative("new-no-group")),
        (4, initiative("new-mixed", "wg6", "wg5")),
        (5, initiative("ours", "wg6")),
        (6, initiative("ours-widened", "wg6", "wg5")),
        (7, initiative("theirs")),
    ]
    tracked = {
        "ours": frozenset({"wg6"}),
        "ours-widened": frozenset({"wg6"}),
        "theirs": frozenset({"wg5"}),
    }
    assert _said(refused_sheet_rows(CO_CHAIR, "initiatives", rows, tracked)) == [
        (3, "a new initiative must name working groups, all of them yours"),
        (4, "a new initiative must name working groups, all of them yours"),
        (6, "links the initiative to a working group that is not yours"),
        (7, "initiative 'theirs' is not tracked by your groups"),
    ]
    assert refused_sheet_rows(ADMIN, "initiatives", rows, tracked) == []


def test_membership_and_signatory_rows() -> None:
    members = [
        (2, Membership(signatory_id="cigref", working_group_id="wg6")),
        (3, Membership(signatory_id="geode", working_group_id="wg5")),
    ]
    assert _said(refused_sheet_rows(CO_CHAIR, "memberships", members, {})) == [
        (3, "working group 'wg5' is not yours")
    ]
    signatories = [(2, object())]
    assert _said(refused_sheet_rows(CO_CHAIR, "signatories", signatories, {})) == [
        (2, "signatories sheets need an admin token")
    ]


def _said(problems: list[Problem]) -> list[tuple[int | None, str]]:
    return [(p.row, p.message) for p in problems]
