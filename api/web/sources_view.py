"""Sources as the pages name them: the import history by source name (a crosswalk by
the two sources it joins), and one source's own page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis import gaps
from graph.browse import repository as browse
from graph.gaps import repository as gaps_repo
from graph.imports import repository as imports
from graph.overview import repository as overview
from graph.store import GraphStore
from schema.access import IMPORT_HISTORY_READERS, Actor

HISTORY_SHOWN = 50


def named_history(store: GraphStore, *, source: str | None = None) -> list[dict[str, Any]]:
    """The newest import runs, each with `sources`: (id, title) of the source it loaded,
    or of the sources a crosswalk joined; empty for spreadsheets and registry files."""
    runs = imports.runs(store, source=source, limit=HISTORY_SHOWN)
    titles = overview.source_titles(store)
    joined = imports.crosswalk_sources(
        store, [r["source_id"] for r in runs if r.get("kind") == "mappings" and r.get("source_id")]
    )
    for run in runs:
        sid = str(run.get("source_id") or "")
        ids = joined.get(sid, []) if run.get("kind") == "mappings" else [sid] if sid else []
        run["sources"] = [(id, titles[id]) for id in ids if id in titles]
    return runs


@dataclass
class SourcePage:
    source: dict[str, Any]
    recommendations: int
    requirements: int
    crosswalks: list[tuple[str, str, int, int]] = field(default_factory=list)
    history: list[dict[str, Any]] | None = None  # None: the reader may not read it


def source_page(store: GraphStore, id: str, actor: Actor) -> SourcePage | None:
    """A source with its counts, the crosswalks linking it to others (linked/total of its
    requirements), and, for those who read the import history, its imports."""
    found = browse.by_ids(store, "Source", [id]).get(id)
    if found is None:
        return None
    counts = next((s for s in overview.sources(store) if s["id"] == id), {})
    titles = overview.source_titles(store)
    linked = [c for c in gaps.crosswalks(store) if c.source_a == id and c.mapped]
    page = SourcePage(
        source=found,
        recommendations=int(counts.get("recommendations") or 0),
        requirements=gaps_repo.requirements_by_source(store).get(id, 0),
        crosswalks=[(c.source_b, titles.get(c.source_b, c.source_b), c.mapped, c.total)
                    for c in linked],
    )  # fmt: skip
    if actor.role in IMPORT_HISTORY_READERS:
        page.history = named_history(store, source=id)
    return page
