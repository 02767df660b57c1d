"""The registry's own pages: home, search, a working group, an initiative, a source, and
the graph view."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from analysis import report, search
from analysis.i18n import label
from analysis.names import recommendations as recommendation_names
from api.web import collaboration, initiative_view, session, sources_view
from api.web.kit import PageKit
from api.web.pages import INITIATIVES_PAGE, SEARCHED, _exists, _missing, named_card
from graph.overview import repository as overview
from schema.errors import NotFound


def routes(kit: PageKit) -> APIRouter:
    """The registry's own pages."""
    pages = APIRouter()
    _browsing(pages, kit)
    _records_and_graph(pages, kit)
    return pages


def _browsing(pages: APIRouter, kit: PageKit) -> None:
    """Home, search and a working group's page."""

    @pages.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        counts = await kit.run(request, overview.counts)
        groups = await kit.run(request, report.readiness)
        titles = await kit.run(request, overview.source_titles)
        return await kit.render(
            request, "home.html", counts=counts, groups=groups, source_titles=titles
        )

    @pages.get("/search", response_class=HTMLResponse)
    async def search_page(request: Request, q: str = "") -> Response:
        limit = kit.settings.max_search_chars
        if len(q) > limit:  # refused before any work, as the API's `search` is
            page = await kit.render(
                request, "search.html", q="", hits=[], source_titles={}, too_long=limit
            )
            page.status_code = 400
            return page
        words = q.strip()
        hits = await kit.run(request, search.search, words, SEARCHED, 30) if words else []
        titles = await kit.run(request, overview.source_titles)
        named = [h.id for h in hits if h.label == "Recommendation"]
        return await kit.render(
            request, "search.html", q=words, hits=hits, source_titles=titles,
            names=await kit.run(request, recommendation_names, named),
        )  # fmt: skip

    @pages.get("/wg/{wg}", response_class=HTMLResponse)
    async def group(request: Request, wg: str, page: int = 1, all: bool = False) -> Response:
        # A group of thousands of initiatives shows them a page at a time, with their
        # count, the next and previous pages, and "show all", which streams the page.
        page = 1 if all else max(page, 1)
        first = (page - 1) * INITIATIVES_PAGE
        limit = None if all else INITIATIVES_PAGE
        try:
            card = await kit.run(request, report.group_page, wg, skip=first, limit=limit)
            if not card.initiatives and card.total and first:  # past the last page
                page = -(-card.total // INITIATIVES_PAGE)
                first = (page - 1) * INITIATIVES_PAGE
                card = await kit.run(request, report.group_page, wg, skip=first, limit=limit)
        except NotFound:
            return await _missing(request, kit.render, wg)
        total = card.total
        pages_count = max(1, -(-total // INITIATIVES_PAGE))
        shown = card.initiatives
        members = await kit.run(request, overview.members, wg)
        by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for member in members:
            by_kind[member["kind"]].append(member)
        lang = session.language(request)
        desk = await kit.run(request, collaboration.desk, wg, await kit.actor(request), lang)
        all_topics = (
            await kit.run(request, overview.topic_names, lang) if desk.may_open_call else []
        )
        context: dict[str, Any] = dict(
            wg=card.working_group, report=card, shown=shown, total=total, page=page,
            pages=1 if all else pages_count, first=first + 1, paged=pages_count > 1,
            members=dict(sorted(by_kind.items())), gaps=card.gaps, desk=desk,
            open_calls=collaboration.open_calls(desk), all_topics=all_topics,
            topic_names=card.names,  # the report's: its pairs' reasons named too
        )  # fmt: skip
        if all:
            return await kit.render(request, "group.html", stream=True, **context)
        return await kit.render(request, "group.html", **context)


def _records_and_graph(pages: APIRouter, kit: PageKit) -> None:
    """A source, an initiative, and a working group's graph view and its data."""

    @pages.get("/sources/{id}", response_class=HTMLResponse)
    async def source(request: Request, id: str) -> Response:
        page = await kit.run(request, sources_view.source_page, id, await kit.actor(request))
        if page is None:
            return await _missing(request, kit.render, id)
        return await kit.render(request, "source.html", page=page)

    @pages.get("/initiatives/{id}", response_class=HTMLResponse)
    async def initiative(request: Request, id: str) -> Response:
        card = await kit.run(request, named_card, id)
        if card is None:
            return await _missing(request, kit.render, id)
        who = await kit.actor(request)
        thread = await kit.run(request, collaboration.initiative_thread, id, who)
        titles = await kit.run(request, overview.source_titles)
        more = await kit.run(request, initiative_view.view, id, who)
        return await kit.render(
            request, "initiative.html", card=card, thread=thread, source_titles=titles, view=more
        )

    @pages.get("/wg/{wg}/graph", response_class=HTMLResponse)
    async def graph_page(request: Request, wg: str) -> Response:
        if not await _exists(request, kit.run, wg):
            return await _missing(request, kit.render, wg)
        return await kit.render(request, "graph.html", wg=wg)

    @pages.get("/wg/{wg}/graph.json")
    async def graph_data(request: Request, wg: str) -> JSONResponse:
        """The group's network, named in the reader's language: initiatives (status,
        language, contributors), the recommendations they implement (with their source's
        title) and the topics they address; `links` is each node's number of edges."""
        lang = session.language(request)
        rows = await kit.run(request, overview.network, wg)
        titles = await kit.run(request, overview.source_titles)
        implemented = [r["target"] for r in rows if r["type"] == "IMPLEMENTS"]
        rec_names = await kit.run(request, recommendation_names, implemented)
        nodes: dict[str, dict[str, Any]] = {}
        edges = []
        for row in rows:
            nodes.setdefault(
                row["source"],
                {
                    "id": row["source"],
                    "label": row["source_label"],
                    "kind": "initiative",
                    "status": row["status"],
                    "status_label": label(lang, "status", row["status"]),
                    "language": row["language"],
                    "contributors": sorted(n for n in row["contributors"] if n),
                    "href": f"/initiatives/{quote(row['source'])}",
                },
            )
            if row["target"] is None:
                continue
            if row["type"] == "IMPLEMENTS":
                node = {
                    "kind": "recommendation",
                    "label": str(rec_names.get(row["target"]) or row["target"]),
                    "source": titles.get(row["target_source"], row["target_source"]),
                }
            else:
                named = row["name_fr"] if lang == "fr" else row["name_en"]
                node = {"kind": "topic", "label": named or row["target"], "href": "/topics"}
            nodes.setdefault(row["target"], {"id": row["target"], **node})
            edges.append({"source": row["source"], "target": row["target"], "type": row["type"]})
        links = Counter(end for e in edges for end in (e["source"], e["target"]))
        ordered = sorted(nodes.values(), key=lambda n: (n["kind"], n["id"]))
        for node in ordered:
            node["links"] = links[node["id"]]
        return JSONResponse({"nodes": ordered, "edges": edges})
