"""Staged, all-or-nothing publication of recommendation sets and their runs.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
