"""Invitations to contribute to an initiative, made and answered.

One aggregate: `queries` holds its Cypher (always $parameters), `repository` runs
it and returns schema models.
"""
