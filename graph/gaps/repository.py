"""Reads of the gap analysis; grouping and judgement live in analysis/gaps.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.gaps import queries as q
from graph.store import GraphStore


def _params(covering: Sequence[str], wg: str | None) -> dict[str, Any]:
    return {"covering": list(covering), "wg": wg}


def uncovered_recommendations(
    store: GraphStore, *, covering: Sequence[str], wg: str | None, named: bool = False
) -> list[dict[str, Any]]:
    """`named`: each row also holds what naming its record takes (ref, title, text,
    parent; graph/recommendations/repository.naming_rows)."""
    statement = q.UNCOVERED_RECOMMENDATIONS_NAMED if named else q.UNCOVERED_RECOMMENDATIONS
    return store.read(statement, _params(covering, wg))


def crosswalk_covered(
    store: GraphStore, *, covering: Sequence[str], wg: str | None, min_score: float
) -> dict[str, bool]:
    """The records covered through a crosswalk (of the group's initiatives when `wg` is
    set): True when a published or confirmed pair says so, False when only a suggestion
    from `min_score` does."""
    statement = q.CROSSWALK_COVERED_OF_GROUP if wg else q.CROSSWALK_COVERED
    params = _params(covering, wg) | {"min_score": min_score}
    return {row["id"]: bool(row["stated"]) for row in store.read(statement, params)}


def topics_without_initiatives(
    store: GraphStore, *, covering: Sequence[str], wg: str | None
) -> list[str]:
    statement = q.TOPICS_WITHOUT_INITIATIVES_OF_GROUP if wg else q.TOPICS_WITHOUT_INITIATIVES
    return [row["id"] for row in store.read(statement, _params(covering, wg))]


def principles_without_initiatives(
    store: GraphStore, *, covering: Sequence[str], wg: str | None
) -> list[str]:
    statement = (
        q.PRINCIPLES_WITHOUT_INITIATIVES_OF_GROUP if wg else q.PRINCIPLES_WITHOUT_INITIATIVES
    )
    return [row["id"] for row in store.read(statement, _params(covering, wg))]


def figures(
    store: GraphStore, *, covering: Sequence[str], wg: str | None
) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """`topics_without_initiatives`, `principles_without_initiatives` and
    `members_by_group` in one read."""
    statement = q.FIGURES_OF_GROUP if wg else q.FIGURES
    found: dict[str, list[Any]] = {"topic": [], "principle": [], "members": []}
    for row in store.read(statement, _params(covering, wg)):
        found[row["kind"]].append(
            row["id"] if row["kind"] != "members" else
            {"id": row["id"], "kinds": row["kinds"], "countries": row["countries"]}
        )  # fmt: skip
    return found["topic"], found["principle"], found["members"]


def members_by_group(store: GraphStore, *, wg: str | None) -> list[dict[str, Any]]:
    return store.read(q.MEMBERS_BY_GROUP, {"wg": wg})


def crosswalk_shares(store: GraphStore) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Requirements by source and the records crosswalks map between sources, in one
    read (graph/gaps/queries.py CROSSWALK_SHARES)."""
    totals: dict[str, int] = {}
    mapped = []
    for row in store.read(q.CROSSWALK_SHARES):
        if row["kind"] == "total":
            totals[row["source_a"]] = int(row["n"])
        else:
            mapped.append(row)
    return dict(sorted(totals.items())), mapped


def requirements_by_source(store: GraphStore) -> dict[str, int]:
    return {row["source_id"]: int(row["total"]) for row in store.read(q.REQUIREMENTS_BY_SOURCE)}


def coverage_rows(
    store: GraphStore, *, covering: Sequence[str], wg: str | None
) -> list[dict[str, Any]]:
    return store.read(q.COVERAGE, _params(covering, wg))


def topic_and_source_ids(store: GraphStore) -> tuple[list[str], list[str]]:
    rows = store.read(q.TOPIC_AND_SOURCE_IDS)
    topics = sorted(row["id"] for row in rows if row["kind"] == "topic")
    sources = sorted(row["id"] for row in rows if row["kind"] == "source")
    return topics, sources


def cell(
    store: GraphStore, *, source: str, topic: str | None, covering: Sequence[str], wg: str | None
) -> list[dict[str, Any]]:
    """A heatmap cell's recommendations with the covering initiatives implementing each."""
    rows = store.read(q.CELL, {**_params(covering, wg), "source": source, "topic": topic})
    return [{**row, "initiatives": [i for i in row["initiatives"] if i.get("id")]} for row in rows]


def uncovered_by_group(
    store: GraphStore, *, covering: Sequence[str], min_score: float
) -> tuple[int, dict[str, int]]:
    """The number of requirements, and by working group how many of them are covered
    (directly or through a crosswalk); a group not listed covers none."""
    params = {"covering": list(covering), "min_score": min_score}
    rows = store.read(q.UNCOVERED_BY_GROUP, params)
    # `null AS wg` groups the count: no requirements, no row (not a row of 0)
    total = next((int(row["covered"]) for row in rows if row["wg"] is None), 0)
    return total, {row["wg"]: int(row["covered"]) for row in rows if row["wg"] is not None}
