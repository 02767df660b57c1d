"""Statements of the staged, all-or-nothing import of a recommendation set.

An import stages new and changed records in ImportStage nodes (a label no query of the
registry reads), then publishes everything in ONE statement: the source, the records,
withdrawals, topic and parent links. A crash before publishing leaves only staged
batches, which the next import removes; the registry itself is never half-written.

A batch holds up to a thousand records as columns: one array property per record field
(`c_<field>`), plus a presence array (`h_<field>`) when some records lack the field,
since graph properties hold arrays of scalars only (no nulls, no nested lists; list
fields travel as strings joined by LIST_SEPARATOR). Staging a hundred batch nodes
instead of a hundred thousand record nodes, and deleting them after, was most of the
cost of writing every record twice.
"""

from schema.models import Recommendation

# The staging label carries no index and no unique key, on purpose. FalkorDB 4.16 keeps
# nodes of an indexed label that a statement read and another deleted (staged batches
# of an import of 20,000 records or more) in its label scan: `MATCH (b:<label>)` then
# returns deleted nodes, and reading their properties crashes the engine (see
# tests/integration/test_engine_quirks.py). Without an index no such node is left; the
# label scan over a few dozen batches costs nothing. The label was `StagedBatch` until
# schema version 5: graphs written before may hold such dead nodes under that name, so
# no statement names it any more.
STAGE_LABEL = "ImportStage"

STAGED_FIELDS: tuple[str, ...] = (*Recommendation.model_fields, "stage_op")
LIST_FIELDS: frozenset[str] = frozenset({"topics"})
# Unit separator: cannot occur in a slug, the only list items staged (topic ids).
LIST_SEPARATOR = "\x1f"


def staged_value(name: str, list_fields: frozenset[str] = LIST_FIELDS) -> str:
    """`name: value` of the record at position i of the batch columns `col`."""
    value = f"col.c_{name}[i]"
    if name in list_fields:
        value = f"[x IN split({value}, $separator) WHERE x <> '']"
    return f"{name}: CASE WHEN coalesce(col.h_{name}[i], true) THEN {value} END"


# The record at position i of batch b, as a map (absent fields are null, so not set).
_RECORD = "{" + ", ".join(staged_value(n) for n in STAGED_FIELDS if n != "stage_op") + "}"


# One row per staged record (col, i) of the batches matched as b; a single null row when
# there is none, so that the rest of the statement still runs. A batch's columns are read
# once into `col`: Neo4j reads a whole array property again at every `b.c_x[i]`, which
# made publishing 20,000 records take 33 s instead of 2.
def batch_rows(keep: str) -> str:
    """The clauses turning matched batches `b` into (col, i) rows, keeping `keep`."""
    # coalesce: beside a map projection FalkorDB evaluates the ELSE branch even when b is
    # null, and range() refuses a null bound.
    return (
        f"WITH {keep}, b {{.*}} AS col, "
        "CASE WHEN b IS NULL THEN [null] ELSE range(0, coalesce(size(b.c_id), 0) - 1) END AS at "
        "UNWIND at AS i "
    )


EXISTING = (
    "MATCH (r:Recommendation {source_id: $source}) "
    "RETURN r.id AS id, r.content_sha AS sha, r.status AS status"
)

SOURCE_SHA = "MATCH (s:Source {id: $source}) RETURN s.content_sha AS sha"

START_RUN = "CREATE (r:ImportRun) SET r = $props RETURN r.id AS id"

STAGE = "CREATE (b:ImportStage) SET b = $batch RETURN b.id AS id"

# The run's audit event is written by the statement that publishes it.
_EVENT = "CREATE (audit_event:AuditEvent) SET audit_event = $audit "

PUBLISH = (
    "MATCH (run:ImportRun {id: $run}) "
    + _EVENT
    + "MERGE (src:Source {id: $source.id}) SET src += $source "
    "SET run.status = 'published', run += $counts "
    "WITH run, src "
    "OPTIONAL MATCH (b:ImportStage {stage_run: $run}) "
    + batch_rows("src")
    + f"WITH src, col.c_stage_op[i] AS op, {_RECORD} AS record "
    # New records (per the plan) are created, which is faster than MERGE; should one
    # exist by now, its unique key fails the whole statement and nothing is published.
    "FOREACH (_ IN CASE WHEN op = 'create' THEN [1] ELSE [] END | "
    "CREATE (n:Recommendation) SET n = record CREATE (n)-[:PART_OF]->(src)) "
    "FOREACH (_ IN CASE WHEN op = 'update' THEN [1] ELSE [] END | "
    "MERGE (n:Recommendation {id: record.id}) SET n = record MERGE (n)-[:PART_OF]->(src)) "
    "WITH DISTINCT src "
    "OPTIONAL MATCH (b:ImportStage {stage_run: $run}) "
    "DELETE b "
    "WITH DISTINCT src "
    "OPTIONAL MATCH (w:Recommendation {source_id: src.id}) WHERE w.id IN $withdrawn "
    "WITH src, collect(w) AS gone "
    "FOREACH (w IN gone | SET w.status = 'withdrawn', w.import_run = $run) "
    # Topic links of the records this run wrote, replaced as a whole.
    "WITH DISTINCT src "
    "OPTIONAL MATCH (:Recommendation {import_run: $run})-[oldt:ADDRESSES]->(:Topic) "
    "DELETE oldt "
    "WITH DISTINCT src "
    "OPTIONAL MATCH (c:Recommendation {import_run: $run}) WHERE size(c.topics) > 0 "
    "OPTIONAL MATCH (t:Topic) WHERE t.id IN c.topics "
    "WITH src, c, collect(t) AS topics "
    "FOREACH (t IN topics | MERGE (c)-[:ADDRESSES]->(t)) "
    # Parent links of the records this run wrote, replaced as a whole.
    "WITH DISTINCT src "
    "MATCH (c:Recommendation {import_run: $run}) "
    "OPTIONAL MATCH (c)-[old:PART_OF]->(:Recommendation) "
    "DELETE old "
    "WITH DISTINCT c WHERE c.parent_id IS NOT NULL "
    "MATCH (p:Recommendation {id: c.parent_id}) "
    "MERGE (c)-[:PART_OF]->(p) "
    "RETURN count(*) AS linked"
)

# Runs still marked as staging: their importer may be alive elsewhere, or dead.
STAGING_RUNS = (
    "MATCH (r:ImportRun {status: 'staging'}) "
    "RETURN r.id AS id, r.host AS host, r.pid AS pid, r.started_at AS started_at"
)

ABANDON_RUN = (
    "MATCH (r:ImportRun {id: $run}) SET r.status = 'abandoned' "
    "WITH r OPTIONAL MATCH (x:ImportStage {stage_run: $run}) "
    "DETACH DELETE x RETURN count(x) AS n"
)

FAIL_RUN = (
    "MATCH (r:ImportRun {id: $run}) SET r.status = 'failed', r.error = $error "
    "WITH r OPTIONAL MATCH (x:ImportStage {stage_run: $run}) "
    "DETACH DELETE x RETURN count(x) AS n"
)

RECORD_UNCHANGED_RUN = (
    "MATCH (r:ImportRun {id: $run}) SET r.status = 'unchanged', r += $counts RETURN r.id AS id"
)

STAGED_COUNT = "MATCH (x:ImportStage) RETURN count(x) AS n"

# The history of imports, newest first, for the API (host and pid stay internal).
_RUN_FILTER = (
    "MATCH (r:ImportRun) "
    "WHERE ($source IS NULL OR r.source_id = $source) "
    "AND ($status IS NULL OR r.status = $status) "
)

IMPORT_RUNS = (
    _RUN_FILTER + "WITH r ORDER BY r.started_at DESC, r.id SKIP $skip LIMIT $limit "
    "RETURN r {.id, .status, .source_id, .kind, .file, .file_sha256, .format, .started_at, "
    ".actor, .error, .created, .updated, .unchanged, .withdrawn, .skipped} AS run"
)

IMPORT_RUN_COUNT = _RUN_FILTER + "RETURN count(r) AS n"

# The sources a crosswalk run linked: its links carry the mapping's URN or uuid.
CROSSWALK_SOURCES = (
    "MATCH (a:Recommendation)-[m:MAPS_TO]->(b:Recommendation) WHERE m.mapping IN $mappings "
    "RETURN m.mapping AS mapping, collect(DISTINCT a.source_id) AS a, "
    "collect(DISTINCT b.source_id) AS b"
)
