"""What every recommendation-set reader produces: a source and its recommendations."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from schema.models import Recommendation, Source

PROVENANCE_FIELDS = {"source_version", "import_run", "file_sha256", "imported_at", "content_sha"}


@dataclass
class RecordSet:
    source: Source
    recommendations: list[Recommendation]
    skipped: int = 0
    format: str = ""
    notes: list[str] = field(default_factory=list)


def content_of(record: Source | Recommendation) -> dict[str, Any]:
    """A record's own content (provenance excluded), as JSON-ready values."""
    data: dict[str, Any] = record.model_dump(mode="json", exclude=PROVENANCE_FIELDS)
    for optional in ("urn", "assessable"):
        if data.get(optional, "") is None:
            # most records have none: their content (and its hash) is unchanged
            del data[optional]
    return data


def sha_of(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_sha(record: Source | Recommendation) -> str:
    """Hash of a record's own content (provenance excluded), to tell changed from unchanged."""
    return sha_of(content_of(record))


_UNSAFE = re.compile(r"[^a-z0-9.:_-]+")


def id_part(text: str) -> str:
    """A source's own identifier made safe for our slugs ('PO.1.1' -> 'po.1.1')."""
    part = _UNSAFE.sub("-", text.strip().lower())
    part = re.sub(r"([-_.:])[-_.:]+", r"\1", part).strip("-_.:")
    return part or "x"
