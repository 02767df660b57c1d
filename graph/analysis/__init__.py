"""Duplicate pairs, their scores and the co-chairs' decisions on them.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
