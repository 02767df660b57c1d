"""Guarded writes: take the write lock of what a guard reads before reading it.

A guarded write applies only if the graph is still as its caller read it (`WHERE
i.version = $version`, `WHERE p.state = 'open'`, no open proposal yet). Neo4j runs write
transactions concurrently under read-committed isolation and takes a node's write lock
only when it first writes to it: a guard read before that sees the state every other
client saw, so twenty clients that read the same version all pass it, queue on the lock
and all write ("lost updates", Neo4j operations manual, "Concurrent data access"). The
manual's remedy is to write to the node first: the statement then waits for any other
transaction holding its lock to commit, and whatever it reads about the node afterwards
is the committed state, with no other writer in the middle until it commits.

`lock` writes a property and removes it at once, so nothing is stored; FalkorDB runs one
write at a time (its adapter sends each inside MULTI/EXEC) and gives the clauses no
meaning. Every guarded statement starts with
them, on the nodes its guard reads: a statement whose guard is about relationships
(an open proposal of this initiative to this group, a suggestion between two records)
locks the node(s) every competing writer also locks. Two nodes are locked in id order,
so that two statements locking the same pair never wait for each other in a cycle.
"""

from __future__ import annotations

# Never stored: set and removed within one statement (schema.graph_shape does not know it).
LOCK = "_lock"


def lock(*variables: str) -> str:
    """Clauses taking the write lock of each bound node or relationship variable."""
    sets = ", ".join(f"{v}.{LOCK} = true" for v in variables)
    removes = ", ".join(f"{v}.{LOCK}" for v in variables)
    return f"SET {sets} REMOVE {removes} "


def lock_pair(a: str, b: str) -> str:
    """Clauses taking the write locks of two bound nodes, the smaller id first."""
    ordered = f"CASE WHEN {a}.id < {b}.id THEN [{a}, {b}] ELSE [{b}, {a}] END"
    return f"FOREACH (locked IN {ordered} | {lock('locked').strip()}) "
