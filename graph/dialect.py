"""The few statements that differ between Neo4j and FalkorDB.

Everything else is written once in the Cypher subset both engines run. Here live the
schema DDL (unique keys, range and full-text indexes), the full-text query procedure
and the rewriting of user search text into each engine's query syntax. Labels and
property names come from schema.graph_shape, never from user input.

Divergences found by running every graph test on both engines (Neo4j 5.26 Community
through tests/neo4j_launcher, FalkorDB 4.16 embedded), and how each was settled:
- DDL and full-text: different procedures and query languages (Lucene, RediSearch):
  generated here, per engine; user text is reduced to words before it reaches either.
- Array properties: Neo4j re-reads a whole array property at every `b.c_x[i]`, which
  made publishing a 20,000-record import take 33 s; FalkorDB indexes in memory. Staged
  batches are read once into a map (`b {.*} AS col`, graph/imports/queries.py): 5 s.
- Array types: Neo4j stores arrays of one type only (FalkorDB mixes them): a staged
  column of integers and decimals is written as decimals (graph/imports/repository.py).
- Deleted nodes: FalkorDB's label scan of an indexed label may return nodes a previous
  statement deleted, and reading their properties crashes it; the import stage label
  carries no index (schema.graph_shape.UNINDEXED; reproduction in
  tests/integration/test_engine_quirks.py).
- Planning: Neo4j plans on sampled statistics, and after a bulk load planned
  `UNWIND $ids AS key MATCH (a {id: key})` (and even `a.id IN $ids`) as a scan of the
  whole id index; look-ups by many ids are written `WHERE a.id IN $ids`, and the
  adapter resamples outdated indexes when it applies the schema (NEO4J_RESAMPLE).
- Lazy CASE: beside a map projection in the same WITH, FalkorDB evaluated a CASE's ELSE
  branch for a null batch and `range()` refused the null bound (an import that only
  withdraws failed); the bound is coalesced (graph/imports/queries.py, batch_rows).
- Aggregates in expressions: FalkorDB answered null for `x + count(y)` in a RETURN that
  also aggregates; statements return aggregates as their own columns.
- Concurrent writes: FalkorDB runs one write at a time once the adapter sends each inside
  MULTI/EXEC (sent plainly, simultaneous first MERGEs of a new relationship type stored
  it twice; test_engine_quirks.py); Neo4j runs them concurrently under
  read-committed isolation, and a `WHERE` guard read before the write lock let twenty
  same-version updates all through. Guarded statements take the lock first, in text
  both engines run (graph/cypher/locking.py; raced in tests/integration/
  test_concurrent_writes.py).
- Unreachable engine: the embedded engine is found again after a restart (its port is
  in engine.json); Neo4j's driver retries transient errors in managed transactions, and
  routes `neo4j://` URLs (tested against a single server).
- Subqueries: the planned reads (graph/planning) nest CALL subqueries; Neo4j 5.23+
  wants their imports in a scope clause, `CALL (n) { … }`, and warns on every run of the
  importing `CALL { WITH n … }`, the only form FalkorDB parses (`subquery`). COLLECT {}
  and COUNT {} subqueries are Neo4j's only, and FalkorDB answered a pattern
  comprehension nested in another's map with null: the planner uses neither.
Everything else (ordering with ties broken by id, null handling, integer and float
types, list properties, datetimes kept as ISO strings, error translation) behaved the
same on both, as the suite shows by running on each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graph.backends import Backend
from schema.graph_shape import (
    FULLTEXT_INDEXES,
    KEYED_LABELS,
    RANGE_INDEXES,
    UNIQUE_KEY,
    FullTextIndex,
)
from schema.kinds import snake

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SEARCH_TERMS = 12


@dataclass(frozen=True)
class UniqueKey:
    label: str
    property: str


def neo4j_schema_statements() -> list[str]:
    """Idempotent DDL for Neo4j 5 (every statement uses IF NOT EXISTS)."""
    statements = [
        f"CREATE CONSTRAINT {snake(label)}_{UNIQUE_KEY} IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.{UNIQUE_KEY} IS UNIQUE"
        for label in KEYED_LABELS
    ]
    for label, properties in RANGE_INDEXES.items():
        statements += [
            f"CREATE INDEX {snake(label)}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
            for prop in properties
        ]
    for index in FULLTEXT_INDEXES:
        fields = ", ".join(f"n.{prop}" for prop in index.properties)
        statements.append(
            f"CREATE FULLTEXT INDEX {index.name} IF NOT EXISTS "
            f"FOR (n:{index.label}) ON EACH [{fields}]"
        )
    return statements


def falkordb_range_indexes() -> list[tuple[str, str]]:
    """(label, property) pairs that need an exact-match index, unique keys first."""
    pairs = [(label, UNIQUE_KEY) for label in KEYED_LABELS]
    for label, properties in RANGE_INDEXES.items():
        pairs += [(label, prop) for prop in properties]
    return pairs


def falkordb_range_index_statement(label: str, prop: str) -> str:
    return f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"


def falkordb_fulltext_statement(index: FullTextIndex) -> str:
    quoted = ", ".join(f"'{prop}'" for prop in index.properties)
    return f"CALL db.idx.fulltext.createNodeIndex('{index.label}', {quoted})"


def falkordb_unique_keys() -> list[UniqueKey]:
    return [UniqueKey(label, UNIQUE_KEY) for label in KEYED_LABELS]


NEO4J_RESAMPLE = "CALL db.resampleOutdatedIndexes()"

FALKORDB_LIST_INDEXES = (
    "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types"
)
FALKORDB_LIST_CONSTRAINTS = (
    "CALL db.constraints() YIELD type, label, properties, entitytype "
    "RETURN type, label, properties, entitytype"
)


def fulltext_query(backend: Backend, index: FullTextIndex) -> str:
    """Ranked ids for a full-text query; parameters $query and $limit."""
    if backend.can.lucene_fulltext:
        call = f"CALL db.index.fulltext.queryNodes('{index.name}', $query)"
    else:
        call = f"CALL db.idx.fulltext.queryNodes('{index.label}', $query)"
    return (
        f"{call} YIELD node, score RETURN node.id AS id, score ORDER BY score DESC, id LIMIT $limit"
    )


def search_words(text: str) -> list[str]:
    """The words of free text a search looks for, lower-cased, at most MAX_SEARCH_TERMS."""
    return [w.lower() for w in _WORD.findall(text)][:MAX_SEARCH_TERMS]


def fulltext_terms(
    backend: Backend,
    text: str,
    variants: Callable[[str], Iterable[str]] | None = None,
    *,
    any_word: bool = False,
) -> str | None:
    """Turn free text into a safe query for the engine: words only, all required (any of
    them with `any_word`, the broader query a search runs when all of them find little).

    Both engines have their own query languages (Lucene for Neo4j, RediSearch for
    FalkorDB) in which quotes, dashes and brackets are operators; keeping word
    characters only means any user text is a valid query meaning "all these words",
    with the last word also matched as a prefix while the user is typing. `variants`
    gives other spellings each word may match (the accented words of the registry that
    fold to it: neither engine's analyser folds accents the same way), any of which
    counts.
    """
    words = search_words(text)
    if not words:
        return None
    groups = []
    for n, word in enumerate(words):
        spellings = sorted({word, *(variants(word) if variants else ())})
        if n == len(words) - 1:
            spellings = [f"{s}*" for s in spellings]
        groups.append(spellings)
    if backend.can.lucene_fulltext:
        joined = " OR " if any_word else " AND "
        return joined.join(f"({' OR '.join(g)})" if len(g) > 1 else g[0] for g in groups)
    joined = " | " if any_word else " "
    return joined.join(f"({'|'.join(g)})" if len(g) > 1 else g[0] for g in groups)


def subquery(backend: Backend, imported: str, body: str) -> str:
    """A CALL subquery running `body` per row, with the variable `imported` in scope
    (none when empty)."""
    if backend.can.scoped_subqueries:
        return f"CALL ({imported}) {{ {body} }}"
    return f"CALL {{ WITH {imported} {body} }}" if imported else f"CALL {{ {body} }}"


def claim_deliveries(backend: Backend) -> str:
    """The statement claiming due webhook deliveries (see graph/webhooks/queries.py)."""
    from graph.webhooks import queries as webhooks

    if backend.can.reads_own_writes:
        return webhooks.CLAIM_DUE_LOCKING
    return webhooks.CLAIM_DUE_SERIAL
