"""API tokens, who may do what, and the facts the access rules judge by.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
