"""Webhooks, their queued deliveries and the dispatchers' claims.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
