"""Records and crosswalk edges as analysis.crosswalk_paths reads them, written short."""

from __future__ import annotations


def records(*ids: str) -> list[dict[str, str]]:
    """Requirements by id; each id's source is what comes before its colon."""
    return [{"id": id, "source_id": id.split(":")[0]} for id in ids]


def edges(*lines: str) -> list[dict[str, str]]:
    """Mappings, one a line: "a b" (published, intersects_with) or "a b status relation"."""
    made = []
    for line in lines:
        a, b, *rest = line.split()
        status, relation = rest or ("published", "intersects_with")
        made.append({"a": a, "b": b, "status": status, "relation": relation})
    return made
