"""`POST /imports`: loading a file without a shell on the server.

The body is the file itself; `filename` names it (its extension and content choose the
reader, as for `pariscall import`, and every problem quotes it). Recommendation sets
need the importer or admin role. Spreadsheets change curated records: admins apply any,
co-chairs those whose every row stays within their groups (the rows that do not are
listed, and nothing is written). Registry files need admin. The import is the same
all-or-nothing run as the command's, recorded as an ImportRun that names the token's
holder. Answers are JSON: the counts and ids on success (200), or every problem with
its file, row and field (422, or 403 for rows out of scope), in the GraphQL error shape
the API uses elsewhere. Who may import what is decided by the use case
(importers/uploaded.py), not here.
"""

from __future__ import annotations

import logging
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from analysis.i18n import LANGUAGES, text
from api.auth import authenticate, bearer
from api.delivery.events import import_finished
from api.requests import error_body, request_id
from graph.store import GraphStore
from importers import uploaded
from importers.pipeline import ImportReport
from schema.access import Actor
from schema.errors import (
    Conflict,
    Forbidden,
    GraphUnavailable,
    Problem,
    TooLarge,
    ValidationFailed,
)

log = logging.getLogger("pariscall.api")

# Ids listed per kind of change in an answer; the counts are always complete.
LISTED = 1000


def _said(problem: Problem, lang: str | None) -> str:
    """A problem in the page's language: pydantic's verdicts have words in the catalog
    (`problem_<its type>`); the importers' own messages are English for now."""
    words = text(lang) if lang in LANGUAGES else {}
    said = words.get(f"problem_{problem.kind}")
    if said is None or lang is None:
        return problem.message
    context = dict(problem.context)
    if lang == "fr" and "expected" in context:  # pydantic's list: 'a', 'b' or 'c'
        context["expected"] = context["expected"].replace("' or '", "' ou '")
    try:
        return said.format(**context)
    except (KeyError, IndexError, ValueError):
        return problem.message


def _problems(
    exc: ValidationFailed,
    folder: str | None = None,
    *,
    code: str = "VALIDATION",
    lang: str | None = None,
) -> JSONResponse:
    """422 (403 for rows out of the caller's scope, 413 for a file that unpacks beyond
    the limits) with every problem; the server's
    temporary folder is cut out of messages (some readers quote the path they opened),
    so clients see their own file name only. With `lang` (the imports page sends its
    own), the messages are in that language and the answer's message counts the
    problems rather than repeating them all."""

    def clean(text: str) -> str:
        return text.replace(folder + "/", "") if folder else text

    summary = (
        text(lang)["problems_found"].format(n=len(exc.problems))
        if lang in LANGUAGES and exc.problems
        else clean(str(exc))
    )
    body = error_body(summary, code)
    extensions: Any = body["errors"][0]["extensions"]  # type: ignore[index]
    extensions["problems"] = [
        {
            "file": clean(p.file) if p.file else None,
            "row": p.row,
            "field": p.field,
            "message": clean(_said(p, lang)),
        }
        for p in exc.problems
    ]
    status = {Forbidden.code: 403, TooLarge.code: 413}.get(code, 422)
    return JSONResponse(body, status_code=status)


def _refusal(actor: Actor, fmt: str | None, *, lang: str | None) -> str:
    """Why the token's role may not import (this format, when known)."""
    role = actor.role.value if actor.role else "anonymous"
    if lang is None:
        return f"the {role} role cannot import {fmt + ' ' if fmt else ''}files"
    t = text(lang)
    named = t.get(f"token_role_{role}", role)
    if fmt is None:
        return t["import_role_refused"].format(role=named)
    return t["import_format_refused"].format(role=named, format=fmt)


def _answer(report: ImportReport) -> dict[str, Any]:
    def listed(ids: list[str]) -> list[str]:
        return ids[:LISTED]

    return {
        "file": Path(report.file).name,
        "format": report.format,
        "kind": report.kind,
        "sourceId": report.source_id or None,
        "dryRun": report.dry_run,
        "runId": report.run_id,
        "counts": report.counts(),
        "created": listed(report.created),
        "updated": listed(report.updated),
        "withdrawn": listed(report.withdrawn),
        "warnings": report.warnings,
    }


def router() -> APIRouter:
    uploads = APIRouter()

    @uploads.post("/imports")
    async def upload(
        request: Request,
        filename: str,
        format: str = "auto",
        source: str | None = None,
        kind: str | None = None,
        dry_run: bool = False,
        replace: bool = False,
        lang: str | None = None,
    ) -> JSONResponse:
        store: GraphStore = request.app.state.store
        said = lang if lang in LANGUAGES else None
        try:
            return await _import(
                request, store, filename, format, source, kind, dry_run, replace, said
            )
        except GraphUnavailable as exc:
            log.warning("upload: %s", exc)
            return JSONResponse(error_body(exc.public, exc.code), status_code=503)

    return uploads


async def _import(
    request: Request,
    store: GraphStore,
    filename: str,
    format: str,
    source: str | None,
    kind: str | None,
    dry_run: bool,
    replace: bool = False,
    lang: str | None = None,
) -> JSONResponse:
    """The import; `lang` (en or fr, when the imports page asks) chooses the language of
    refusals and problems, English as the API has always answered otherwise."""
    actor = await anyio.to_thread.run_sync(
        partial(authenticate, store, bearer(request), anonymous_read=False)
    )
    refusal = partial(_refusal, actor, lang=lang)
    try:
        uploaded.permit_any(actor, refusal)
    except Forbidden as exc:
        # Refused before the body is read: a large upload is not received for nothing.
        return JSONResponse(error_body(str(exc), exc.code), status_code=403)
    name = Path(filename).name
    if not name or name in (".", ".."):
        return _problems(
            ValidationFailed([Problem("needs a file name", field="filename")]), lang=lang
        )
    with tempfile.TemporaryDirectory(prefix="pariscall-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            async for chunk in request.stream():
                # In a worker thread: a slow disk must not stall other requests.
                await anyio.to_thread.run_sync(out.write, chunk)
        try:
            report = await anyio.to_thread.run_sync(
                partial(
                    uploaded.import_as, store, actor, path, refusal=refusal, fmt=format,
                    source_id=source, kind=kind, dry_run=dry_run, replace_publication=replace,
                    request_id=request_id(),
                )
            )  # fmt: skip
        except ValidationFailed as exc:
            return _problems(exc, folder, code=exc.code, lang=lang)
        except Forbidden as exc:
            return JSONResponse(error_body(str(exc), exc.code), status_code=403)
        except Conflict as exc:
            return JSONResponse(error_body(str(exc), exc.code), status_code=409)
    finished = import_finished(report, actor=actor.name)
    if finished is not None:
        await request.app.state.events.announce(finished)
    return JSONResponse(_answer(report))
