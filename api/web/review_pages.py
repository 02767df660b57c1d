"""The co-chairs' review pages: a duplicate pair, a crosswalk pair, gaps, topic suggestions."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from analysis import decisions, explanations, gaps
from analysis import topics as topic_suggestions
from analysis.names import recommendations as recommendation_names
from api.requests import request_id
from api.web import collaboration, initiative_view, session
from api.web.kit import PageKit
from api.web.pages import MAX_ACCEPTED, TOPICS_PAGE, _exists, _missing, _titles, named_card
from graph import usecases
from graph.access.facts import Scope
from graph.browse.repository import by_ids
from graph.overview import repository as overview
from schema.access import Action, Facts, allowed
from schema.enums import CandidateKind
from schema.errors import Forbidden, Unauthenticated
from schema.events import AuditAction


def routes(kit: PageKit) -> APIRouter:
    """The co-chairs' review pages."""
    pages = APIRouter()
    _pairs(pages, kit)
    _gaps(pages, kit)
    _topics(pages, kit)
    return pages


def _pairs(pages: APIRouter, kit: PageKit) -> None:
    """A duplicate pair and a crosswalk pair to decide."""

    @pages.get("/review", response_class=HTMLResponse)
    async def review(request: Request, a: str, b: str, wg: str | None = None) -> Response:
        pair = await kit.run(request, decisions.get_pair, CandidateKind.INITIATIVE, a, b)
        left = await kit.run(request, named_card, a)
        right = await kit.run(request, named_card, b)
        if left is None or right is None:
            return await _missing(request, kit.render, a if left is None else b)
        who = await kit.actor(request)
        thread = await kit.run(request, collaboration.pair_thread, a, b, who)
        titles = await kit.run(request, overview.source_titles)
        state = await kit.run(request, initiative_view.pair_state, a, b, pair, who)
        return await kit.render(
            request, "review.html", pair=pair, left=left, right=right, wg=wg, thread=thread,
            source_titles=titles, state=state.state, merged_id=state.merged, may=state,
            names=await kit.run(request, explanations.names_for, [pair] if pair else []),
        )  # fmt: skip

    @pages.get("/crosswalks/review", response_class=HTMLResponse)
    async def crosswalk_review(request: Request, a: str, b: str) -> Response:
        pair = await kit.run(request, decisions.get_pair, CandidateKind.RECOMMENDATION, a, b)
        ends = await kit.run(request, by_ids, "Recommendation", [a, b])
        if a not in ends or b not in ends:
            return await _missing(request, kit.render, a if a not in ends else b)
        return await kit.render(
            request, "crosswalk.html", pair=pair, ends=[ends[a], ends[b]],
            refs={id: str(node.get("ref") or id) for id, node in ends.items()},
            source_titles=await kit.run(request, overview.source_titles),
            names=await kit.run(request, explanations.names_for, [pair] if pair else []),
        )  # fmt: skip


def _gaps(pages: APIRouter, kit: PageKit) -> None:
    """A group's gaps and one cell of them (the recommendations behind a count)."""

    @pages.get("/wg/{wg}/gaps", response_class=HTMLResponse)
    async def gaps_page(request: Request, wg: str) -> Response:
        if not await _exists(request, kit.run, wg):
            return await _missing(request, kit.render, wg)
        cells = await kit.run(request, gaps.coverage_matrix, working_group=wg)
        found = await kit.run(request, gaps.find_gaps, working_group=wg)
        names = await kit.run(request, overview.names)
        topics = sorted({c.topic_id for c in cells})
        untagged = await kit.run(request, topic_suggestions.untagged_by_source)
        # a set imported without topics still gets its column, with a "no topic yet" cell
        sources = sorted({c.source_id for c in cells if c.recommendations} | set(untagged))
        grid = {(c.topic_id, c.source_id): c for c in cells}
        return await kit.render(
            request, "gaps.html", wg=wg, topics=topics, sources=sources, grid=grid,
            gaps=found, names=names, untagged=untagged,
            source_titles=await kit.run(request, overview.source_titles),
            recommendation_titles=await kit.run(request, _titles, "Recommendation",
                                            [i for g in found.probably_covered
                                             for i in g.recommendation_ids]),
        )  # fmt: skip

    @pages.get("/wg/{wg}/gaps/cell", response_class=HTMLResponse)
    async def gaps_cell(
        request: Request, wg: str, source: str, topic: str | None = None
    ) -> Response:
        """The recommendations behind one heatmap cell, named, with who implements them."""
        if not await _exists(request, kit.run, wg):
            return await _missing(request, kit.render, wg)
        titles = await kit.run(request, overview.source_titles)
        if source not in titles:
            return await _missing(request, kit.render, source)
        rows = await kit.run(
            request, gaps.coverage_cell, source=source, topic=topic or None, working_group=wg
        )
        return await kit.render(
            request, "cell.html", wg=wg, source=source, topic=topic or None, rows=rows,
            source_titles=titles, names=await kit.run(request, overview.names),
            recommendations=await kit.run(request, recommendation_names, [r["id"] for r in rows]),
        )  # fmt: skip


def _topics(pages: APIRouter, kit: PageKit) -> None:
    """Topic suggestions of imported recommendations, and accepting them."""

    @pages.get("/topics", response_class=HTMLResponse)
    async def topics_page(
        request: Request,
        accepted: int | None = None,
        refused: int | None = None,
        page: int = 1,
    ) -> Response:
        who = await kit.actor(request)
        ranked = await kit.run(request, topic_suggestions.ranked)
        pages_count = max(1, -(-len(ranked) // TOPICS_PAGE))
        page = min(max(page, 1), pages_count)
        shown = ranked[(page - 1) * TOPICS_PAGE : page * TOPICS_PAGE]
        suggested: dict[str, set[str]] = defaultdict(set)
        for s in ranked:
            suggested[s.source_id].add(s.recommendation)
        return await kit.render(
            request, "topics.html", shown=shown, total=len(ranked), page=page,
            pages=pages_count, first=(page - 1) * TOPICS_PAGE + 1,
            confident=topic_suggestions.CONFIDENT, suggested=suggested,
            untagged=await kit.run(request, topic_suggestions.untagged_by_source),
            names=await kit.run(request, recommendation_names, [s.recommendation for s in shown]),
            accepted=accepted, refused=bool(refused),
            can_accept=allowed(who, Action.ACCEPT_TOPICS, Facts()),
            source_titles=await kit.run(request, overview.source_titles),
        )  # fmt: skip

    @pages.post("/topics/accept")
    async def accept_topics(
        request: Request,
        csrf: str = Form(...),
        pair: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        who = await kit.actor(request)
        if not session.csrf_ok(request, csrf):
            return RedirectResponse("/topics?refused=1", status_code=303)
        split = (p.split("|", 1) for p in pair or [] if p.count("|") == 1)
        pairs = [(recommendation, topic) for recommendation, topic in split][:MAX_ACCEPTED]
        try:
            done = await kit.run(
                request, usecases.run, who, action=Action.ACCEPT_TOPICS, scope=Scope(),
                records=AuditAction.ACCEPT_TOPICS, request_id=request_id(),
                change=lambda work: topic_suggestions.accept(work, pairs),
            )  # fmt: skip
        except (Forbidden, Unauthenticated):
            return RedirectResponse("/topics?refused=1", status_code=303)
        return RedirectResponse(f"/topics?accepted={done.result}", status_code=303)
