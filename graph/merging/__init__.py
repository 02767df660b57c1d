"""Merging duplicate initiatives and undoing a merge.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
