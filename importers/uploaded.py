"""The import a token asks for (the upload door, `POST /imports`): the operator's
`pariscall import` run, all-or-nothing, once the one policy (schema.access) says this
token may make it. The door only reads the body and turns the outcome into HTTP.

The rules, in the order they can be decided: some kind of file at all (before the body
is read: a large upload is not received for nothing); then, once the file says what it
is, this format; then, for a spreadsheet from a token that is not an admin's, every row
within the token's groups (the rows that are not are listed, and nothing is written).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from graph.access import repository as access
from graph.store import GraphStore
from importers.pipeline import SPREADSHEETS, ImportReport, chosen_format, run_import
from importers.spreadsheet import read_sheet
from schema.access import Action, Actor, Facts, Role, allowed, may_import, refused_sheet_rows
from schema.access_checks import Guarded, check
from schema.errors import Forbidden, Problem, ValidationFailed

# Why the token may not import: the format when known (None before the file is read),
# in the words of the door that asked.
Refusal = Callable[[str | None], str]


class RowsRefused(ValidationFailed):
    """Spreadsheet rows outside the token's rights: every one listed, nothing written."""

    code = Forbidden.code


def permit_any(actor: Actor, refusal: Refusal) -> None:
    """Forbidden unless the token may import some kind of file (asked before the body)."""
    check(actor, Guarded.IMPORT_FORMAT, permitted=may_import(actor), refusal=refusal(None))


def import_as(
    store: GraphStore,
    actor: Actor,
    path: Path,
    *,
    refusal: Refusal,
    fmt: str = "auto",
    source_id: str | None = None,
    kind: str | None = None,
    dry_run: bool = False,
    replace_publication: bool = False,
    request_id: str | None = None,
) -> ImportReport:
    """Import `path` for `actor`, recorded under its name and role; Forbidden for a format
    its role may not import, RowsRefused for spreadsheet rows outside its groups."""
    permit_any(actor, refusal)
    chosen = chosen_format(path, fmt)
    action = action_of(chosen)
    check(
        actor, Guarded.IMPORT_FORMAT, permitted=allowed(actor, action, Facts()),
        refusal=refusal(chosen),
    )  # fmt: skip
    if action is Action.IMPORT_SPREADSHEET and actor.role is not Role.ADMIN:
        refused = _refused_rows(store, actor, path, kind)
        if refused:
            raise RowsRefused(refused)
    return run_import(
        store, path, fmt=chosen, source_id=source_id, dry_run=dry_run, kind=kind,
        actor=actor.name, replace=replace_publication,
        role=actor.role.value if actor.role else "anonymous", request_id=request_id,
    )  # fmt: skip


def action_of(fmt: str) -> Action:
    """The change importing a file of this format makes."""
    if fmt in SPREADSHEETS:
        return Action.IMPORT_SPREADSHEET
    return Action.IMPORT_REGISTRY_DATA if fmt == "registry" else Action.IMPORT_RECOMMENDATIONS


def _refused_rows(store: GraphStore, actor: Actor, path: Path, kind: str | None) -> list[Problem]:
    """The rows of a spreadsheet the actor may not apply (see schema.access)."""
    sheet = read_sheet(path, kind)
    numbered = sheet.rows
    ids = [record.id for _, record in numbered] if sheet.kind == "initiatives" else []
    tracked = {id: groups for id, (groups, _) in access.initiative_facts(store, ids).items()}
    return [
        replace(problem, file=path.name)
        for problem in refused_sheet_rows(actor, sheet.kind, numbered, tracked)
    ]
