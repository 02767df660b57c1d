"""Statements reading what full-text search indexes, to learn the registry's spellings."""

from __future__ import annotations

from schema.graph_shape import FullTextIndex


def indexed_texts(index: FullTextIndex) -> str:
    """Every indexed property of the index's label, one text per node."""
    parts = " + ' ' + ".join(f"coalesce(n.{prop}, '')" for prop in index.properties)
    return f"MATCH (n:{index.label}) RETURN {parts} AS text"


def stored_embeddings(label: str) -> str:
    """The embeddings the duplicate analysis stored on a label's nodes."""
    return f"MATCH (n:{label}) WHERE n.embedding IS NOT NULL RETURN n.id AS id, n.embedding AS e"
