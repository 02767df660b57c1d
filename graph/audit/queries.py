"""Audited forms of the mutation statements, and the audit log queries.

A statement ending in `RETURN count(x) AS n` becomes `WITH count(x) AS n WHERE n > 0
CREATE (event) ... RETURN n`: the event exists only when something was written. Any
other statement (they return one row per change) gets `WITH * CREATE (event)` before its
final RETURN: no row, no event.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_COUNT = re.compile(r"RETURN count\(((?:DISTINCT )?\w+|\*)\) AS n$")
_EVENT = "CREATE (audit_event:AuditEvent) SET audit_event = $audit "
# A file import's run record, written by the same statement as the data it describes.
_RUN = "CREATE (import_run:ImportRun) SET import_run = $import_run "


def audited(statement: str, *, run: bool = False) -> str:
    """`statement` writing its audit event (and, with `run`, its import run record)."""
    statement = statement.rstrip()
    counted = _COUNT.search(statement)
    if counted:
        body = statement[: counted.start()]
        extra = _RUN if run else ""
        return f"{body}WITH count({counted.group(1)}) AS n WHERE n > 0 {_EVENT}{extra}RETURN n"
    if run:
        raise ValueError("a statement recording an import run must end in RETURN count(x) AS n")
    cut = statement.rfind(" RETURN ")
    if cut < 0:
        raise ValueError("an audited statement must end with RETURN")
    return f"{statement[:cut]} WITH * {_EVENT}{statement[cut + 1 :]}"


_LOG_WHERE = (
    "WHERE ($target IS NULL OR $target IN e.targets) "
    "AND ($actor IS NULL OR e.actor = $actor) "
    "AND ($since IS NULL OR e.at >= $since) "
    "AND ($scope IS NULL OR any(w IN e.working_groups WHERE w IN $scope)) "
)

AUDIT_LOG = (
    "MATCH (e:AuditEvent) " + _LOG_WHERE + "RETURN e {.*} AS event "
    "ORDER BY e.at DESC, e.id SKIP $skip LIMIT $limit"
)

AUDIT_COUNT = "MATCH (e:AuditEvent) " + _LOG_WHERE + "RETURN count(e) AS n"

AUDIT_EXPORT = "MATCH (e:AuditEvent) RETURN e {.*} AS event ORDER BY e.at, e.id"


def variants() -> Iterator[tuple[str, str]]:
    """Every mutation statement in its audited form, for the Cypher lint."""
    from graph.analysis import queries as analysis
    from graph.collaboration import queries as collaboration
    from graph.curation import queries as initiatives
    from graph.discussion import queries as discussion
    from graph.invitations import queries as invitations
    from graph.links import queries as links
    from graph.merging import queries as merging
    from graph.nodes import queries as nodes
    from graph.relationships import queries as relationships
    from graph.webhooks import queries as webhooks

    plain = [
        initiatives.CREATE_WITH_LINKS,
        initiatives.UPDATE_IF_VERSION,
        relationships.MERGE_CONTRIBUTIONS,
        relationships.DELETE_CONTRIBUTION,
        relationships.MERGE_MEMBERSHIPS,
        relationships.DELETE_MEMBERSHIP,
        merging.MERGE,
        merging.UNMERGE,
        analysis.SAVE_FINGERPRINT,
        *collaboration.WRITES,
        *discussion.WRITES,
        *webhooks.WRITES,
        *invitations.WRITES,
    ]
    plain += [links.merge_links(name) for name in links.LINKS]
    plain += [links.delete_links(name) for name in links.LINKS]
    plain += [nodes.create(label) for label in ("Signatory", "WorkingGroup", "Topic")]
    plain += [nodes.upsert(label) for label in ("Signatory", "WorkingGroup", "Topic")]
    plain += [analysis.decide(kind) for kind in analysis.KINDS]
    for n, statement in enumerate(plain):
        yield f"audited[{n}]", audited(statement)
    sheets = [initiatives.UPSERT_ROWS_WITH_LINKS, nodes.upsert("Signatory")]
    sheets.append(relationships.MERGE_MEMBERSHIPS)
    for n, statement in enumerate(sheets):
        yield f"audited_run[{n}]", audited(statement, run=True)
