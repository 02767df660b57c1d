"""The whole registry as plain data: export and restore.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
