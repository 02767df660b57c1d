"""A write cannot happen without its unit of work: every use case that changes the graph
takes a `UnitOfWork` (who acts, under which recorded name, in which request), and one
given a plain store refuses before touching it, rather than writing without its audit
event. No module of graph/ carries the audit in a context variable any more."""

from __future__ import annotations

import ast
import importlib
import inspect
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


class PlainStore:
    """A store that records what is asked of it (no I/O)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def read(self, cypher: str, params: Any = None) -> list[dict[str, Any]]:
        self.calls.append(cypher)
        return []

    def write(self, cypher: str, params: Any = None) -> list[dict[str, Any]]:
        self.calls.append(cypher)
        return [{"n": 1, "node": {}}]


# (module, function, arguments after the store): the write use cases of every aggregate.
ID = {"initiative_id": "i", "label": "Topic", "target_id": "t"}
WRITES: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("graph.curation.service", "create_record", (), {"model": None, "data": {}}),
    ("graph.curation.service", "create_initiative", ({"title": "x"}, NOW), {}),
    ("graph.curation.service", "update_initiative", ("i",), {"version": 1, "changes": {}}),
    ("graph.curation.service", "remove_member", (), {"working_group_id": "w", "signatory_id": "s"}),
    ("graph.curation.repository", "link_initiative", (), ID),
    ("graph.discussion.repository", "delete", ("c",), {"by": "x", "now": NOW}),
    ("graph.collaboration.repository", "withdraw", ("p",), {"now": NOW}),
    ("graph.collaboration.repository", "close_call", ("c",), {"now": NOW}),
    ("graph.invitations.repository", "accept", ("i",), {"now": NOW}),
    ("graph.webhooks.repository", "disable", ("h",), {"now": NOW}),
    ("graph.access.repository", "revoke_token", ("t",), {"at": NOW}),
    ("graph.merging.repository", "unmerge", (), {"merged": "m", "merged_version": 1, "now": NOW}),
    ("graph.topics.repository", "accept", ([("r", "t")],), {}),
    ("graph.mappings.repository", "publish", ([{"from_id": "a", "to_id": "b"}],), {}),
    ("graph.analysis.repository", "decide", ("initiative",), {"a": "a", "b": "b", "props": {}}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "name", "args", "kwargs"), WRITES, ids=[f"{m}.{n}" for m, n, _, _ in WRITES]
)
def test_a_write_given_a_plain_store_is_refused_untouched(
    module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    fn = getattr(importlib.import_module(module), name)
    store = PlainStore()
    with pytest.raises(TypeError, match="UnitOfWork"):
        fn(store, *args, **kwargs)
    assert store.calls == []


def _takes_a_unit(fn: Any) -> bool:
    try:
        first = next(iter(inspect.signature(fn).parameters.values()))
    except (StopIteration, TypeError, ValueError):
        return False
    return first.annotation == "UnitOfWork"


def _graph_functions() -> list[tuple[str, Any]]:
    found = []
    for path in sorted((ROOT / "graph").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        loaded = importlib.import_module(module)
        for name, fn in vars(loaded).items():
            if inspect.isfunction(fn) and getattr(fn, "__module__", None) == module:
                found.append((f"{module}.{name}", fn))
    return found


def test_every_function_taking_a_unit_refuses_a_plain_store() -> None:
    """Public ones: a module's private helpers are called by its checked functions."""
    taking = [
        (name, fn)
        for name, fn in _graph_functions()
        if _takes_a_unit(fn) and not name.rpartition(".")[2].startswith("_")
    ]
    assert len(taking) >= len(WRITES)
    accepted = []
    for name, fn in taking:
        store = PlainStore()
        parameters = list(inspect.signature(fn).parameters.values())[1:]
        needed = [p for p in parameters if p.default is p.empty]
        args = [None for p in needed if p.kind is p.POSITIONAL_OR_KEYWORD]
        kwargs = {p.name: None for p in needed if p.kind is p.KEYWORD_ONLY}
        try:
            fn(store, *args, **kwargs)
        except TypeError as exc:
            if "UnitOfWork" in str(exc) and not store.calls:
                continue
        except Exception:  # any other outcome: the plain store was taken
            pass
        accepted.append(name)
    assert accepted == []


def test_no_module_of_graph_keeps_the_audit_in_a_context_variable() -> None:
    """(The store's round-trip counter, graph/store.py, is a context variable for
    measuring, not for what a change records.)"""
    defining = []
    for path in sorted((ROOT / "graph").rglob("*.py")):
        for node in ast.walk(parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            if (getattr(called, "attr", None) or getattr(called, "id", None)) != "ContextVar":
                continue
            named = ast.unparse(node.args[0]) if node.args else ""
            if "audit" in path.parts or "audit" in named or "draft" in named:
                defining.append(f"{path.relative_to(ROOT)}:{node.lineno} {named}")
    assert defining == []


def test_a_system_unit_writes_plainly_and_records_no_event() -> None:
    from graph.audit import UnitOfWork

    store = PlainStore()
    work = UnitOfWork.system(store, "seed")  # type: ignore[arg-type]
    work.note_targets("a")
    work.note_change("title", None, "x")
    assert work.write("MATCH (n) SET n.x = 1 RETURN count(n) AS n") == [{"n": 1, "node": {}}]
    assert store.calls == ["MATCH (n) SET n.x = 1 RETURN count(n) AS n"]
    assert work.event is None
    assert work.reason == "seed"


def test_an_actors_unit_writes_the_audited_statement_and_keeps_its_event() -> None:
    from graph.audit import UnitOfWork
    from schema.access import Actor, Role
    from schema.events import AuditAction

    store = PlainStore()
    actor = Actor(name="Ana", role=Role.CO_CHAIR, working_groups=frozenset({"wg"}))
    work = UnitOfWork(store, actor, AuditAction.EDIT_TOPIC, request_id="r1")  # type: ignore[arg-type]
    work.note_targets("t1", working_groups=["wg"])
    work.note_change("title", "a", "b")
    work.note_change("same", 1, 1)
    work.write("MATCH (n:Topic {id: $id}) SET n.title = 'b' RETURN count(n) AS n", {"id": "t1"})
    assert "CREATE (audit_event:AuditEvent)" in store.calls[0]
    event = work.event
    assert event is not None
    assert (event["actor"], event["role"], event["action"], event["request_id"]) == (
        "Ana", "co_chair", "edit_topic", "r1",
    )  # fmt: skip
    assert (event["targets"], event["working_groups"]) == (["t1"], ["wg"])
    assert event["changes"] == '{"title": ["a", "b"]}'
