"""Recommendations as readers meet them: which are requirements, and what names them.

What counts as a requirement, the recommendations coverage is measured on:

A publisher that says which nodes are requirements (CISO Assistant's `assessable`) is
believed: its tasks count, its headings and "Example" nodes do not, wherever they sit in
the hierarchy. Where the format does not say (OSCAL catalogs, the project's own files),
the lowest level counts: a recommendation with sub-recommendations is a heading whose
children carry the requirements. Only active recommendations count.
"""


def requirement(r: str = "r") -> str:
    """The predicate on the recommendation bound to `r` (a fragment of WHERE)."""
    return (
        f"{r}.status = 'active' AND ({r}.assessable = true OR ({r}.assessable IS NULL "
        f"AND NOT ({r})<-[:PART_OF]-(:Recommendation)))"
    )


def requirements(r: str = "r") -> str:
    """Every requirement, bound to `r`: a MATCH ... WITH ... WHERE that a statement goes
    on from. The same records as `requirement`, with the children counted by an OPTIONAL
    MATCH: over a whole scan FalkorDB runs the pattern predicate of `requirement` once
    per record, ~6 times slower (130 ms against 20 ms for 5,000 records)."""
    return (
        f"MATCH ({r}:Recommendation) WHERE {r}.status = 'active' "
        f"OPTIONAL MATCH ({r})<-[:PART_OF]-(part:Recommendation) "
        f"WITH {r}, count(part) AS parts "
        f"WHERE {r}.assessable = true OR ({r}.assessable IS NULL AND parts = 0) "
    )


# What the naming rule (schema/naming.py) reads: the record, and its parent for a record
# with neither name nor description.
NAMES = (
    "UNWIND $ids AS id MATCH (r:Recommendation {id: id}) "
    "OPTIONAL MATCH (r)-[:PART_OF]->(p:Recommendation) "
    "RETURN r.id AS id, r.ref AS ref, r.title AS title, r.text AS text, p.id AS parent"
)

CHILDREN = (
    "UNWIND $ids AS id MATCH (c:Recommendation)-[:PART_OF]->(:Recommendation {id: id}) "
    "RETURN id AS parent, collect(c.id) AS children"
)
