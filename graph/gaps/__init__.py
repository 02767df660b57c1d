"""Recommendations nobody covers, read for the gap analysis.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
