"""Statements that curate initiatives: each use case is one atomic statement."""

from graph.cypher.locking import lock
from graph.cypher.projection import node
from schema.kinds import OUT, settable, snake


def _links_from_row() -> str:
    """Links of initiative `i` declared by `row`: for each relation users set
    (schema/kinds.py), a list of far ids under its input name, or for one whose links
    carry a role, a map far id -> role. Targets were checked to exist by the caller.
    Shared by create and spreadsheet upsert."""
    parts = []
    for n, relation in enumerate(settable("Initiative")):
        far, field = f"x{n}", relation.input
        ids = f"keys(row.{field})" if relation.roles else f"row.{field}"
        edge = f"[r{n}:{relation.type}]"
        link = f"(i)-{edge}->({far})" if relation.direction is OUT else f"({far})-{edge}->(i)"
        role = f" SET r{n}.role = row.{field}[{far}.id]" if relation.roles else ""
        parts.append(
            f"WITH i, row OPTIONAL MATCH ({far}:{relation.far}) WHERE {far}.id IN {ids} "
            f"WITH i, row, collect({far}) AS found{n} "
            f"FOREACH ({far} IN found{n} | MERGE {link}{role}) "
        )
    return "".join(parts)


_LINKS_FROM_ROW = _links_from_row()

# Create the node and all its links at once.
CREATE_WITH_LINKS = (
    "WITH $row AS row CREATE (i:Initiative) SET i = row.props "
    + _LINKS_FROM_ROW
    + f"RETURN {node('i')} AS node"
)

# Spreadsheet rows: create or update each initiative (its version goes up on update)
# and add the links it declares; one statement, so a file is applied whole or not at all.
UPSERT_ROWS_WITH_LINKS = (
    "UNWIND $rows AS row MERGE (i:Initiative {id: row.props.id}) "
    "ON CREATE SET i.created_at = $now, i.version = 0 "
    "SET i += row.props, i.version = i.version + 1, i.updated_at = $now "
    + _LINKS_FROM_ROW
    + "RETURN count(DISTINCT i) AS n"
)

# Stored import hashes, to tell unchanged rows from changed ones.
IMPORT_SHAS = (
    "UNWIND $ids AS key MATCH (i:Initiative {id: key}) RETURN i.id AS id, i.import_sha AS sha"
)

# Applied only if the client read the current version; nothing is written otherwise.
# The version is read under the initiative's write lock (graph/cypher/locking.py).
UPDATE_IF_VERSION = (
    "MATCH (i:Initiative {id: $id}) " + lock("i") + "WITH i WHERE i.version = $version "
    "SET i += $props, i.version = i.version + 1, i.updated_at = $now "
    f"RETURN {node('i')} AS node"
)

VERSION_OF = "MATCH (i:Initiative {id: $id}) RETURN i.version AS version"

# Labels an initiative links to, and the parameter each one's ids travel in: the
# settable relations' far kinds (one parameter per kind, named after the kind).
LINK_TARGETS: dict[str, str] = {r.far: f"{snake(r.far)}_ids" for r in settable("Initiative")}

# Which of the given ids exist, per label, in one round trip and through the id indexes.
EXISTING_TARGETS = " UNION ALL ".join(
    f"UNWIND ${param} AS key MATCH (n:{label} {{id: key}}) RETURN '{label}' AS label, n.id AS id"
    for label, param in LINK_TARGETS.items()
)
