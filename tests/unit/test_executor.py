"""The leaf shortcut (api.graphql.executor) answers exactly what the standard executor
answers: same data, same errors at the same paths."""

from __future__ import annotations

import asyncio
import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.graphql.executor import _PLANS, LeafShortcutExecutionContext


@strawberry.enum
class Kind(Enum):
    STATE = "state"
    COMPANY = "company"


@strawberry.type
class Thing:
    id: strawberry.ID
    name_fr: str
    maybe: str | None
    count: int
    ratio: float | None
    flag: bool
    kind: Kind
    day: dt.date | None
    broken: str  # holds None on purpose: a non-null violation

    @strawberry.field
    def shout(self, suffix: str = "!") -> str:
        return self.name_fr.upper() + suffix


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing] | None:
        return [
            Thing(
                id=strawberry.ID(str(i)),
                name_fr=f"chose {i}",
                maybe=None if i % 2 else "oui",
                count=i,
                ratio=i / 3 if i % 3 else None,
                flag=bool(i % 2),
                kind=Kind.STATE if i % 2 else Kind.COMPANY,
                day=dt.date(2026, 11, i + 1) if i else None,
                broken=None if i == 2 else "ok",  # type: ignore[arg-type]
            )
            for i in range(4)
        ]


QUERY = """{
  things { id nameFr maybe count ratio flag kind day shout(suffix: "?") loud: shout alias: count }
  again: things { broken id }
}"""


def run(executor: type[Any]) -> tuple[Any, list[tuple[str, list[Any]]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    result = asyncio.run(schema.execute(QUERY))
    errors = [(e.message, list(e.path or [])) for e in result.errors or []]
    return result.data, errors


def test_shortcut_and_standard_executor_agree() -> None:
    fast = run(LeafShortcutExecutionContext)
    standard = run(StrawberryGraphQLCoreExecutionContext)
    assert fast == standard
    data, errors = fast
    assert data is not None
    assert data["things"][1] == {
        "id": "1",
        "nameFr": "chose 1",
        "maybe": None,
        "count": 1,
        "ratio": 1 / 3,
        "flag": True,
        "kind": "STATE",
        "day": "2026-11-02",
        "shout": "CHOSE 1?",
        "loud": "CHOSE 1!",
        "alias": 1,
    }
    # the null in a non-null field nulls its list, as the spec says
    assert data["again"] is None
    assert errors == [
        ("Cannot return null for non-nullable field Thing.broken.", ["again", 2, "broken"])
    ]


def test_shortcut_reads_plain_leaves_only() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=LeafShortcutExecutionContext)
    asyncio.run(schema.execute(QUERY))
    plans = _PLANS[schema._schema]
    assert plans[("Thing", "nameFr")] is not None
    assert plans[("Thing", "nameFr")].attribute == "name_fr"
    assert plans[("Thing", "kind")] is not None
    assert plans[("Thing", "shout")] is None  # has a resolver
    assert plans[("Query", "things")] is None  # not a leaf
