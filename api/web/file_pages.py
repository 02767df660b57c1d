"""Files in and out: the imports page, spreadsheet templates, the Forum report."""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from analysis import report
from api.web import session, sources_view
from api.web.headers import REPORT_POLICY
from api.web.kit import PageKit
from api.web.pages import _missing, render_report_html
from importers.spreadsheet import KINDS as SHEET_KINDS
from importers.spreadsheet import write_template
from schema.access import IMPORT_HISTORY_READERS, may_import
from schema.errors import NotFound


def routes(kit: PageKit) -> APIRouter:
    """Files in and out."""
    pages = APIRouter()

    @pages.get("/imports", response_class=HTMLResponse)
    async def imports_page(request: Request) -> Response:
        who = await kit.actor(request)
        history = (
            await kit.run(request, sources_view.named_history)
            if who.role in IMPORT_HISTORY_READERS
            else None
        )
        return await kit.render(
            request, "imports.html", history=history, can_upload=may_import(who)
        )

    @pages.get("/imports/templates/{name}")
    async def sheet_template(name: str) -> Response:
        """An empty sheet of one kind (no data: anyone may fetch it)."""
        kind, _, fmt = name.rpartition(".")
        if kind not in SHEET_KINDS or fmt not in ("csv", "xlsx"):
            return Response(status_code=404)
        buffer = io.BytesIO()
        write_template(kind, buffer, fmt)
        media = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        return Response(
            buffer.getvalue(),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{kind}-template.{fmt}"'},
        )

    @pages.get("/wg/{wg}/report.{fmt}")
    async def report_file(request: Request, wg: str, fmt: str, inline: bool = False) -> Response:
        """The report as a file to download, or (`?inline=1`, HTML) a page to show."""
        lang = session.language(request)
        missing = f"{wg}/report.{fmt}"
        if fmt not in ("html", "md", "xlsx"):
            return await _missing(request, kit.render, missing)
        try:
            data = await kit.run(request, report.build, wg)
        except NotFound:
            return await _missing(request, kit.render, missing)
        name = f"forum-report-{wg}-{data.generated_at:%Y%m%d}.{fmt}"
        disposition = {"content-disposition": f'attachment; filename="{name}"'}
        if fmt == "md":
            return Response(
                report.to_markdown(data, lang=lang),
                media_type="text/markdown; charset=utf-8",
                headers=disposition,
            )
        if fmt == "xlsx":
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return Response(report.to_xlsx(data, lang=lang), media_type=media, headers=disposition)
        return Response(
            render_report_html(data, lang=lang),
            media_type="text/html; charset=utf-8",
            headers={"content-security-policy": REPORT_POLICY} | ({} if inline else disposition),
        )

    return pages
