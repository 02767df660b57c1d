"""Merge one initiative into another and undo it, each in one atomic statement.

A merge moves every link of the merged initiative (each relation users set on it, from
schema/kinds.py: what it implements, addresses and advances, the groups tracking it, its
contributors and their roles) to the survivor,
archives the merged one and records a MERGED_INTO relationship holding what moved. The
unmerge statement puts those links back and removes from the survivor the ones it did
not have before.

Both statements check the state they expect (the version the client read, neither
initiative archived, the pair confirmed as duplicates; a merge record to undo) under the
write locks of both initiatives (graph/cypher/locking.py), the same locks a decision on
the pair takes: an initiative is merged once, into one survivor, and unmerged once.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.cypher.locking import lock_pair
from schema.kinds import OUT, settable


@dataclass(frozen=True)
class Link:
    """One kind of link a merge moves: its type, the label at its other end, its
    direction seen from the initiative, and (for contributions) the role it carries."""

    type: str
    label: str
    outgoing: bool
    role: str | None = None

    @property
    def key(self) -> str:
        """How the merge record names it, e.g. 'CONTRIBUTES_TO:lead'."""
        return f"{self.type}:{self.role}" if self.role else self.type

    @property
    def param(self) -> str:
        """The unmerge statement's parameter for it, e.g. 'contributes_to_lead'."""
        return param_name(self.key)

    def pattern(self, initiative: str, *, rel: str = "r", labelled: bool = True) -> str:
        """(initiative)-[rel]-(x) in this link's direction."""
        props = f" {{role: '{self.role}'}}" if self.role and rel == "r" else ""
        other = f"(x:{self.label})" if labelled else "(x)"
        edge = f"[{rel}:{self.type}{props}]"
        if self.outgoing:
            return f"{initiative}-{edge}->{other}"
        return f"{other}-{edge}->{initiative}"

    def merge_onto(self, initiative: str) -> str:
        """MERGE the link onto `initiative`; a new contribution gets this link's role."""
        if self.role:
            created = self.pattern(f"({initiative})", rel="c", labelled=False)
            return f"MERGE {created} ON CREATE SET c.role = '{self.role}'"
        return f"MERGE {self.pattern(f'({initiative})', rel='', labelled=False)}"


def param_name(key: str) -> str:
    return key.replace(":", "_").lower()


def _links() -> tuple[Link, ...]:
    """Every settable relation of an initiative (schema/kinds.py), one Link per role for
    those whose links carry one. A merge record names each by type (and role): two
    settable relations of one type would share a name, so they are refused here."""
    links = tuple(
        Link(r.type, r.far, r.direction is OUT, role)
        for r in settable("Initiative")
        for role in ([str(v.value) for v in r.roles] if r.roles else [None])
    )
    keys = [link.key for link in links]
    if len(keys) != len(set(keys)):
        raise ValueError(f"two settable relations of an initiative share a type: {keys}")
    return links


LINKS: tuple[Link, ...] = _links()

LINKS_OF = " UNION ALL ".join(
    f"MATCH {link.pattern('(n:Initiative {id: $id})')} RETURN '{link.key}' AS link, x.id AS other"
    for link in LINKS
)


def _move_section(link: Link) -> str:
    return (
        f"WITH m, s OPTIONAL MATCH {link.pattern('(m)')} "
        "WITH m, s, collect(r) AS rs, collect(x) AS xs "
        f"FOREACH (x IN xs | {link.merge_onto('s')}) "
        "FOREACH (r IN rs | DELETE r) "
    )


MERGE = (
    "MATCH (m:Initiative {id: $merged}) MATCH (s:Initiative {id: $survivor}) "
    + lock_pair("m", "s")
    + "WITH m, s WHERE m.version = $merged_version AND m.status <> 'archived' "
    "AND s.status <> 'archived' "
    "MATCH (m)-[pair:DUPLICATE_OF]-(s) WHERE pair.status = 'confirmed' WITH DISTINCT m, s "
    "CREATE (m)-[mi:MERGED_INTO]->(s) SET mi = $record "
    "SET m.status = 'archived', m.version = m.version + 1, m.updated_at = $now, "
    "s.version = s.version + 1, s.updated_at = $now "
    + "".join(_move_section(link) for link in LINKS)
    + "RETURN m.version AS merged_version, s.version AS survivor_version"
)

STATE = (
    "MATCH (i:Initiative) WHERE i.id IN $ids "
    "RETURN i.id AS id, i.status AS status, i.version AS version"
)

# Where a merged initiative went (for its page), and what was merged into one.
MERGED_INTO = (
    "MATCH (:Initiative {id: $id})-[mi:MERGED_INTO]->(s:Initiative) "
    "RETURN s.id AS id, s.title AS title, mi.merged_at AS merged_at, mi.note AS note"
)

MERGED_FROM = (
    "MATCH (m:Initiative)-[:MERGED_INTO]->(:Initiative {id: $id}) "
    "RETURN m.id AS id, m.title AS title ORDER BY title"
)

MERGE_RECORD = (
    "MATCH (m:Initiative {id: $merged})-[mi:MERGED_INTO]->(s:Initiative) "
    "RETURN s.id AS survivor, mi {.*} AS record, m.version AS version"
)


def _restore_section(link: Link) -> str:
    return (
        f"WITH m, s OPTIONAL MATCH (x:{link.label}) WHERE x.id IN $restore.{link.param} "
        "WITH m, s, collect(x) AS xs "
        f"FOREACH (x IN xs | {link.merge_onto('m')}) "
        f"WITH m, s OPTIONAL MATCH {link.pattern('(s)')} WHERE x.id IN $added.{link.param} "
        "WITH m, s, collect(r) AS rs FOREACH (r IN rs | DELETE r) "
    )


# The merge record is matched again once both are locked: an unmerge that went first
# deleted it.
UNMERGE = (
    "MATCH (m:Initiative {id: $merged})-[:MERGED_INTO]->(s:Initiative) "
    + lock_pair("m", "s")
    + "WITH m, s WHERE m.version = $merged_version "
    "MATCH (m)-[mi:MERGED_INTO]->(s) "
    "SET m.status = mi.previous_status, m.version = m.version + 1, m.updated_at = $now, "
    "s.version = s.version + 1, s.updated_at = $now "
    "DELETE mi "
    + "".join(_restore_section(link) for link in LINKS)
    + "RETURN m.version AS merged_version, s.version AS survivor_version"
)
