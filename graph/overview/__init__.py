"""What the pages and reports read: group summaries, counts, coverage.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
