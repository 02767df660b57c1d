"""CISO Assistant libraries (YAML): 400+ frameworks, among them ANSSI guides in French.

Library metadata -> Source (urn, locale -> language, provider, version);
objects.framework.requirement_nodes -> Recommendations, hierarchy from parent_urn,
ref_id as ref (none when the node has no ref_id: its URN's tail is an id, not a
reference), `assessable` kept (what is a requirement and what is a heading or an example).
Nodes with neither name nor description are skipped and counted; their children hang
from the nearest kept ancestor.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from importers.recordset import RecordSet, id_part
from importers.validation import problems_from
from schema.errors import Problem, ValidationFailed
from schema.models import Recommendation, Source


def load(path: Path) -> dict[str, Any]:
    """A CISO Assistant library's YAML as a dict; bad YAML is reported at its line."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ValidationFailed(
            [Problem(f"not valid YAML: {getattr(exc, 'problem', exc)}", row=row, file=path.name)]
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed([Problem(f"cannot be read: {exc}", file=path.name)]) from exc
    if not isinstance(data, dict):
        raise ValidationFailed([Problem("is not a CISO Assistant library", file=path.name)])
    return data


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def read(path: Path, *, source_id: str | None = None) -> RecordSet:
    data = load(path)
    objects = data.get("objects")
    framework = objects.get("framework") if isinstance(objects, dict) else None
    if not isinstance(framework, dict) or not isinstance(framework.get("requirement_nodes"), list):
        raise ValidationFailed(
            [Problem("has no objects.framework.requirement_nodes list", file=path.name)]
        )
    problems: list[Problem] = []
    sid = source_id or id_part(
        str(data.get("ref_id") or str(data.get("urn") or "").rsplit(":", 1)[-1])
    )
    published = _str(data.get("publication_date"))
    try:
        source = Source(
            id=sid,
            title=_str(data.get("name") or framework.get("name") or sid) or sid,
            publisher=_str(data.get("provider") or data.get("packager") or "unknown publisher")
            or "unknown publisher",
            version=_str(data.get("version")),
            year=int(published[:4]) if published and published[:4].isdigit() else None,
            language=_str(data.get("locale")) or "en",
            urn=_str(data.get("urn")),
            note=_str(data.get("copyright")),
        )
    except ValidationError as exc:
        # Go on reading the nodes, so every problem of the file is reported at once.
        problems += problems_from(exc, file=path.name)
        source = Source(id="invalid", title="invalid", publisher="invalid")

    nodes = framework["requirement_nodes"]
    ids, notes = _ids(sid, nodes, path.name)
    kept: dict[str, str] = {}  # urn -> our id, for kept nodes
    parent_of: dict[str, str | None] = {}
    recommendations: list[Recommendation] = []
    skipped = 0
    for index, node in enumerate(nodes):
        where = f"objects.framework.requirement_nodes[{index}]"
        if not isinstance(node, dict) or not node.get("urn"):
            problems.append(Problem("has no urn", field=where, file=path.name))
            continue
        urn = str(node["urn"])
        parent_of[urn] = _str(node.get("parent_urn"))
        if not node.get("name") and not node.get("description"):
            skipped += 1
            continue
        parent = parent_of[urn]
        while parent is not None and parent not in kept:
            parent = parent_of.get(parent)
        rid = ids[urn]
        try:
            recommendations.append(
                Recommendation(
                    id=rid,
                    source_id=sid,
                    ref=_str(node.get("ref_id")),
                    title=_str(node.get("name")),
                    text=_str(node.get("description")),
                    language=source.language,
                    parent_id=kept[parent] if parent is not None else None,
                    urn=urn,
                    assessable=_assessable(node.get("assessable")),
                )
            )
            kept[urn] = rid
        except ValidationError as exc:
            problems += problems_from(exc, file=path.name, prefix=where)
    if problems:
        raise ValidationFailed(problems)
    return RecordSet(
        source=source, recommendations=recommendations, skipped=skipped, format="ciso", notes=notes
    )


def _assessable(value: Any) -> bool | None:
    """The node's `assessable` flag; libraries that leave it out say nothing."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _ids(sid: str, nodes: list[Any], file: str) -> tuple[dict[str, str], list[str]]:
    """Our id for each URN, and a warning for each collision resolved.

    Ids come from the URN's last part, cut to what ids allow, so two URNs can give one id
    (a stray quote in `...:3.1.9'` makes it `3-1-9`, like its sibling). A collision is
    resolved the same way at every import, whatever the order of the file: the URN whose
    last part is already a clean id (else the smallest URN) keeps the id, the others get
    a suffix from a hash of their own URN. Each record keeps its URN as written.
    """
    by_id: dict[str, list[str]] = {}
    for node in nodes:
        if isinstance(node, dict) and node.get("urn"):
            urn = str(node["urn"])
            candidate = f"{sid}:{id_part(urn.rsplit(':', 1)[-1])}"
            if urn not in by_id.setdefault(candidate, []):
                by_id[candidate].append(urn)
    ids: dict[str, str] = {}
    notes: list[str] = []
    for candidate, urns in by_id.items():
        keeper = min(urns, key=lambda u: (id_part(u.rsplit(":", 1)[-1]) != u.rsplit(":", 1)[-1], u))
        for urn in urns:
            if urn == keeper:
                ids[urn] = candidate
                continue
            ids[urn] = f"{candidate}-{hashlib.sha256(urn.encode()).hexdigest()[:6]}"
            notes.append(
                f"{file}: URNs {keeper} and {urn} both give the id '{candidate}'; "
                f"{urn} was imported as '{ids[urn]}' (its URN is kept on the record)"
            )
    return ids, notes
