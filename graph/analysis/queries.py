"""Statements of the duplicate analysis: texts and embeddings, links, suggested pairs.

Suggestions between initiatives are DUPLICATE_OF relationships, between recommendations
MAPS_TO ones; both are stored in one direction, from the smaller id to the larger, with
status 'candidate' until a person confirms or rejects them. A refresh writes the pairs it
found under a run id, then removes candidates of older runs; decided pairs are never
touched by it. Every write on a pair (a decision, storing or dropping a suggestion) takes
the write locks of both records first (graph/cypher/locking.py), so a person's decision
is never overwritten or dropped by a refresh running at the same time, and two decisions
on one pair leave one relationship.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from graph.cypher import each
from graph.cypher.locking import lock_pair
from schema.kinds import OUT, signals

# Per kind of record: its label, and the relationship its suggestions are stored as.
KINDS: dict[str, tuple[str, str]] = {
    "initiative": ("Initiative", "DUPLICATE_OF"),
    "recommendation": ("Recommendation", "MAPS_TO"),
}

# Records taking part, with what their embedding was computed from.
TEXTS: dict[str, str] = {
    "initiative": (
        "MATCH (n:Initiative) WHERE n.status <> 'archived' "
        "RETURN n.id AS id, n.title AS title, n.summary AS body, n.language AS language, "
        "null AS source_id, null AS parent_id, n.embedding_sha AS sha"
    ),
    "recommendation": (
        "MATCH (n:Recommendation) WHERE n.status = 'active' "
        "RETURN n.id AS id, n.title AS title, n.text AS body, n.language AS language, "
        "n.source_id AS source_id, n.parent_id AS parent_id, n.embedding_sha AS sha"
    ),
}

# Which records take part, per label (an archived initiative at the far end of a link
# does not count either).
_LIVE: dict[str, str] = {
    "Initiative": "{v}.status <> 'archived'",
    "Recommendation": "{v}.status = 'active'",
}


def _links(kind: str) -> str:
    """What each record links to, one row per link, through each relation of its kind
    that feeds the graph-overlap signal (`signal` in schema/kinds.py)."""
    label, _ = KINDS[kind]
    parts = []
    for relation in signals(label):
        edge = f"[r:{relation.type}]"
        if relation.direction is OUT:
            pattern = f"(n:{label})-{edge}->(x:{relation.far})"
        else:
            pattern = f"(x:{relation.far})-{edge}->(n:{label})"
        live = [_LIVE[label].format(v="n")]
        if relation.far == "Initiative":
            live.append(_LIVE["Initiative"].format(v="x"))
        parts.append(
            f"MATCH {pattern} WHERE {' AND '.join(live)} "
            f"RETURN n.id AS id, type(r) AS type, '{relation.far}' AS far, x.id AS other"
        )
    return " UNION ALL ".join(parts)


LINKS: dict[str, str] = {kind: _links(kind) for kind in KINDS}


def _stored(kind: str, *, a: str = "", b: str = "", either_way: bool = False) -> str:
    """The pattern `(a)-[r]->(b)` of a pair of `kind` as stored: two records and the
    relationship between them; `a`, `b` key an end by id (`"$a"`), and `either_way`
    matches the relationship whichever way it was stored."""
    label, rel = KINDS[kind]
    ends = [f" {{id: {key}}}" if key else "" for key in (a, b)]
    head = "-" if either_way else "->"
    return f"(a:{label}{ends[0]})-[r:{rel}]{head}(b:{label}{ends[1]})"


def _both(kind: str, a: str, b: str) -> str:
    """Match both records of a pair by id (`a`, `b`: what gives each id)."""
    label, _ = KINDS[kind]
    return f"MATCH (a:{label} {{id: {a}}}) MATCH (b:{label} {{id: {b}}}) "


def embeddings(kind: str) -> str:
    label, _ = KINDS[kind]
    return f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n.id AS id, n.embedding AS e"


# One node per kind of analysis holding the fingerprint of the inputs of its last run.
FINGERPRINT = "MATCH (s:AnalysisState {id: $kind}) RETURN s.fingerprint AS fingerprint"

SAVE_FINGERPRINT = (
    "MERGE (s:AnalysisState {id: $kind}) SET s.fingerprint = $fingerprint, s.at = $at "
    "RETURN s.id AS id"
)


# What a registry has learned about its duplicates (analysis/base_rate.py): its share of
# duplicates and the calibration refit on its decisions, as JSON. Recomputed from the
# decisions by every refresh, so it follows the registry through export and migration.
CALIBRATION = "MATCH (s:AnalysisState {id: $kind}) RETURN s.calibration AS calibration"

SAVE_CALIBRATION = (
    "MERGE (s:AnalysisState {id: $kind}) SET s.calibration = $calibration RETURN s.id AS id"
)

# The compared pairs scored below the stored floor, packed (analysis/unstored.py), so that
# every score a refresh computed can be listed. Recomputed by every refresh.
UNSTORED = "MATCH (s:AnalysisState {id: $kind}) RETURN s.unstored AS unstored"

SAVE_UNSTORED = "MERGE (s:AnalysisState {id: $kind}) SET s.unstored = $unstored RETURN s.id AS id"

# The initiatives a list of pairs may show (not archived), and whether a group tracks each.
INITIATIVES_IN_VIEW = (
    "MATCH (a:Initiative) WHERE a.status <> 'archived' "
    "OPTIONAL MATCH (a)<-[:TRACKS]-(g:WorkingGroup {id: $wg}) "
    "RETURN a.id AS id, count(g) > 0 AS tracked"
)


def save_embeddings(kind: str) -> str:
    label, _ = KINDS[kind]
    return (
        f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) "
        "SET n.embedding = row.embedding, n.embedding_sha = row.sha RETURN count(n) AS n"
    )


# Which initiative each merged one went into (graph/merging): its decisions count for it.
MERGES = "MATCH (m:Initiative)-[:MERGED_INTO]->(s:Initiative) RETURN m.id AS merged, s.id AS kept"


def decided_pairs(kind: str) -> str:
    return (
        f"MATCH {_stored(kind)} WHERE r.status <> 'candidate' "
        "RETURN a.id AS a, b.id AS b, r.status AS status"
    )


def save_candidates(kind: str) -> str:
    _, rel = KINDS[kind]
    return (
        "UNWIND $rows AS row "
        + _both(kind, "row.a", "row.b")
        + lock_pair("a", "b")
        + f"MERGE (a)-[r:{rel}]->(b) ON CREATE SET r.status = 'candidate' "
        "WITH r, row WHERE r.status = 'candidate' "
        "SET r += row.props, r.run = $run RETURN count(r) AS n"
    )


def drop_stale_candidates(kind: str) -> str:
    _, rel = KINDS[kind]
    stale = "r.status = 'candidate' AND (r.run IS NULL OR r.run <> $run) "
    return (
        f"MATCH {_stored(kind)} WHERE {stale}"
        "WITH DISTINCT a, b "
        + lock_pair("a", "b")
        + f"WITH a, b MATCH (a)-[r:{rel}]->(b) WHERE {stale}"
        "DELETE r RETURN count(*) AS n"
    )


_SCOPE = {
    "initiative": (
        "($wg IS NULL OR (a)<-[:TRACKS]-(:WorkingGroup {id: $wg}) "
        "OR (b)<-[:TRACKS]-(:WorkingGroup {id: $wg}))"
    ),
    "recommendation": (
        "($wg IS NULL OR (a)<-[:IMPLEMENTS]-(:Initiative)<-[:TRACKS]-(:WorkingGroup {id: $wg}) "
        "OR (b)<-[:IMPLEMENTS]-(:Initiative)<-[:TRACKS]-(:WorkingGroup {id: $wg}))"
    ),
}


def _pairs_where(kind: str, band: str = "") -> str:
    """`band`: the prefix of the filters' parameter names ($statuses, $min_score, $below)."""
    live = "a.status <> 'archived' AND b.status <> 'archived' AND "
    archived = live if kind == "initiative" else ""
    return (
        f"MATCH {_stored(kind)} "
        f"WHERE {archived}r.status IN ${band}statuses "
        f"AND (r.score IS NULL OR r.score >= ${band}min_score) "
        f"AND (${band}below IS NULL OR r.score < ${band}below) "
        f"AND {_SCOPE[kind]} "
    )


def list_pairs(kind: str, *, by_value: bool = False) -> str:
    """A page of suggested or decided pairs, best first; or (by_value) those whose
    decision teaches most first: the most uncertain, score nearest 1/2, where the expected
    loss of leaving the pair undecided, score * (1 - score), is largest."""
    return _list_part(kind, by_value=by_value)


def _list_part(kind: str, *, by_value: bool, band: str = "", returned: str = "") -> str:
    order = (
        "coalesce(r.score, 1.0) * (1.0 - coalesce(r.score, 1.0)) DESC, r.score DESC"
        if by_value
        else "coalesce(r.score, 1.0) DESC"
    )
    return (
        _pairs_where(kind, band) + f"RETURN {returned}a.id AS a, b.id AS b, r {{.*}} AS props "
        f"ORDER BY {order}, a, b SKIP ${band}skip LIMIT ${band}limit"
    )


def list_pairs_in_bands(kind: str, by_value: Sequence[bool]) -> str:
    """`list_pairs` of several bands in one read (the report's confirmed, likely and
    possible pairs): one part per band, each filtered, ordered and cut by its own
    parameters ($b0_statuses, $b0_min_score, $b0_below, $b0_skip, $b0_limit, ...; $wg
    shared), its index as `band`, and the titles of both ends (what the report shows)."""
    return " UNION ALL ".join(
        _list_part(
            kind,
            by_value=value,
            band=f"b{n}_",
            returned=f"{n} AS band, a.title AS a_title, b.title AS b_title, ",
        )
        for n, value in enumerate(by_value)
    )


def list_pairs_by_value(kind: str) -> str:
    return list_pairs(kind, by_value=True)


def count_pairs(kind: str) -> str:
    return _pairs_where(kind) + "RETURN count(r) AS n"


# `count_pairs` of initiatives for every working group and every band of $bands
# ({name, min_score, below}) in one read: the home page's counts. A pair counts for each
# group tracking either end (once when both): the groups of both ends are collected.
# One read instead of one per group and band (twelve on six groups: ~100 ms on FalkorDB
# at 10,000 initiatives, more on Neo4j, where each statement is a transaction).
COUNT_INITIATIVE_PAIRS_BY_GROUP = (
    "UNWIND $bands AS band "
    "MATCH (a:Initiative)-[r:DUPLICATE_OF]->(b:Initiative) "
    "WHERE a.status <> 'archived' AND b.status <> 'archived' AND r.status IN $statuses "
    "AND (r.score IS NULL OR r.score >= band.min_score) "
    "AND (band.below IS NULL OR r.score < band.below) "
    "OPTIONAL MATCH (wa:WorkingGroup)-[:TRACKS]->(a) "
    "WITH band, r, b, collect(wa.id) AS of_a "
    "OPTIONAL MATCH (wb:WorkingGroup)-[:TRACKS]->(b) "
    "WITH band, r, of_a, collect(wb.id) AS of_b "  # FalkorDB: no `of_a + collect(..)`
    "UNWIND of_a + of_b AS wg "
    "RETURN wg, band.name AS band, count(DISTINCT r) AS n"
)


def pair(kind: str) -> str:
    """The stored relationship between two records, in whichever direction it was stored."""
    stored = _stored(kind, a="$a", b="$b", either_way=True)
    return f"MATCH {stored} RETURN startNode(r).id AS source, r {{.*}} AS props"


def decide(kind: str) -> str:
    """Record a person's decision on a pair (creating the relationship if none was stored)."""
    _, rel = KINDS[kind]
    return (
        _both(kind, "$a", "$b")
        + lock_pair("a", "b")
        + f"WITH a, b OPTIONAL MATCH (b)-[old:{rel}]->(a) "
        "WITH a, b, old, properties(old) AS kept DELETE old "
        f"MERGE (a)-[r:{rel}]->(b) "
        "SET r += coalesce(kept, {}), r += $props "
        "RETURN r {.*} AS props"
    )


# Accepted crosswalks, for the OSCAL export.
ACCEPTED_MAPPINGS = (
    "MATCH (a:Recommendation)-[r:MAPS_TO]->(b:Recommendation) WHERE r.status = 'confirmed' "
    "RETURN a.id AS a, a.ref AS a_ref, a.source_id AS a_source, "
    "b.id AS b, b.ref AS b_ref, b.source_id AS b_source, r {.*} AS props "
    "ORDER BY a_source, b_source, a, b"
)

SOURCES_BY_ID = (
    "UNWIND $ids AS key MATCH (s:Source {id: key}) "
    "RETURN s.id AS id, s.title AS title, s.urn AS urn, s.url AS url, s.version AS version"
)


def variants() -> Iterator[tuple[str, str]]:
    for kind in KINDS:
        yield f"TEXTS[{kind}]", TEXTS[kind]
        yield f"LINKS[{kind}]", LINKS[kind]
        # the report's three bands (best first, best first, by value)
        yield f"list_pairs_in_bands[{kind}]", list_pairs_in_bands(kind, [False, False, True])
    yield from each(
        KINDS,
        embeddings,
        save_embeddings,
        decided_pairs,
        save_candidates,
        drop_stale_candidates,
        list_pairs,
        list_pairs_by_value,
        count_pairs,
        pair,
        decide,
    )
