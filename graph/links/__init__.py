"""Link and unlink registry nodes through the relations kinds.py lets users set.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
