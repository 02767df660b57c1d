"""OSCAL catalogs (NIST's machine-readable form) through compliance-trestle's models.

metadata -> Source (title, version, publisher from the parties named as publisher);
groups and controls, nested at any depth -> Recommendations with ref = control id,
the statement prose as text, and parent links kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from importers.recordset import RecordSet, id_part
from importers.validation import field_path, message, problems_from
from schema.errors import Problem, ValidationFailed
from schema.ids import slugify
from schema.models import Recommendation, Source


def _text(value: Any) -> str | None:
    """Trestle wraps many strings in root models; unwrap them."""
    while value is not None and hasattr(value, "root"):
        value = value.root
    return None if value is None else str(value)


def _prose(parts: list[Any] | None, names: tuple[str, ...] = ("statement",)) -> str | None:
    """The prose of the named parts and everything nested in them, in document order."""
    out: list[str] = []

    def walk(items: list[Any] | None, inside: bool) -> None:
        for part in items or []:
            wanted = inside or _text(getattr(part, "name", None)) in names
            prose = _text(getattr(part, "prose", None))
            if wanted and prose:
                out.append(prose.strip())
            walk(getattr(part, "parts", None), wanted)

    walk(parts, False)
    return "\n".join(out) or None


def _nodes(container: Any, parent: str | None) -> Iterator[tuple[Any, str | None]]:
    for group in getattr(container, "groups", None) or []:
        yield group, parent
        yield from _nodes(group, _text(group.id))
    for control in getattr(container, "controls", None) or []:
        yield control, parent
        yield from _nodes(control, _text(control.id))


def _trestle_problems(message: str, file: str) -> list[Problem]:
    """Trestle's schema report: a heading line, then `  path: what is wrong` per problem."""
    problems = []
    for line in message.splitlines()[1:]:
        where, _, what = line.strip().partition(": ")
        if what:
            problems.append(Problem(what, field=f"catalog.{where}", file=file))
    return problems or [Problem(message.strip().splitlines()[0], file=file)]


_ALTERNATIVE = re.compile(r"[A-Z][A-Za-z]*\d+")


def _tags(loc: tuple[Any, ...]) -> list[int]:
    """Positions of trestle's alternative names (Group1, Group2) in an error's path."""
    return [
        i for i, part in enumerate(loc) if isinstance(part, str) and _ALTERNATIVE.fullmatch(part)
    ]


def _catalog_problems(exc: ValidationError, file: str) -> list[Problem]:
    """pydantic's report on a catalog, each problem at its path in the file. Trestle
    models some objects as alternatives (`Group1`, `Group2`: with or without controls);
    the alternative that was merely the wrong shape ("extra inputs") is left out, and
    the alternatives' names are not part of the path."""
    errors = exc.errors()
    # The paths up to an alternative that failed for a real reason.
    real = {
        tuple(e["loc"][:i])
        for e in errors
        if e["type"] != "extra_forbidden"
        for i in _tags(tuple(e["loc"]))
    }
    out: list[Problem] = []
    for error in errors:
        loc = tuple(error["loc"])
        tags = _tags(loc)
        if error["type"] == "extra_forbidden" and any(loc[:i] in real for i in tags):
            continue  # the other alternative is the one that applies
        plain = tuple(part for i, part in enumerate(loc) if i not in tags)
        problem = Problem(message(error["msg"]), field=f"catalog.{field_path(plain)}", file=file)
        if problem not in out:
            out.append(problem)
    return out


def publication_id(title: str) -> str:
    """A source id from the whole title: its first ten words, and for a longer title a
    short hash of all of it, so that titles differing only near their end (a baseline's
    'LOW' or 'MODERATE') stay apart, and the same title always gives the same id."""
    words = slugify(title, max_words=1000).split("-")
    if len(words) <= 10:
        return id_part("-".join(words))
    digest = hashlib.sha256("-".join(words).encode()).hexdigest()[:6]
    return id_part("-".join(words[:10]) + "-" + digest)


def read(path: Path, *, source_id: str | None = None) -> RecordSet:
    from trestle.common.err import TrestleError
    from trestle.oscal.catalog import Catalog  # heavy; only when an OSCAL file is read

    try:
        catalog = Catalog.oscal_read(path)
    except TrestleError as exc:
        # Trestle keeps only pydantic's first message; the report with every field's path
        # is the error it was handling.
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, ValidationError):
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, ValidationError):
            raise ValidationFailed(_catalog_problems(cause, path.name)) from exc
        raise ValidationFailed(_trestle_problems(str(exc), path.name)) from exc
    except ValidationError as exc:
        raise ValidationFailed(problems_from(exc, file=path.name)) from exc
    except (ValueError, OSError) as exc:
        raise ValidationFailed([Problem(f"not an OSCAL catalog: {exc}", file=path.name)]) from exc
    if not isinstance(catalog, Catalog):
        raise ValidationFailed([Problem("not an OSCAL catalog", file=path.name)])

    meta = catalog.metadata
    title = _text(meta.title) or path.stem
    parties = {_text(p.uuid): _text(p.name) for p in meta.parties or []}
    publishers = [
        parties.get(_text(uuid))
        for role in meta.responsible_parties or []
        if _text(role.role_id) == "publisher"
        for uuid in role.party_uuids or []
    ]
    published = meta.published or meta.last_modified
    # The whole title names the publication: cut to six words, NIST SP 800-53 revision 4,
    # revision 5 and each baseline's catalog all became one source and overwrote each
    # other. Versions of one publication keep its title, so they update one source.
    sid = source_id or publication_id(title)
    problems: list[Problem] = []
    try:
        source = Source(
            id=sid,
            title=title[:300],
            publisher=", ".join(p for p in publishers if p) or "unknown publisher",
            version=_text(meta.version),
            year=published.year if published else None,
            language="en",
        )
    except ValidationError as exc:
        raise ValidationFailed(problems_from(exc, file=path.name, prefix="metadata")) from exc

    recommendations: list[Recommendation] = []
    for index, (node, parent) in enumerate(_nodes(catalog, None)):
        ref = _text(node.id) or f"node-{index}"
        try:
            recommendations.append(
                Recommendation(
                    id=f"{sid}:{id_part(ref)}",
                    source_id=sid,
                    ref=ref,
                    title=_text(node.title),
                    text=_prose(node.parts) or _prose(node.parts, ("overview", "guidance")),
                    language="en",
                    parent_id=f"{sid}:{id_part(parent)}" if parent else None,
                )
            )
        except ValidationError as exc:
            problems += problems_from(exc, file=path.name, prefix=ref)
    if problems:
        raise ValidationFailed(problems)
    return RecordSet(source=source, recommendations=recommendations, format="oscal")
