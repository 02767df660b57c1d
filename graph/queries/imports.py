"""Statements of the staged, all-or-nothing import of a recommendation set.

An import stages new and changed records as StagedRecommendation nodes (a label no query
of the registry reads), then publishes everything in ONE statement: the source, the
records, withdrawals and parent links. A crash before publishing leaves only staged
nodes, which the next import removes; the registry itself is never half-written.
"""

EXISTING = (
    "MATCH (r:Recommendation {source_id: $source}) "
    "RETURN r.id AS id, r.content_sha AS sha, r.status AS status"
)

SOURCE_SHA = "MATCH (s:Source {id: $source}) RETURN s.content_sha AS sha"

START_RUN = "CREATE (r:ImportRun) SET r = $props RETURN r.id AS id"

STAGE = "UNWIND $rows AS row CREATE (x:StagedRecommendation) SET x = row RETURN count(x) AS n"

PUBLISH = (
    "MATCH (run:ImportRun {id: $run}) "
    "MERGE (src:Source {id: $source.id}) SET src += $source "
    "SET run.status = 'published', run += $counts "
    "WITH run, src "
    "OPTIONAL MATCH (s:StagedRecommendation {stage_run: $run}) "
    "WITH run, src, collect(s) AS staged "
    # New records (per the plan) are created, which is faster than MERGE; should one
    # exist by now, its unique key fails the whole statement and nothing is published.
    "FOREACH (s IN [x IN staged WHERE x.stage_op = 'create'] | "
    "CREATE (n:Recommendation) SET n = properties(s) REMOVE n.stage_run, n.stage_op "
    "CREATE (n)-[:PART_OF]->(src) DELETE s) "
    "FOREACH (s IN [x IN staged WHERE x.stage_op = 'update'] | "
    "MERGE (n:Recommendation {id: s.id}) SET n = properties(s) REMOVE n.stage_run, n.stage_op "
    "MERGE (n)-[:PART_OF]->(src) DELETE s) "
    "WITH run, src "
    "OPTIONAL MATCH (w:Recommendation {source_id: src.id}) WHERE w.id IN $withdrawn "
    "WITH run, src, collect(w) AS gone "
    "FOREACH (w IN gone | SET w.status = 'withdrawn', w.import_run = $run) "
    # Topic links of the records this run wrote, replaced as a whole.
    "WITH DISTINCT src "
    "OPTIONAL MATCH (:Recommendation {import_run: $run})-[oldt:ADDRESSES]->(:Topic) "
    "DELETE oldt "
    "WITH DISTINCT src "
    "OPTIONAL MATCH (c:Recommendation {import_run: $run}) "
    "OPTIONAL MATCH (t:Topic) WHERE t.id IN coalesce(c.topics, []) "
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
    "WITH r OPTIONAL MATCH (x:StagedRecommendation {stage_run: $run}) "
    "DETACH DELETE x RETURN count(x) AS n"
)

FAIL_RUN = (
    "MATCH (r:ImportRun {id: $run}) SET r.status = 'failed', r.error = $error "
    "WITH r OPTIONAL MATCH (x:StagedRecommendation {stage_run: $run}) "
    "DETACH DELETE x RETURN count(x) AS n"
)

RECORD_UNCHANGED_RUN = (
    "MATCH (r:ImportRun {id: $run}) SET r.status = 'unchanged', r += $counts RETURN r.id AS id"
)

STAGED_COUNT = "MATCH (x:StagedRecommendation) RETURN count(x) AS n"
