"""Reading any kind: pages of a label, lookups by id, neighbours by batch.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
