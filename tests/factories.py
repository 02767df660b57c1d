"""Small builders of valid domain models for tests; override any field by keyword."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from schema import models as m


def signatory(id: str = "cigref", **kw: Any) -> m.Signatory:
    base: dict[str, Any] = {
        "id": id,
        "name": f"Signatory {id}",
        "kind": "civil_society",
        "country": "FR",
        "joined_on": date(2018, 11, 12),
        "website": "https://example.org/" + id,
    }
    return m.Signatory.model_validate(base | kw)


def working_group(id: str = "wg6", **kw: Any) -> m.WorkingGroup:
    base: dict[str, Any] = {
        "id": id,
        "code": id if id.startswith("wg") else "wg9",
        "name": f"Working group {id}",
        "mandate": "Concrete tools for the security of the digital supply chain.",
        "forum_year": 2021,
    }
    return m.WorkingGroup.model_validate(base | kw)


def initiative(id: str = "sbom-charter", **kw: Any) -> m.Initiative:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    base: dict[str, Any] = {
        "id": id,
        "title": f"Initiative {id}",
        "summary": "Publish a software bill of materials for every release.",
        "language": "en",
        "url": "https://example.org/i/" + id,
        "status": "active",
        "started_on": date(2022, 3, 1),
        "created_at": now,
        "updated_at": now,
    }
    return m.Initiative.model_validate(base | kw)


# Defaults of the models whose fields do not depend on their id.
_SOURCE = {
    "title": "Secure Software Development Framework",
    "publisher": "NIST",
    "year": 2022,
    "version": "1.1",
    "url": "https://csrc.nist.gov/pubs/sp/800/218/final",
    "licence": "public domain",
}
_RECOMMENDATION = {
    "source_id": "nist-ssdf",
    "ref": "PO.1.1",
    "title": "Identify security requirements",
    "text": "Identify and document all security requirements.",
}
_TOPIC = {"name_en": "Software bill of materials", "name_fr": "Nomenclature logicielle"}
_PRINCIPLE = {"code": "P6", "name_en": "Lifecycle security", "name_fr": "Sécurité du cycle de vie"}


def source(id: str = "nist-ssdf", **kw: Any) -> m.Source:
    return m.Source.model_validate({"id": id, **_SOURCE, **kw})


def recommendation(id: str = "nist-ssdf:po.1.1", **kw: Any) -> m.Recommendation:
    return m.Recommendation.model_validate({"id": id, **_RECOMMENDATION, **kw})


def topic(id: str = "sbom", **kw: Any) -> m.Topic:
    return m.Topic.model_validate({"id": id, **_TOPIC, **kw})


def principle(id: str = "p6", **kw: Any) -> m.Principle:
    return m.Principle.model_validate({"id": id, **_PRINCIPLE, **kw})


def oscal_catalog(
    path: Any,
    title: str,
    version: str,
    controls: list[dict[str, Any]],
    *,
    group: str = "ac",
    publisher: str | None = None,
) -> Any:
    """Write a minimal valid OSCAL catalog: one group holding `controls`, the publisher
    (if any) as a party with the `publisher` role. Returns `path`."""
    metadata: dict[str, Any] = {
        "title": title,
        "last-modified": "2026-01-01T00:00:00Z",
        "version": version,
        "oscal-version": "1.1.2",
    }
    if publisher:
        party = "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
        metadata["parties"] = [{"uuid": party, "type": "organization", "name": publisher}]
        metadata["responsible-parties"] = [{"role-id": "publisher", "party-uuids": [party]}]
    catalog = {
        "uuid": "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d",
        "metadata": metadata,
        "groups": [{"id": group, "title": f"Group {group}", "controls": controls}],
    }
    path.write_text(json.dumps({"catalog": catalog}))
    return path
