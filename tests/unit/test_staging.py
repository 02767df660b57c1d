"""How records are laid out in a staging batch (graph.imports.queries explains why)."""

from __future__ import annotations

import pytest

from graph.imports import queries as q
from graph.imports.repository import columns


def test_columns_keep_values_in_order_and_mark_missing_ones() -> None:
    rows = [
        {"id": "s:a", "title": "A", "verified": True, "topics": ["sbom", "vdp"]},
        {"id": "s:b", "verified": False, "topics": []},
        {"id": "s:c", "title": "C", "verified": True},
    ]
    batch = columns("run-1", 4, rows)
    assert batch["id"] == "run-1:4"
    assert batch["stage_run"] == "run-1"
    assert batch["c_id"] == ["s:a", "s:b", "s:c"]
    assert "h_id" not in batch  # present everywhere: no presence column
    assert batch["c_title"] == ["A", "", "C"]
    assert batch["h_title"] == [True, False, True]
    assert batch["c_verified"] == [True, False, True]
    assert batch["c_topics"] == [f"sbom{q.LIST_SEPARATOR}vdp", "", ""]
    assert batch["h_topics"] == [True, True, False]
    # a field no record has gets no column: read back as missing
    assert "c_parent_id" not in batch and "h_parent_id" not in batch
    # arrays of scalars only: what the graph can hold as a property
    for name, value in batch.items():
        if isinstance(value, list):
            assert all(isinstance(v, (str, bool, int, float)) for v in value), name


def test_columns_refuse_what_they_cannot_carry() -> None:
    with pytest.raises(ValueError, match="without a staging column"):
        columns("run-1", 0, [{"id": "s:a", "colour": "red"}])
    with pytest.raises(ValueError, match="separator"):
        columns("run-1", 0, [{"id": "s:a", "topics": [f"a{q.LIST_SEPARATOR}b"]}])


def test_batches_are_cut_by_count_and_by_text_size() -> None:
    from graph.imports.repository import STAGE_BATCH, STAGE_BYTES, _bounded

    short = [{"id": f"s:{i}", "text": "x"} for i in range(STAGE_BATCH + 5)]
    assert [len(b) for b in _bounded(short)] == [STAGE_BATCH, 5]
    prose = "y" * (STAGE_BYTES // 3)
    long = [{"id": f"s:{i}", "text": prose} for i in range(7)]
    # three records reach the byte bound: batches of 3, 3, then the last one
    assert [len(b) for b in _bounded(long)] == [3, 3, 1]
    assert [r["id"] for b in _bounded(long) for r in b] == [f"s:{i}" for i in range(7)]


def test_a_column_of_integers_and_decimals_holds_decimals() -> None:
    """Neo4j stores arrays of one type only."""
    batch = columns(
        "run", 0, [{"id": "a", "score": 1}, {"id": "b", "score": 0.5}, {"id": "c"}],
        fields=("id", "score"), list_fields=frozenset(),
    )  # fmt: skip
    assert batch["c_score"] == [1.0, 0.5, 0.0]
    assert [type(v) for v in batch["c_score"]] == [float, float, float]
    assert batch["h_score"] == [True, True, False]
