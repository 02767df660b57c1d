"""Merge one initiative into another and undo it, each in one atomic statement.

A merge moves every link of the merged initiative (what it implements, addresses and
advances, the groups tracking it, its contributors and their roles) to the survivor,
archives the merged one and records a MERGED_INTO relationship holding what moved. The
unmerge statement puts those links back and removes from the survivor the ones it did
not have before. Link types and contributor roles are the fixed vocabulary below.
"""

from __future__ import annotations

from schema.enums import ContributorRole

# (key, pattern around (n) and (x), label of x) for every link a merge moves.
# The key names the parameter lists of the unmerge statement.
LINKS: tuple[tuple[str, str, str], ...] = (
    ("IMPLEMENTS", "(n)-[r:IMPLEMENTS]->(x:Recommendation)", "Recommendation"),
    ("ADDRESSES", "(n)-[r:ADDRESSES]->(x:Topic)", "Topic"),
    ("ADVANCES", "(n)-[r:ADVANCES]->(x:Principle)", "Principle"),
    ("TRACKS", "(x:WorkingGroup)-[r:TRACKS]->(n)", "WorkingGroup"),
    *tuple(
        (
            f"CONTRIBUTES_TO:{role.value}",
            f"(x:Signatory)-[r:CONTRIBUTES_TO {{role: '{role.value}'}}]->(n)",
            "Signatory",
        )
        for role in ContributorRole
    ),
)

LINKS_OF = " UNION ALL ".join(
    f"MATCH {pattern.replace('(n)', '(n:Initiative {id: $id})')} "
    f"RETURN '{key}' AS link, x.id AS other"
    for key, pattern, _ in LINKS
)


def _create(pattern: str, node: str, target: str) -> str:
    """The pattern with (n) as `node` and the role set on creation, for MERGE."""
    created = pattern.replace("(n)", f"({node})").replace(f":{target})", ")")
    if "{role:" in created:
        role = created.split("{role: ")[1].split("}")[0]
        created = created.replace(f" {{role: {role}}}", "")
        return f"MERGE {created.replace('[r:', '[c:')} ON CREATE SET c.role = {role}"
    return f"MERGE {created.replace('[r:', '[:')}"


def _move_section(pattern: str, target: str) -> str:
    return (
        f"WITH m, s OPTIONAL MATCH {pattern.replace('(n)', '(m)')} "
        "WITH m, s, collect(r) AS rs, collect(x) AS xs "
        f"FOREACH (x IN xs | {_create(pattern, 's', target)}) "
        "FOREACH (r IN rs | DELETE r) "
    )


MERGE = (
    "MATCH (m:Initiative {id: $merged}) MATCH (s:Initiative {id: $survivor}) "
    "WHERE m.version = $merged_version AND m.status <> 'archived' "
    "AND s.status <> 'archived' "
    "CREATE (m)-[mi:MERGED_INTO]->(s) SET mi = $record "
    "SET m.status = 'archived', m.version = m.version + 1, m.updated_at = $now, "
    "s.version = s.version + 1, s.updated_at = $now "
    + "".join(_move_section(pattern, target) for _, pattern, target in LINKS)
    + "RETURN m.version AS merged_version, s.version AS survivor_version"
)

STATE = (
    "MATCH (i:Initiative) WHERE i.id IN $ids "
    "RETURN i.id AS id, i.status AS status, i.version AS version"
)

MERGE_RECORD = (
    "MATCH (m:Initiative {id: $merged})-[mi:MERGED_INTO]->(s:Initiative) "
    "RETURN s.id AS survivor, mi {.*} AS record, m.version AS version"
)


def _restore_section(key: str, pattern: str, target: str) -> str:
    param = key.replace(":", "_").lower()
    removed = pattern.replace("(n)", "(s)")
    return (
        f"WITH m, s OPTIONAL MATCH (x:{target}) WHERE x.id IN $restore.{param} "
        "WITH m, s, collect(x) AS xs "
        f"FOREACH (x IN xs | {_create(pattern, 'm', target)}) "
        f"WITH m, s OPTIONAL MATCH {removed} WHERE x.id IN $added.{param} "
        "WITH m, s, collect(r) AS rs FOREACH (r IN rs | DELETE r) "
    )


UNMERGE = (
    "MATCH (m:Initiative {id: $merged})-[mi:MERGED_INTO]->(s:Initiative) "
    "WHERE m.version = $merged_version "
    "SET m.status = mi.previous_status, m.version = m.version + 1, m.updated_at = $now, "
    "s.version = s.version + 1, s.updated_at = $now "
    "DELETE mi "
    + "".join(_restore_section(key, pattern, target) for key, pattern, target in LINKS)
    + "RETURN m.version AS merged_version, s.version AS survivor_version"
)


def param_name(key: str) -> str:
    return key.replace(":", "_").lower()
