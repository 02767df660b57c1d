"""Domain layer: models, validation rules and the graph's shape as plain data.

Nothing here knows about databases, HTTP or files; every other package builds on it.
"""
