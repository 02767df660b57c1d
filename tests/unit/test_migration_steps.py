"""The data migrations' table keeps its rules: versions in order, names that say what
changes, statements that report what they changed; a step's checksum follows its words,
not its layout."""

from __future__ import annotations

import re

from graph.backends import Backend
from graph.migrations.steps import STEPS, Step


def test_versions_count_up_from_one_and_names_say_what_changes() -> None:
    assert [step.version for step in STEPS] == list(range(1, len(STEPS) + 1))
    assert len({step.name for step in STEPS}) == len(STEPS)
    for step in STEPS:
        assert re.fullmatch(r"[a-z][a-z0-9_]+", step.name), step.name
        assert step.description.strip(), step.name


def test_every_statement_reports_what_it_changed() -> None:
    for step in STEPS:
        for backend in Backend:
            for text in step.texts(backend):
                assert re.search(r"\bAS changed\b", text), (step.name, text)
                assert ("$batch" in text) == step.batched, (step.name, text)


def test_checksum_follows_the_words_not_the_layout() -> None:
    one = Step(
        1, "topics_labels", "why", ("MATCH (t:Topic) SET t.x = 1 RETURN count(t) AS changed",)
    )
    reflowed = Step(
        1,
        "topics_labels",
        "why, said otherwise",
        ("MATCH (t:Topic)\n  SET t.x = 1\n  RETURN count(t) AS changed",),
    )
    changed = Step(
        1, "topics_labels", "why", ("MATCH (t:Topic) SET t.x = 2 RETURN count(t) AS changed",)
    )
    assert one.checksum == reflowed.checksum
    assert one.checksum != changed.checksum
    assert len(one.checksum) == 16


def test_a_statement_given_per_engine_counts_each_engine_in_the_checksum() -> None:
    def per_engine(backend: Backend) -> str:
        return f"MATCH (t:Topic) SET t.engine = '{backend}' RETURN count(t) AS changed"

    step = Step(1, "topics_engine", "why", (per_engine,))
    assert step.texts(Backend.NEO4J) != step.texts(Backend.FALKORDB)
    same_on_neo4j = Step(1, "topics_engine", "why", (per_engine(Backend.NEO4J),))
    assert step.checksum != same_on_neo4j.checksum
