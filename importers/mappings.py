"""Published crosswalks: CISO Assistant mapping libraries and OSCAL mapping collections.

A CISO Assistant mapping library (`objects.requirement_mapping_sets`, a list, or the older
`requirement_mapping_set`, one) pairs requirement URNs with a relationship in NIST IR 8477's
vocabulary (equal, subset, superset, intersect; not_related pairs are counted and left
out). An OSCAL mapping collection (`mapping-collection`) pairs control ids of a source and a
target resource. Both become MAPS_TO links with status 'published', their relation,
rationale, the publisher's note and provenance (the mapping's URN or uuid, its version, the
import run). Both ends must already be in the registry (import the frameworks first): any
that is not is listed, with where it is in the file, and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importers import ciso
from schema.enums import MappingRationale, MappingRelation
from schema.errors import Problem, ValidationFailed

CISO_RELATIONS = {
    "equal": MappingRelation.EQUAL,
    "subset": MappingRelation.SUBSET_OF,
    "superset": MappingRelation.SUPERSET_OF,
    "intersect": MappingRelation.INTERSECTS_WITH,
}
OSCAL_RELATIONS = {
    "equal-to": MappingRelation.EQUAL,
    "equivalent-to": MappingRelation.EQUAL,
    "subset-of": MappingRelation.SUBSET_OF,
    "superset-of": MappingRelation.SUPERSET_OF,
    "intersects-with": MappingRelation.INTERSECTS_WITH,
}
UNRELATED = {"not_related", "no-relationship"}
# The relation of b to a, given a's to b: a set published in both directions is one set.
CONVERSE = {
    MappingRelation.EQUAL: MappingRelation.EQUAL,
    MappingRelation.INTERSECTS_WITH: MappingRelation.INTERSECTS_WITH,
    MappingRelation.SUBSET_OF: MappingRelation.SUPERSET_OF,
    MappingRelation.SUPERSET_OF: MappingRelation.SUBSET_OF,
}
SNIFF = 65_536  # bytes read to tell a mapping file from a framework


@dataclass(frozen=True)
class End:
    """One end of a published pair: a URN (CISO) or a control id, maybe within a source."""

    urn: str | None = None
    ref: str | None = None
    source_id: str | None = None


@dataclass(frozen=True)
class Entry:
    source: End
    target: End
    relation: MappingRelation
    rationale: MappingRationale | None
    confidence: float | None
    note: str | None
    where: str  # path in the file, for problems


@dataclass
class MappingFile:
    format: str
    id: str  # the mapping's URN or uuid: provenance of every link
    title: str
    publisher: str | None
    version: str | None
    entries: list[Entry]
    unrelated: int = 0
    problems: list[Problem] = field(default_factory=list)


def sniff(path: Path) -> str | None:
    """'ciso-mapping' or 'oscal-mapping' when the start of the file says so, else None."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF).decode("utf-8", "ignore")
    except OSError:
        return None
    if path.suffix.lower() in (".yaml", ".yml") and "requirement_mapping_set" in head:
        return "ciso-mapping"
    if path.suffix.lower() == ".json" and '"mapping-collection"' in head:
        return "oscal-mapping"
    return None


def read(path: Path, fmt: str) -> MappingFile:
    return _ciso(path) if fmt == "ciso-mapping" else _oscal(path)


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip() or None


def _ciso(path: Path) -> MappingFile:
    data = ciso.load(path)  # the same YAML reading and messages as framework libraries
    objects = data.get("objects")
    sets: Any = None
    key = "requirement_mapping_sets"
    if isinstance(objects, dict):
        sets = objects.get(key)
        if sets is None and isinstance(objects.get("requirement_mapping_set"), dict):
            key, sets = "requirement_mapping_set", [objects["requirement_mapping_set"]]
    if not isinstance(sets, list) or not sets:
        raise ValidationFailed(
            [Problem("has no objects.requirement_mapping_sets list", file=path.name)]
        )
    found = MappingFile(
        format="ciso-mapping",
        id=_text(data.get("urn")) or path.stem,
        title=_text(data.get("name")) or path.stem,
        publisher=_text(data.get("provider")),
        version=_text(data.get("version")),
        entries=[],
    )
    for s, mapping_set in enumerate(sets):
        where_set = f"objects.{key}[{s}]" if key.endswith("s") else f"objects.{key}"
        pairs = mapping_set.get("requirement_mappings") if isinstance(mapping_set, dict) else None
        if not isinstance(pairs, list):
            found.problems.append(
                Problem("has no requirement_mappings list", field=where_set, file=path.name)
            )
            continue
        for n, pair in enumerate(pairs):
            where = f"{where_set}.requirement_mappings[{n}]"
            _ciso_entry(found, pair, where, path.name)
    return found


def _ciso_entry(found: MappingFile, pair: Any, where: str, file: str) -> None:
    if not isinstance(pair, dict):
        found.problems.append(Problem("is not a mapping", field=where, file=file))
        return
    source, target = (
        _text(pair.get("source_requirement_urn")),
        _text(pair.get("target_requirement_urn")),
    )
    word = (_text(pair.get("relationship")) or "").lower()
    for name, value in (("source_requirement_urn", source), ("target_requirement_urn", target)):
        if value is None:
            found.problems.append(Problem("is missing", field=f"{where}.{name}", file=file))
    relation = _relation(found, word, CISO_RELATIONS, "not_related", where, file)
    if relation is None or source is None or target is None:
        return
    strength = pair.get("strength_of_relationship")
    found.entries.append(
        Entry(
            source=End(urn=source),
            target=End(urn=target),
            relation=relation,
            rationale=_rationale(pair.get("rationale")),
            confidence=_unit(strength, 10.0),
            note=_text(pair.get("annotation")),
            where=where,
        )
    )


def _oscal(path: Path) -> MappingFile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            [Problem(f"is not valid JSON: {exc.msg}", row=exc.lineno, file=path.name)]
        ) from exc
    collection = data.get("mapping-collection") if isinstance(data, dict) else None
    if not isinstance(collection, dict) or not isinstance(collection.get("mappings"), list):
        raise ValidationFailed([Problem("has no mapping-collection.mappings list", file=path.name)])
    metadata = collection.get("metadata") or {}
    parties = metadata.get("parties") or []
    found = MappingFile(
        format="oscal-mapping",
        id=_text(collection.get("uuid")) or path.stem,
        title=_text(metadata.get("title")) or path.stem,
        publisher=_text(parties[0].get("name"))
        if parties and isinstance(parties[0], dict)
        else None,
        version=_text(metadata.get("version")),
        entries=[],
    )
    for m, mapping in enumerate(collection["mappings"]):
        where_mapping = f"mapping-collection.mappings[{m}]"
        if not isinstance(mapping, dict):
            found.problems.append(Problem("is not a mapping", field=where_mapping, file=path.name))
            continue
        source_id = _source_id(mapping.get("source-resource"))
        target_id = _source_id(mapping.get("target-resource"))
        for n, entry in enumerate(mapping.get("maps") or []):
            where = f"{where_mapping}.maps[{n}]"
            word = (_text(entry.get("relationship")) if isinstance(entry, dict) else None) or ""
            relation = _relation(found, word, OSCAL_RELATIONS, "no-relationship", where, path.name)
            if relation is None:
                continue
            confidence = (entry.get("confidence-score") or {}).get("percentage")
            for s in entry.get("sources") or []:
                for t in entry.get("targets") or []:
                    found.entries.append(
                        Entry(
                            source=End(ref=_text(s.get("id-ref")), source_id=source_id),
                            target=End(ref=_text(t.get("id-ref")), source_id=target_id),
                            relation=relation,
                            rationale=_rationale(entry.get("matching-rationale")),
                            confidence=_unit(confidence, 1.0),
                            note=_text(entry.get("remarks")),
                            where=where,
                        )
                    )
    return found


def _relation(
    found: MappingFile,
    word: str,
    vocabulary: dict[str, MappingRelation],
    unrelated: str,
    where: str,
    file: str,
) -> MappingRelation | None:
    """The relation a publisher's word names; None for a pair marked unrelated (counted)
    or a word outside the vocabulary (reported)."""
    if word in UNRELATED:
        found.unrelated += 1
        return None
    if word not in vocabulary:
        allowed = ", ".join([*vocabulary, unrelated])
        found.problems.append(
            Problem(
                f"'{word}' is not a relationship ({allowed})",
                field=f"{where}.relationship",
                file=file,
            )
        )
        return None
    return vocabulary[word]


def _source_id(resource: Any) -> str | None:
    """Our source id when the resource names it (our exports do), else None."""
    if not isinstance(resource, dict):
        return None
    for prop in resource.get("props") or []:
        if isinstance(prop, dict) and prop.get("name") == "source-id":
            return _text(prop.get("value"))
    return None


def _rationale(value: Any) -> MappingRationale | None:
    word = (_text(value) or "").lower()
    return MappingRationale(word) if word in {r.value for r in MappingRationale} else None


def _unit(value: Any, scale: float) -> float | None:
    try:
        number = float(value) / scale
    except (TypeError, ValueError):
        return None
    return round(min(1.0, max(0.0, number)), 4)
