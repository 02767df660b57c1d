"""The shortcuts (api.graphql.executor) answer exactly what the standard executor
answers: same data, same errors at the same paths."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import weakref
from enum import Enum
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.graphql.executor import ShortcutExecutionContext, plans_of, speculative
from tests.support.executor import CountingWalk


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
    size: int | None  # one holds 2**40, which Int refuses: an error at that field only

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
                size=2**40 if i == 3 else i,
            )
            for i in range(4)
        ]


QUERY = """{
  things { id nameFr maybe count ratio flag kind day shout(suffix: "?") loud: shout alias: count
    size }
  again: things { broken id }
}"""


def run(executor: type[Any]) -> tuple[Any, list[tuple[str, list[Any]]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    result = asyncio.run(schema.execute(QUERY))
    errors = [(e.message, list(e.path or [])) for e in result.errors or []]
    return result.data, errors


def test_shortcut_and_standard_executor_agree() -> None:
    fast = run(ShortcutExecutionContext)
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
        "size": 1,
    }
    # a value the type refuses: null and an error at that field, the rest of the item kept
    assert data["things"][3]["size"] is None and data["things"][3]["id"] == "3"
    # the null in a non-null field nulls its list, as the spec says
    assert data["again"] is None
    assert errors == [
        (
            "Int cannot represent non 32-bit signed integer value: 1099511627776",
            ["things", 3, "size"],
        ),
        ("Cannot return null for non-nullable field Thing.broken.", ["again", 2, "broken"]),
    ]


def test_the_plans_go_with_their_schema() -> None:
    """Plans kept beside the schema (not in a module-level map whose values reached back
    to their key) leave nothing alive once the schema is dropped."""
    schema = strawberry.Schema(query=Query, execution_context_class=ShortcutExecutionContext)
    # No errors: a logged error's traceback would hold the schema for the test's duration.
    result = asyncio.run(schema.execute("{ things { id nameFr kind shout } }"))
    assert result.errors is None and result.data is not None
    leaves, fields = plans_of(schema._schema)
    assert leaves and fields
    core = weakref.ref(schema._schema)
    del schema, leaves, fields, result
    gc.collect()
    assert core() is None


def test_shortcut_reads_plain_leaves_only() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=ShortcutExecutionContext)
    asyncio.run(schema.execute(QUERY))
    plans, _ = plans_of(schema._schema)
    assert plans[("Thing", "nameFr")] is not None
    assert plans[("Thing", "nameFr")].attribute == "name_fr"
    assert plans[("Thing", "kind")] is not None
    assert plans[("Thing", "shout")] is None  # has a resolver
    assert plans[("Query", "things")] is None  # not a leaf


# The walk: whole selections completed in one pass, giving up to the standard path on
# anything it does not handle.


@strawberry.type
class Tag:
    name: str
    weight: int | None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Person:
    name: str
    age: int


@strawberry.type
class PenName(Named):
    age: int


@strawberry.type
class Book:
    title: str
    kind: Kind
    tags: list[Tag]
    editions: list[int | None] | None
    author: Person | None
    required_tags: list[Tag] | None = None

    @strawberry.field
    @speculative
    def shelved(self, info: strawberry.Info) -> list[Tag]:
        """Answers at once when the context has the tags ready, otherwise later."""
        info.context["paths"].append(tuple(info.path.as_list()))
        ready = info.context["ready"]
        if ready:
            return [Tag(name=f"{self.title}/shelf", weight=None)]

        async def later() -> list[Tag]:
            return [Tag(name=f"{self.title}/later", weight=1)]

        return later()  # type: ignore[return-value]

    @strawberry.field
    def unmarked(self) -> str:
        return self.title[::-1]

    @strawberry.field
    def named(self) -> Named | None:
        return PenName(name=self.author.name, age=self.author.age) if self.author else None


@strawberry.type
class Shelf:
    @strawberry.field
    def books(self) -> list[Book]:
        return [
            Book(
                title=f"livre {i}",
                kind=Kind.STATE if i % 2 else Kind.COMPANY,
                tags=[Tag(name=f"t{i}.{j}", weight=j or None) for j in range(3)],
                editions=[1, None, i],
                author=Person(name=f"auteur {i}", age=40 + i) if i != 1 else None,
                required_tags=[Tag(name="x", weight=1), None] if i == 2 else None,  # type: ignore[list-item]
            )
            for i in range(4)
        ]


SHELF = """query($withTags: Boolean!, $skipKind: Boolean!) {
  books {
    __typename title k: kind @skip(if: $skipKind)
    tags @include(if: $withTags) { name weight }
    ...More
    editions shelved { name weight }
    author { name age }
  }
}
fragment More on Book { tags { name } again: title }"""


def run_shelf(executor: type[Any], query: str, ready: bool, **variables: Any) -> Any:
    schema = strawberry.Schema(query=Shelf, types=[PenName], execution_context_class=executor)
    context: dict[str, Any] = {"ready": ready, "paths": []}
    result = asyncio.run(schema.execute(query, variable_values=variables, context_value=context))
    errors = [(e.message, list(e.path or [])) for e in result.errors or []]
    # the paths the resolver saw, each once (the walk may call it before giving up)
    return result.data, errors, sorted(set(context["paths"]))


def test_walk_answers_the_standard_answer_with_fragments_and_directives() -> None:
    for ready in (True, False):
        for with_tags in (True, False):
            variables = {"withTags": with_tags, "skipKind": not with_tags}
            CountingWalk.filled = CountingWalk.gave_up = 0
            fast = run_shelf(CountingWalk, SHELF, ready, **variables)
            assert fast == run_shelf(
                StrawberryGraphQLCoreExecutionContext, SHELF, ready, **variables
            )
            data, errors, paths = fast
            assert errors == []
            assert paths == [("books", i, "shelved") for i in range(4)]
            book = data["books"][3]
            assert book["__typename"] == "Book"
            assert book["again"] == "livre 3"
            assert ("k" in book) is with_tags
            assert book["tags"][0] == (
                {"name": "t3.0", "weight": None} if with_tags else {"name": "t3.0"}
            )
            assert book["editions"] == [1, None, 3]
            assert book["author"] == {"name": "auteur 3", "age": 43}
            assert data["books"][1]["author"] is None
            suffix = "shelf" if ready else "later"
            assert book["shelved"] == [
                {"name": f"livre 3/{suffix}", "weight": None if ready else 1}
            ]
            # 4 books, 12 tags, 4 shelved tags, 3 authors: each object walked once when
            # the shelved tags are ready
            if ready:
                assert (CountingWalk.filled, CountingWalk.gave_up) == (4 + 12 + 4 + 3, 0)
            else:
                # the walk gave up inside the first book, after its 3 tags; from then on
                # it gave up on entering the list and each book (once for the non-null
                # wrapper, once for the book) and completed only what lay below them
                assert (CountingWalk.filled, CountingWalk.gave_up) == (3 + 12 + 3 + 4, 1 + 1 + 8)


def test_walk_leaves_errors_abstract_types_and_plain_resolvers_to_the_standard_path() -> None:
    query = """{
      books { title unmarked named { name ... on PenName { age } } requiredTags { name } }
    }"""
    fast = run_shelf(ShortcutExecutionContext, query, True)
    standard = run_shelf(StrawberryGraphQLCoreExecutionContext, query, True)
    assert fast == standard
    data, errors, _ = fast
    assert data["books"][0]["unmarked"] == "0 ervil"
    assert data["books"][0]["named"] == {"name": "auteur 0", "age": 40}
    # requiredTags holds a null in a list of non-null tags: the list is nulled, with an error
    assert data["books"][2]["requiredTags"] is None
    assert errors == [
        (
            "Cannot return null for non-nullable field Book.requiredTags.",
            ["books", 2, "requiredTags", 1],
        )
    ]


def test_walk_closes_a_resolver_answer_it_does_not_use() -> None:
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data, errors, _ = run_shelf(
            ShortcutExecutionContext, "{ books { shelved { name } } }", False
        )
        gc.collect()
    assert errors == []
    assert data["books"][0]["shelved"] == [{"name": "livre 0/later"}]
    assert not [w for w in caught if "never awaited" in str(w.message)]


# Differential fuzzing: random data with every kind of bad value, random selections with
# aliases, fragments and directives; both executors must give the same data and errors.


@strawberry.type
class Part:
    label: str
    weight: int | None
    kind: Kind | None


@strawberry.type
class Box:
    code: strawberry.ID
    kind: Kind
    parts: list[Part]
    loose: list[Part | None] | None
    sizes: list[int | None] | None
    owner: Person | None
    badge: Named | None  # an interface: the walk leaves it to the standard path

    @strawberry.field
    @speculative
    def nested(self, info: strawberry.Info) -> list[Part] | None:
        ready = info.context["ready"]
        found: list[Part] | None = info.context["nested"].get(self.code)
        if ready:
            return found

        async def later() -> list[Part] | None:
            return found

        return later()  # type: ignore[return-value]


@strawberry.type
class Store:
    @strawberry.field
    def boxes(self, info: strawberry.Info) -> list[Box]:
        return info.context["boxes"]  # type: ignore[no-any-return]


def odd_value(rng: Any, good: Any) -> Any:
    """Mostly the good value; sometimes one a type refuses, or a null."""
    roll = rng.random()
    if roll < 0.85:
        return good
    return rng.choice([None, 2**40, {"x": 1}, "not-a-kind", 1.5, True, []])


def random_part(rng: Any) -> Part:
    return Part(
        label=odd_value(rng, f"p{rng.randrange(99)}"),
        weight=odd_value(rng, rng.randrange(-5, 5)),
        kind=odd_value(rng, rng.choice([Kind.STATE, Kind.COMPANY, None])),
    )


def random_boxes(rng: Any) -> tuple[list[Box], dict[str, list[Part] | None]]:
    boxes, nested = [], {}
    for i in range(rng.randrange(0, 5)):
        code = f"b{i}"
        boxes.append(
            Box(
                code=odd_value(rng, code),
                kind=odd_value(rng, rng.choice([Kind.STATE, Kind.COMPANY])),
                parts=odd_value(rng, [random_part(rng) for _ in range(rng.randrange(3))]),
                loose=odd_value(
                    rng, [random_part(rng) if rng.random() < 0.7 else None for _ in range(2)]
                ),
                sizes=odd_value(rng, [odd_value(rng, n) for n in range(rng.randrange(3))]),
                owner=odd_value(rng, Person(name=f"o{i}", age=odd_value(rng, 30 + i))),
                badge=odd_value(rng, PenName(name=f"n{i}", age=odd_value(rng, i))),
            )
        )
        nested[code] = odd_value(rng, [random_part(rng) for _ in range(rng.randrange(3))])
    return boxes, nested


PART_FIELDS = [("label", ""), ("weight", ""), ("kind", ""), ("__typename", "")]


def random_selection(rng: Any, fields: list[tuple[str, str]]) -> str:
    """Some of `fields` (name, sub-selection), with aliases and @skip/@include."""
    chosen = rng.sample(fields, rng.randrange(1, len(fields) + 1))
    out = []
    for name, below in chosen:
        alias = f"a{rng.randrange(3)}{name.strip('_')}: " if rng.random() < 0.2 else ""
        directive = rng.choice(["", "", "", " @skip(if: $flag)", " @include(if: $flag)"])
        out.append(f"{alias}{name}{directive} {below}".strip())
    return " ".join(out)


def random_query(rng: Any) -> str:
    def part() -> str:
        return "{ " + random_selection(rng, PART_FIELDS) + " }"

    box = [
        ("code", ""),
        ("kind", ""),
        ("__typename", ""),
        ("parts", part()),
        ("loose", part()),
        ("sizes", ""),
        ("owner", "{ name age }"),
        ("badge", "{ name ... on PenName { age } }"),
        ("nested", part()),
    ]
    return (
        "query($flag: Boolean!) { boxes { ...BoxBits "
        + random_selection(rng, box)
        + " } }\n"
        + "fragment BoxBits on Box { code @include(if: $flag) parts { label } }"
    )


def test_both_executors_agree_on_random_data_and_queries() -> None:
    import random

    for seed in range(300):
        rng = random.Random(seed)
        boxes, nested = random_boxes(rng)
        query = random_query(rng)
        ready = rng.random() < 0.7
        flag = rng.random() < 0.5
        answers = []
        for executor in (ShortcutExecutionContext, StrawberryGraphQLCoreExecutionContext):
            schema = strawberry.Schema(
                query=Store, types=[PenName], execution_context_class=executor
            )
            context = {"ready": ready, "boxes": boxes, "nested": nested}
            result = asyncio.run(
                schema.execute(query, variable_values={"flag": flag}, context_value=context)
            )
            errors = [(e.message, list(e.path or [])) for e in result.errors or []]
            answers.append((result.data, errors))
        assert answers[0] == answers[1], (seed, query)


def test_one_setting_turns_the_shortcuts_off(monkeypatch: Any) -> None:
    from api.graphql.schema import build_schema
    from api.settings import Settings

    assert build_schema(Settings()).execution_context_class is ShortcutExecutionContext
    monkeypatch.setenv("PARISCALL_GRAPHQL_SHORTCUTS", "false")
    standard = build_schema(Settings()).execution_context_class
    assert standard is not ShortcutExecutionContext
    assert issubclass(standard, StrawberryGraphQLCoreExecutionContext)
