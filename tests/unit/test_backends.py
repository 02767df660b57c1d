"""Engine differences are capabilities of each backend, not comparisons of names."""

from graph import dialect
from graph.backends import CAPABILITIES, Backend
from graph.webhooks import queries as webhooks
from schema.graph_shape import FULLTEXT_INDEXES


def test_each_backend_has_its_capabilities_and_reads_from_its_name() -> None:
    assert set(CAPABILITIES) == set(Backend)
    assert Backend("neo4j") is Backend.NEO4J and Backend.FALKORDB == "falkordb"
    assert Backend.NEO4J.can.lucene_fulltext and not Backend.FALKORDB.can.lucene_fulltext


def test_the_dialect_follows_the_capabilities() -> None:
    words = dialect.fulltext_terms(Backend.NEO4J, "SBOM fournisseur", lambda w: [w + "s"])
    assert words == "(sbom OR sboms) AND (fournisseur* OR fournisseurs*)"
    assert dialect.fulltext_terms(Backend.FALKORDB, "SBOM fournisseur") == "sbom fournisseur*"
    index = FULLTEXT_INDEXES[0]
    assert f"'{index.name}'" in dialect.fulltext_query(Backend.NEO4J, index)
    assert f"'{index.label}'" in dialect.fulltext_query(Backend.FALKORDB, index)
    assert dialect.claim_deliveries(Backend.NEO4J) == webhooks.CLAIM_DUE_LOCKING
    assert dialect.claim_deliveries(Backend.FALKORDB) == webhooks.CLAIM_DUE_SERIAL
