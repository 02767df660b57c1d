"""Crosswalk suggestions inferred from published crosswalks, and decisions on them.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
