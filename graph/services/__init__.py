"""Use cases: check and decide in the domain's terms, then let a repository store.

The API, the importers and the CLI call these; `graph/repositories/` only stores and
loads (and checks that what a write points at exists).
"""
