"""Calls for contributions and proposals: the changes and their reads.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
