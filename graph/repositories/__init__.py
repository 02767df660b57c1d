"""Functions per aggregate that run graph.queries statements and return schema models."""
