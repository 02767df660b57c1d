"""Merge and unmerge initiatives; see graph/queries/merging.py for what moves."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from graph import audit
from graph.queries import merging as q
from graph.store import GraphStore
from schema.errors import Conflict, NotFound, Problem, ValidationFailed


def _state(store: GraphStore, ids: list[str]) -> dict[str, tuple[str, int]]:
    return {
        row["id"]: (row["status"], int(row["version"])) for row in store.read(q.STATE, {"ids": ids})
    }


def _stale(id: str, current: int, sent: int) -> Conflict:
    return Conflict(
        f"initiative '{id}' is at version {current}, not {sent}: reload it and try again",
        current_version=current,
    )


def links_of(store: GraphStore, id: str) -> set[tuple[str, str]]:
    """(link key, other id) for every link a merge would move."""
    return {(row["link"], row["other"]) for row in store.read(q.LINKS_OF, {"id": id})}


def merge(
    store: GraphStore,
    *,
    survivor: str,
    merged: str,
    merged_version: int,
    by: str | None,
    note: str | None,
    now: datetime,
) -> dict[str, int]:
    """Move `merged`'s links to `survivor` and archive it; nothing is written on conflict."""
    if survivor == merged:
        raise ValidationFailed([Problem("an initiative cannot be merged into itself", "merged")])
    state = _state(store, [survivor, merged])
    for key in (survivor, merged):
        if key not in state:
            raise NotFound("initiative", key)
    if state[merged][1] != merged_version:
        raise _stale(merged, state[merged][1], merged_version)
    for key in (survivor, merged):
        if state[key][0] == "archived":
            raise ValidationFailed([Problem(f"initiative '{key}' is archived", "merged")])
    mine = links_of(store, merged)
    theirs = links_of(store, survivor)
    theirs_contributors = {other for key, other in theirs if key.startswith("CONTRIBUTES_TO")}
    moved = [
        {
            "link": key,
            "other": other,
            "survivor_had": (
                other in theirs_contributors
                if key.startswith("CONTRIBUTES_TO")
                else (key, other) in theirs
            ),
        }
        for key, other in sorted(mine)
    ]
    record = {
        "merged_by": by,
        "merged_at": now.isoformat(),
        "note": note,
        "previous_status": state[merged][0],
        "moved": json.dumps(moved),
    }
    audit.note_targets(merged, survivor)
    audit.note_change("merged_into", None, survivor)
    audit.note_change("status", state[merged][0], "archived")
    rows = audit.write(
        store,
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
        current = _state(store, [merged]).get(merged, ("", 0))[1]
        raise _stale(merged, current, merged_version)
    return {"merged": int(rows[0]["merged_version"]), "survivor": int(rows[0]["survivor_version"])}


def merge_record(store: GraphStore, merged: str) -> str | None:
    """The survivor `merged` was merged into, if it is merged."""
    rows = store.read(q.MERGE_RECORD, {"merged": merged})
    return str(rows[0]["survivor"]) if rows else None


def unmerge(
    store: GraphStore, *, merged: str, merged_version: int, now: datetime
) -> dict[str, Any]:
    """Undo a merge: links back to `merged`, the survivor's added links removed."""
    found = store.read(q.MERGE_RECORD, {"merged": merged})
    if not found:
        if merged not in _state(store, [merged]):
            raise NotFound("initiative", merged)
        raise ValidationFailed([Problem(f"initiative '{merged}' was not merged", "merged")])
    if found[0]["version"] != merged_version:
        raise _stale(merged, int(found[0]["version"]), merged_version)
    moved = json.loads(found[0]["record"]["moved"])
    restore: dict[str, list[str]] = defaultdict(list)
    added: dict[str, list[str]] = defaultdict(list)
    for item in moved:
        restore[q.param_name(item["link"])].append(item["other"])
        if not item["survivor_had"]:
            added[q.param_name(item["link"])].append(item["other"])
    names = [link.param for link in q.LINKS]
    audit.note_targets(merged, found[0]["survivor"])
    audit.note_change("merged_into", found[0]["survivor"], None)
    audit.note_change("status", "archived", found[0]["record"].get("previous_status"))
    rows = audit.write(
        store,
        q.UNMERGE,
        {
            "merged": merged,
            "merged_version": merged_version,
            "restore": {name: restore.get(name, []) for name in names},
            "added": {name: added.get(name, []) for name in names},
            "now": now.isoformat(),
        },
    )
    if not rows:
        current = _state(store, [merged]).get(merged, ("", 0))[1]
        raise _stale(merged, current, merged_version)
    return {
        "survivor": found[0]["survivor"],
        "merged_version": int(rows[0]["merged_version"]),
        "survivor_version": int(rows[0]["survivor_version"]),
    }
