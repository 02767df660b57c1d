"""The project's own format for a recommendation set, in JSON (streamed) or YAML.

    {
      "format": "pariscall/recommendations@1",
      "source": {"id": "oecd-0481", "title": "...", "publisher": "OECD", "year": 2022, ...},
      "recommendations": [
        {"ref": "duty-of-care", "title": "...", "text": "...", "language": "en",
         "parent_ref": null, "verified": false},
        ...
      ]
    }

A recommendation's id is `SOURCE:REF` unless given; `parent_ref` names another
recommendation of the same file by its ref (or `parent_id` by full id). The source's
fields are those of schema.models.Source, a recommendation's those of Recommendation
(source_id is implied). JSON files are read item by item, so their size is not bounded
by memory for parsing; the records themselves are held for the all-or-nothing check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
import yaml
from pydantic import ValidationError

from importers.recordset import RecordSet, id_part
from importers.validation import problems_from
from schema.errors import Problem, ValidationFailed
from schema.models import Recommendation, Source

FORMAT = "pariscall/recommendations@1"


def _json_parts(path: Path) -> tuple[dict[str, Any], Iterator[Any]]:
    try:
        with path.open("rb") as handle:
            heads = _heads(handle, path.name)
    except (ijson.JSONError, OSError) as exc:
        raise ValidationFailed([Problem(f"not valid JSON: {exc}", file=path.name)]) from exc

    def items() -> Iterator[Any]:
        try:
            with path.open("rb") as handle:
                yield from ijson.items(handle, "recommendations.item", use_float=True)
        except ijson.JSONError as exc:
            raise ValidationFailed([Problem(f"not valid JSON: {exc}", file=path.name)]) from exc

    return heads, items()


def _heads(handle: Any, name: str) -> dict[str, Any]:
    """`format` and `source`, and what `recommendations` holds: `list` for an array (not
    built here: it is streamed later, record by record), else the value's type."""
    heads: dict[str, Any] = {}
    events = ijson.parse(handle)
    for prefix, event, value in events:
        if prefix == "":
            if event in ("start_map", "map_key", "end_map"):
                continue
            raise ValidationFailed([Problem("is not a recommendation set", file=name)])
        if prefix in ("format", "source"):
            heads[prefix] = _value(events, event, value)
        elif prefix == "recommendations":
            heads[prefix] = list if event == "start_array" else type(value)
            if "format" in heads and "source" in heads:
                break  # the usual order: the rest is the records, streamed later
            _value(events, event, value, keep=False)
        else:
            _value(events, event, value, keep=False)
    return heads


def _value(events: Any, event: str, value: Any, *, keep: bool = True) -> Any:
    """Read the value starting at this event to its end; build it when `keep` (only
    small ones are built: format, source), else just pass over it."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder() if keep else None
    if builder is not None:
        builder.event(event, value)
    depth = 1
    for _, inner, inner_value in events:
        if builder is not None:
            builder.event(inner, inner_value)
        depth += inner in ("start_map", "start_array")
        depth -= inner in ("end_map", "end_array")
        if depth == 0:
            break
    return builder.value if builder is not None else None


def _yaml_parts(path: Path) -> tuple[dict[str, Any], Iterator[Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationFailed(
            [Problem(f"not valid YAML: {exc}", row=mark.line + 1 if mark else None, file=path.name)]
        ) from exc
    if not isinstance(data, dict):
        raise ValidationFailed([Problem("is not a recommendation set", file=path.name)])
    listed = data.get("recommendations")
    heads = {**data, "recommendations": list if isinstance(listed, list) else type(listed)}
    return heads, iter(listed if isinstance(listed, list) else [])


def is_native(path: Path) -> bool:
    """True when the file declares the project's format (looked up without reading it all)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return FORMAT.encode() in head


def read(path: Path, *, source_id: str | None = None) -> RecordSet:
    json_file = path.suffix.lower() == ".json"
    heads, items = _json_parts(path) if json_file else _yaml_parts(path)
    problems: list[Problem] = []
    if heads.get("format") != FORMAT:
        problems.append(Problem(f"must be '{FORMAT}'", field="format", file=path.name))
    given_source = heads.get("source")
    if given_source is not None and not isinstance(given_source, dict):
        problems.append(
            Problem("must be an object (id, title, publisher...)", field="source", file=path.name)
        )
    raw_source = dict(given_source) if isinstance(given_source, dict) else {}
    listed = heads.get("recommendations")
    if listed is not None and listed is not list and listed is not type(None):
        problems.append(
            Problem("must be a list of recommendations", field="recommendations", file=path.name)
        )
    if source_id:
        raw_source["id"] = source_id
    try:
        source = Source.model_validate(raw_source)
    except ValidationError as exc:
        problems += problems_from(exc, file=path.name, prefix="source")
        source = Source(
            id=id_part(str(raw_source.get("id") or "invalid")), title="x", publisher="x"
        )

    raw: list[tuple[int, dict[str, Any]]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                Problem("must be an object", field=f"recommendations[{index}]", file=path.name)
            )
            continue
        raw.append((index, item))
    id_of_ref = {
        str(item["ref"]): str(item.get("id") or f"{source.id}:{id_part(str(item['ref']))}")
        for _, item in raw
        if item.get("ref")
    }
    recommendations: list[Recommendation] = []
    for index, item in raw:
        where = f"recommendations[{index}]"
        fields = dict(item)
        parent_ref = fields.pop("parent_ref", None)
        if parent_ref is not None:
            if str(parent_ref) not in id_of_ref:
                problems.append(
                    Problem(
                        f"no recommendation with ref '{parent_ref}' in this file",
                        field=f"{where}.parent_ref",
                        file=path.name,
                    )
                )
                continue
            fields["parent_id"] = id_of_ref[str(parent_ref)]
        fields.setdefault("id", id_of_ref.get(str(fields.get("ref")), ""))
        fields["source_id"] = source.id
        fields.setdefault("language", source.language)
        try:
            recommendations.append(Recommendation.model_validate(fields))
        except ValidationError as exc:
            problems += problems_from(exc, file=path.name, prefix=where)
    if problems:
        raise ValidationFailed(problems)
    return RecordSet(source=source, recommendations=recommendations, format="native")
