"""No door decides a rule by itself: GraphQL resolvers, pages, uploads, sockets and the
command line ask `schema.access_checks` (or a use case that does) and never raise a
refusal of their own. Only the modules that read a credential may say it is malformed."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
REFUSALS = {"Forbidden", "Unauthenticated"}
# They read the Authorization header, the page cookie or connection_init: a malformed
# credential is refused there, before any rule applies.
CREDENTIAL_READERS = {"api/auth.py", "api/graphql/transport.py"}


def _raised(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(parse(source)):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = node.exc.func
            called = name.id if isinstance(name, ast.Name) else getattr(name, "attr", "")
            if called in REFUSALS:
                found.append(f"{where}:{node.lineno} raise {called}")
    return found


def test_no_door_raises_a_refusal_of_its_own() -> None:
    inline = [
        hit
        for path in sorted((ROOT / "api").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in CREDENTIAL_READERS
        for hit in _raised(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not inline, inline


def test_the_scan_sees_an_inline_refusal() -> None:
    door = "def f(a):\n    if a:\n        raise errors.Forbidden('no')\n"
    assert _raised(door, "api/door.py") == ["api/door.py:3 raise Forbidden"]


def test_the_upload_door_leaves_the_import_rules_to_its_use_case() -> None:
    """POST /imports reads the body and answers HTTP; which token may import which file,
    and which spreadsheet rows, is importers/uploaded.py's (the one policy's) to ask."""
    tree = parse((ROOT / "api/uploads.py").read_text(encoding="utf-8"))
    called = {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert called & {"allowed", "may_import", "refused_sheet_rows", "check"} == set()
    asked = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "uploaded"
    }
    assert asked == {"permit_any", "import_as"}
