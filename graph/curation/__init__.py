"""Registry records and their links as co-chairs create and change them.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
