"""The two engines as one enumeration, each with what it can and cannot do.

Code that differs between Neo4j and FalkorDB asks a capability ("does a full-text query
take Lucene syntax?") instead of comparing engine names, so that the reason for each
difference is named where it is used, and a third engine is one more row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Backend(StrEnum):
    NEO4J = "neo4j"
    FALKORDB = "falkordb"

    @property
    def can(self) -> Capabilities:
        return CAPABILITIES[self]


@dataclass(frozen=True)
class Capabilities:
    # Full-text indexes are queried by index name in Lucene syntax (`a AND (b OR c*)`);
    # otherwise by label in RediSearch syntax (`a (b|c*)`).
    lucene_fulltext: bool
    # A property set earlier in a statement reads back changed later in it, so due
    # webhook deliveries can be claimed in one locking statement; FalkorDB misreads it and
    # claims them one statement at a time (graph/webhooks/queries.py).
    reads_own_writes: bool
    # The engine is a Redis server: its publish/subscribe carries events between the
    # service's workers without another server (api/delivery/events.py).
    redis_protocol: bool
    # A CALL subquery names what it imports in a scope clause, `CALL (n) { … }`; the
    # importing `CALL { WITH n … }` is deprecated there (Neo4j 5.23+ warns on every run)
    # and the only form FalkorDB parses (graph/dialect.subquery).
    scoped_subqueries: bool = False
    # An operation's planned root fields are read in one statement, a CALL subquery each:
    # on Neo4j every statement of a transaction is a round trip of its own (RUN and PULL
    # after the first), which the dashboard's two root fields paid. FalkorDB runs reads
    # sent side by side on its own threads, in parallel, and one statement would queue
    # them: there they stay apart.
    reads_combined: bool = False


CAPABILITIES = {
    Backend.NEO4J: Capabilities(
        lucene_fulltext=True,
        reads_own_writes=True,
        redis_protocol=False,
        scoped_subqueries=True,
        reads_combined=True,
    ),
    Backend.FALKORDB: Capabilities(
        lucene_fulltext=False, reads_own_writes=False, redis_protocol=True
    ),
}
