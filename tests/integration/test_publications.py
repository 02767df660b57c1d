"""Two revisions of one catalog, and two baselines of one revision, are four sources:
none overwrites another; a file that would replace another publication under the same
source id is refused unless the user says --replace; a new version of the same
publication updates it as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore
from importers.pipeline import run_import
from schema.errors import Conflict
from tests import factories as f

REV5 = "NIST Special Publication 800-53 Revision 5: Security and Privacy Controls for Information Systems and Organizations"  # noqa: E501
REV4 = "NIST Special Publication 800-53 Revision 4: Security and Privacy Controls for Federal Information Systems and Organizations"  # noqa: E501


def catalog(path: Path, title: str, version: str, controls: list[str]) -> Path:
    listed = [{"id": c, "title": f"Control {c}"} for c in controls]
    result: Path = f.oscal_catalog(path, title, version, listed, publisher="NIST")
    return result


def sources(store: GraphStore) -> dict[str, int]:
    rows = store.read(
        "MATCH (s:Source) OPTIONAL MATCH (r:Recommendation {source_id: s.id}) "
        "WHERE r.status <> 'withdrawn' RETURN s.id AS id, count(r) AS n"
    )
    return {r["id"]: r["n"] for r in rows}


def test_revisions_and_baselines_are_distinct_sources(store: GraphStore, tmp_path: Path) -> None:
    rev5 = run_import(store, catalog(tmp_path / "r5.json", REV5, "5.1.1", ["ac-1", "ac-2", "ac-3"]))
    rev4 = run_import(store, catalog(tmp_path / "r4.json", REV4, "4.0", ["ac-1", "ac-2"]))
    low = run_import(
        store, catalog(tmp_path / "low.json", f"{REV5} LOW baseline", "5.1.1", ["ac-1"])
    )
    moderate = run_import(
        store,
        catalog(tmp_path / "mod.json", f"{REV5} MODERATE baseline", "5.1.1", ["ac-1", "ac-2"]),
    )
    ids = [r.source_id for r in (rev5, rev4, low, moderate)]
    assert len(set(ids)) == 4, ids
    assert all(r.withdrawn == [] and r.updated == [] for r in (rev4, low, moderate))
    # every group and control of each catalog is still there, nothing withdrawn
    assert sources(store) == dict(zip(ids, [4, 3, 2, 3], strict=True))
    # a newer version of the same publication still updates it in place
    newer = run_import(store, catalog(tmp_path / "r5b.json", REV5, "5.2.0", ["ac-1", "ac-2"]))
    assert newer.source_id == rev5.source_id and newer.withdrawn == [f"{rev5.source_id}:ac-3"]


def test_another_publication_under_the_same_id_needs_replace(
    store: GraphStore, tmp_path: Path
) -> None:
    first = run_import(store, catalog(tmp_path / "r5.json", REV5, "5.1.1", ["ac-1", "ac-2"]))
    other = catalog(tmp_path / "r4.json", REV4, "4.0", ["ac-1"])
    with pytest.raises(Conflict) as refused:
        run_import(store, other, source_id=first.source_id)
    message = str(refused.value)
    assert "Revision 5" in message and "Revision 4" in message and "--replace" in message
    assert sources(store) == {first.source_id: 3}  # nothing written
    replaced = run_import(store, other, source_id=first.source_id, replace=True)
    assert replaced.withdrawn == [f"{first.source_id}:ac-2"]
