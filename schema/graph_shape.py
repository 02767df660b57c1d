"""The graph's labels, relationship types, keys and indexes as plain data.

The dialect module turns this into DDL for each engine; bumping SCHEMA_VERSION is how
a change to it is recorded in the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.kinds import KINDS, triples

SCHEMA_VERSION = 7

# The kinds' labels (schema/kinds.py), then those of the application's own records.
LABELS: tuple[str, ...] = (
    *(kind.label for kind in KINDS),
    "ImportRun",
    "SchemaInfo",
    "ImportStage",
    "AnalysisState",
    "ApiToken",
    "AuditEvent",
    "Webhook",
    "Delivery",
    "Invitation",
)

# Every relationship type is a relation of the kinds (schema/kinds.py), declared there
# once: the statements' linter checks each statement's types against this list.
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(dict.fromkeys(rel for _, rel, _ in triples()))

# Properties computed from others (embeddings of texts): never exported, recomputed.
DERIVED_PROPERTIES: frozenset[str] = frozenset({"embedding", "embedding_sha"})
# The labels the duplicate and crosswalk analyses write those properties on.
DERIVED_LABELS: frozenset[str] = frozenset({"Initiative", "Recommendation"})

# Every label is keyed by its own `id` property (never an engine-internal id), but the
# import stage, which must carry no index at all (see graph/imports/queries.py).
UNIQUE_KEY = "id"
UNINDEXED: frozenset[str] = frozenset({"ImportStage"})
KEYED_LABELS: tuple[str, ...] = tuple(label for label in LABELS if label not in UNINDEXED)

# Properties filtered or sorted on often enough to deserve a range index.
RANGE_INDEXES: dict[str, tuple[str, ...]] = {
    "Signatory": ("kind", "country", "name"),
    "WorkingGroup": ("code", "status"),
    "Initiative": ("status", "language", "title", "updated_at"),
    "Recommendation": ("source_id", "ref", "status", "language"),
    "Source": ("publisher",),
    "ImportRun": ("status",),
    "ApiToken": ("hash",),
    "AuditEvent": ("at", "actor"),
    "Proposal": ("working_group_id", "initiative_id", "proposer", "state", "call_id"),
    "Call": ("working_group_id", "state"),
    "Comment": ("subject", "created_at"),
    "Webhook": ("working_group_id",),
    "Delivery": ("webhook_id", "state", "next_at"),
    "Invitation": ("initiative_id", "signatory_id", "state"),
}


@dataclass(frozen=True)
class FullTextIndex:
    name: str
    label: str
    properties: tuple[str, ...]


FULLTEXT_INDEXES: tuple[FullTextIndex, ...] = (
    FullTextIndex("initiative_text", "Initiative", ("title", "summary")),
    FullTextIndex("recommendation_text", "Recommendation", ("ref", "title", "text")),
    FullTextIndex("signatory_text", "Signatory", ("name",)),
    FullTextIndex("source_text", "Source", ("title", "publisher")),
    FullTextIndex("topic_text", "Topic", ("name_en", "name_fr")),
    FullTextIndex("working_group_text", "WorkingGroup", ("name", "mandate")),
)
