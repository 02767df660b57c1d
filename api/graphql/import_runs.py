"""The history of imports: what was loaded, when, from which file, by whom, with what
counts. Import runs name token holders, so, like the audit trail, they are shown to
admins, co-chairs and importers only."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.pagination import Connection, Listing
from graph.imports import repository as imports
from schema.access_checks import Guarded, check


@strawberry.type(description="Records a run created, updated, left unchanged, withdrew, skipped.")
class ImportCounts:
    created: int
    updated: int
    unchanged: int
    withdrawn: int
    skipped: int


@strawberry.type(description="One `pariscall import` or `POST /imports` of one file.")
class ImportRun:
    id: strawberry.ID
    status: str = strawberry.field(
        description="published, unchanged, failed, abandoned (importer died), or staging"
    )
    source_id: strawberry.ID | None
    kind: str | None
    file: str | None
    file_sha256: str | None
    format: str | None
    started_at: str | None
    actor: str | None = strawberry.field(description="the token holder, for API uploads")
    error: str | None
    counts: ImportCounts


def _run(row: dict[str, Any]) -> ImportRun:
    return ImportRun(
        id=strawberry.ID(row["id"]),
        status=row["status"],
        source_id=strawberry.ID(row["source_id"]) if row.get("source_id") else None,
        kind=row.get("kind"),
        file=row.get("file"),
        file_sha256=row.get("file_sha256"),
        format=row.get("format"),
        started_at=row.get("started_at"),
        actor=row.get("actor"),
        error=row.get("error"),
        counts=ImportCounts(
            **{
                k: int(row.get(k) or 0)
                for k in ("created", "updated", "unchanged", "withdrawn", "skipped")
            }
        ),
    )


RUNS = Listing(imports.runs, imports.run_count, _run)


@strawberry.type
class ImportRunQueries:
    @strawberry.field(description="Imports, newest first (admins, co-chairs and importers).")
    async def import_runs(
        self,
        info: Info[Context, None],
        source_id: strawberry.ID | None = None,
        status: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ImportRun]:
        ctx = info.context
        who = ctx.actor
        check(who, Guarded.IMPORT_HISTORY)
        return await RUNS.page(ctx, first, after, {"source": source_id, "status": status})
