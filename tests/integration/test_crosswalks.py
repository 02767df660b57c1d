"""Crosswalk suggestions between recommendation sets, their acceptance, and the OSCAL export."""

from __future__ import annotations

import json

import jsonschema
import pytest
from trestle.oscal.mapping import Model as OscalMappingModel

from analysis import decisions
from analysis.duplicates import default_min_score, refresh
from analysis.encoder import Encoder
from analysis.oscal_mappings import mapping_collection
from graph.nodes import repository as nodes
from graph.store import GraphStore
from schema.enums import CandidateKind, DecisionStatus, MappingRelation
from schema.models import Recommendation, Source
from tests import factories as f
from tests.support.decided import decide
from tests.support.units import system

REC = CandidateKind.RECOMMENDATION


@pytest.fixture
def two_sets(store: GraphStore) -> GraphStore:
    store = store
    nodes.save(
        store,
        [
            f.source("ssdf", url="https://csrc.nist.gov/pubs/sp/800/218/final"),
            f.source("anssi", title="Guide de développement sécurisé", language="fr", url=None),
        ],
        model=Source,
    )
    recs = [
        f.recommendation(
            "ssdf:pw.1.1",
            source_id="ssdf",
            ref="PW.1.1",
            title="Threat modelling",
            text="Use threat modelling to assess the security risks of the software design.",
        ),
        f.recommendation(
            "ssdf:rv.1.3",
            source_id="ssdf",
            ref="RV.1.3",
            title="Vulnerability disclosure policy",
            text="Have a policy for addressing vulnerability disclosure and remediation.",
        ),
        f.recommendation(
            "anssi:r1",
            source_id="anssi",
            ref="R1",
            language="fr",
            title="Modélisation des menaces",
            text=(
                "Utiliser la modélisation des menaces pour évaluer les risques de sécurité "
                "de la conception du logiciel."
            ),
        ),
        f.recommendation(
            "anssi:r2",
            source_id="anssi",
            ref="R2",
            language="fr",
            title="Sauvegardes",
            text="Sauvegarder régulièrement les données de production hors ligne.",
        ),
    ]
    nodes.save(store, recs, model=Recommendation)
    return store


def test_recommendations_of_different_sources_are_suggested_with_a_relation(two_sets):
    report = refresh(system(two_sets), REC, encoder=Encoder())
    assert report.records == 4
    threshold = default_min_score(REC)
    found = decisions.list_candidates(
        two_sets, REC, statuses=[DecisionStatus.CANDIDATE], min_score=threshold
    )
    pairs = {frozenset((c.a, c.b)): c for c in found}
    best = pairs[frozenset(("anssi:r1", "ssdf:pw.1.1"))]
    assert best.relation is MappingRelation.EQUAL
    assert best.paths == []  # no crosswalk joins the two sets: the texts alone speak
    assert best.confidence is not None and best.confidence == round(best.score or 0.0, 2)
    assert best.parts.cross_language
    assert all(c.a.split(":")[0] != c.b.split(":")[0] for c in found)  # never within one source
    assert frozenset(("anssi:r2", "ssdf:pw.1.1")) not in pairs
    # the translation scores above every other pair of its two records
    every = decisions.list_candidates(
        two_sets, REC, statuses=[DecisionStatus.CANDIDATE], min_score=0.0
    )
    assert max(every, key=lambda c: c.score or 0.0) == best


def test_accepted_mappings_export_as_a_valid_oscal_mapping_collection(two_sets):
    decide(
        two_sets,
        "ssdf:rv.1.3",
        "anssi:r2",
        kind=REC,
        relation=MappingRelation.INTERSECTS_WITH,
        note="entered by hand",
    )  # before any suggestion: a person's own crosswalk entry
    refresh(system(two_sets), REC, encoder=Encoder())
    accepted = decide(two_sets, "anssi:r1", "ssdf:pw.1.1", kind=REC)
    assert accepted.relation is MappingRelation.EQUAL
    document = mapping_collection(two_sets)
    text = json.dumps(document)
    schema = OscalMappingModel.model_json_schema(by_alias=True)
    jsonschema.validate(json.loads(text), schema)
    OscalMappingModel.model_validate_json(text)  # the OSCAL 1.2.1 model, strict
    collection = document["mapping-collection"]
    assert collection["metadata"]["oscal-version"] == "1.2.1"
    assert collection["provenance"]["method"] == "hybrid"
    by_method = {m["method"]: m for m in collection["mappings"]}
    assert set(by_method) == {"hybrid", "human"}
    suggested = by_method["hybrid"]["maps"][0]
    assert suggested["relationship"] == "equal-to"
    assert suggested["sources"][0]["id-ref"] == "R1"
    assert suggested["targets"][0]["id-ref"] == "PW.1.1"
    assert 0 < suggested["confidence-score"]["percentage"] <= 1
    manual = by_method["human"]["maps"][0]
    assert manual["relationship"] == "intersects-with"
    assert manual["remarks"] == "entered by hand"
    assert (
        by_method["human"]["source-resource"]["href"]
        == "https://csrc.nist.gov/pubs/sp/800/218/final"
    )


def test_an_invalid_document_is_refused_by_the_schema(two_sets):
    refresh(system(two_sets), REC, encoder=Encoder())
    decide(two_sets, "anssi:r1", "ssdf:pw.1.1", kind=REC, by="x")
    document = mapping_collection(two_sets)
    document["mapping-collection"]["mappings"][0]["maps"][0]["relationship"] = "maps to"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, OscalMappingModel.model_json_schema(by_alias=True))
