"""Comments of discussion threads, keyed by the thing discussed (schema.discussion)."""

from __future__ import annotations

from graph.cypher.locking import lock

ADD_COMMENT = "CREATE (c:Comment) SET c = $props RETURN c {.*} AS comment"

# An edit keeps the earlier wording; it applies only to the wording the author saw (read
# under the comment's write lock, graph/cypher/locking.py).
EDIT_COMMENT = (
    "MATCH (c:Comment {id: $id}) " + lock("c") + "WITH c "
    "WHERE c.deleted_at IS NULL AND c.body = $seen "
    "SET c.history = coalesce(c.history, []) + [c.body], c.body = $body, c.edited_at = $at "
    "RETURN c {.*} AS comment"
)

DELETE_COMMENT = (
    "MATCH (c:Comment {id: $id}) " + lock("c") + "WITH c WHERE c.deleted_at IS NULL "
    "SET c.deleted_at = $at, c.deleted_by = $by RETURN c {.*} AS comment"
)

COMMENT = "MATCH (c:Comment {id: $id}) RETURN c {.*} AS comment"

THREAD = (
    "MATCH (c:Comment {subject: $subject}) RETURN c {.*} AS comment "
    "ORDER BY c.created_at, c.id SKIP $skip LIMIT $limit"
)

THREAD_COUNT = "MATCH (c:Comment {subject: $subject}) RETURN count(c) AS n"

WRITES: tuple[str, ...] = (ADD_COMMENT, EDIT_COMMENT, DELETE_COMMENT)
