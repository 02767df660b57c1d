"""Merge and unmerge initiatives; see graph/merging/queries.py for what moves.

What makes a merge or an unmerge impossible is checked first, to say why, and again by
its statement under the initiatives' write locks; when the statement refuses, the same
checks, read again, tell what changed in between.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from graph.analysis import repository as analysis
from graph.audit import UnitOfWork, writes
from graph.merging import queries as q
from graph.store import GraphStore
from schema.errors import Conflict, NotFound, PariscallError, Problem, ValidationFailed


def _state(store: GraphStore, ids: list[str]) -> dict[str, tuple[str, int]]:
    return {
        row["id"]: (row["status"], int(row["version"])) for row in store.read(q.STATE, {"ids": ids})
    }


def _stale(id: str, current: int, sent: int) -> Conflict:
    return Conflict(
        f"initiative '{id}' is at version {current}, not {sent}: reload it and try again",
        current_version=current,
    )


def _merge_refusal(
    store: GraphStore, *, survivor: str, merged: str, merged_version: int
) -> PariscallError | None:
    """Why `merged` cannot be merged into `survivor` now, or None."""
    state = _state(store, [survivor, merged])
    for key in (survivor, merged):
        if key not in state:
            return NotFound("initiative", key)
    if state[merged][1] != merged_version:
        return _stale(merged, state[merged][1], merged_version)
    for key in (survivor, merged):
        if state[key][0] == "archived":
            return ValidationFailed([Problem(f"initiative '{key}' is archived", "merged")])
    pair = analysis.pair(store, "initiative", merged, survivor)
    if not pair or (pair["props"] or {}).get("status") != "confirmed":
        return ValidationFailed(
            [Problem(f"confirm that '{merged}' duplicates '{survivor}' before merging", "merged")]
        )
    return None


def _changed_meanwhile(id: str) -> Conflict:
    return Conflict(f"initiative '{id}' changed meanwhile: reload it and try again")


def links_of(store: GraphStore, id: str) -> set[tuple[str, str]]:
    """(link key, other id) for every link a merge would move."""
    return {(row["link"], row["other"]) for row in store.read(q.LINKS_OF, {"id": id})}


@writes
def merge(
    work: UnitOfWork,
    *,
    survivor: str,
    merged: str,
    merged_version: int,
    by: str | None,
    note: str | None,
    now: datetime,
) -> dict[str, int]:
    """Move `merged`'s links to `survivor` and archive it, if the pair is a confirmed
    duplicate and `merged` is at `merged_version`; nothing is written otherwise."""
    if survivor == merged:
        raise ValidationFailed([Problem("an initiative cannot be merged into itself", "merged")])
    refused = _merge_refusal(
        work.store, survivor=survivor, merged=merged, merged_version=merged_version
    )
    if refused is not None:
        raise refused
    previous_status = _state(work.store, [merged])[merged][0]
    mine = links_of(work.store, merged)
    theirs = links_of(work.store, survivor)
    # A link carrying a role ('CONTRIBUTES_TO:lead') was had in any role.
    theirs_roled = {(key.partition(":")[0], other) for key, other in theirs if ":" in key}
    moved = [
        {
            "link": key,
            "other": other,
            "survivor_had": (
                (key.partition(":")[0], other) in theirs_roled
                if ":" in key
                else (key, other) in theirs
            ),
        }
        for key, other in sorted(mine)
    ]
    record = {
        "merged_by": by,
        "merged_at": now.isoformat(),
        "note": note,
        "previous_status": previous_status,
        "moved": json.dumps(moved),
    }
    work.note_targets(merged, survivor)
    work.note_change("merged_into", None, survivor)
    work.note_change("status", previous_status, "archived")
    rows = work.write(
        q.MERGE,
        {
            "merged": merged,
            "survivor": survivor,
            "merged_version": merged_version,
            "record": {k: v for k, v in record.items() if v is not None},
            "now": now.isoformat(),
        },
    )
    if not rows:  # changed between the checks and the write
        refused = _merge_refusal(
            work.store, survivor=survivor, merged=merged, merged_version=merged_version
        )
        raise refused or _changed_meanwhile(merged)
    return {"merged": int(rows[0]["merged_version"]), "survivor": int(rows[0]["survivor_version"])}


def merge_record(store: GraphStore, merged: str) -> str | None:
    """The survivor `merged` was merged into, if it is merged."""
    rows = store.read(q.MERGE_RECORD, {"merged": merged})
    return str(rows[0]["survivor"]) if rows else None


def _unmerge_refusal(
    store: GraphStore, *, merged: str, merged_version: int
) -> tuple[list[dict[str, Any]], PariscallError | None]:
    """The merge record of `merged`, and why it cannot be undone now (or None)."""
    found = store.read(q.MERGE_RECORD, {"merged": merged})
    if not found:
        if merged not in _state(store, [merged]):
            return found, NotFound("initiative", merged)
        return found, ValidationFailed([Problem(f"initiative '{merged}' was not merged", "merged")])
    if found[0]["version"] != merged_version:
        return found, _stale(merged, int(found[0]["version"]), merged_version)
    return found, None


def merged_into(store: GraphStore, id: str) -> dict[str, Any] | None:
    """The initiative `id` was merged into (id, title, when, note), if it was."""
    rows = store.read(q.MERGED_INTO, {"id": id})
    return rows[0] if rows else None


def merged_from(store: GraphStore, id: str) -> list[dict[str, Any]]:
    """The initiatives merged into `id` (id, title)."""
    return store.read(q.MERGED_FROM, {"id": id})


@writes
def unmerge(work: UnitOfWork, *, merged: str, merged_version: int, now: datetime) -> dict[str, Any]:
    """Undo a merge: links back to `merged`, the survivor's added links removed."""
    found, refused = _unmerge_refusal(work.store, merged=merged, merged_version=merged_version)
    if refused is not None:
        raise refused
    moved = json.loads(found[0]["record"]["moved"])
    restore: dict[str, list[str]] = defaultdict(list)
    added: dict[str, list[str]] = defaultdict(list)
    for item in moved:
        restore[q.param_name(item["link"])].append(item["other"])
        if not item["survivor_had"]:
            added[q.param_name(item["link"])].append(item["other"])
    names = [link.param for link in q.LINKS]
    work.note_targets(merged, found[0]["survivor"])
    work.note_change("merged_into", found[0]["survivor"], None)
    work.note_change("status", "archived", found[0]["record"].get("previous_status"))
    rows = work.write(
        q.UNMERGE,
        {
            "merged": merged,
            "merged_version": merged_version,
            "restore": {name: restore.get(name, []) for name in names},
            "added": {name: added.get(name, []) for name in names},
            "now": now.isoformat(),
        },
    )
    if not rows:  # undone or changed between the checks and the write
        _, refused = _unmerge_refusal(work.store, merged=merged, merged_version=merged_version)
        raise refused or _changed_meanwhile(merged)
    return {
        "survivor": found[0]["survivor"],
        "merged_version": int(rows[0]["merged_version"]),
        "survivor_version": int(rows[0]["survivor_version"]),
    }
