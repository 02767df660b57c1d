"""The co-chairs' pages: home, working group, duplicate review, gaps, graph view, report.

Pages read through the same use cases as GraphQL and the CLI; the buttons that change
anything call the GraphQL API from the browser with the session cookie and the CSRF
token, so permissions and the audit trail are the API's own.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from analysis import decisions, explanations, gaps, report, search
from analysis import topics as topic_suggestions
from analysis.i18n import label, text
from analysis.names import recommendations as recommendation_names
from api.auth import authenticate
from api.markdown import render as render_markdown
from api.requests import request_id
from api.settings import Settings
from api.web import collaboration, initiative_view, session, sources_view
from api.web.headers import REPORT_POLICY
from graph.repositories import overview
from graph.repositories.browse import by_ids
from graph.store import GraphStore
from importers.spreadsheet import KINDS as SHEET_KINDS
from importers.spreadsheet import write_template
from schema import kinds
from schema.access import (
    ANONYMOUS,
    IMPORT_HISTORY_READERS,
    Action,
    Actor,
    Facts,
    allowed,
    may_import,
)
from schema.enums import CandidateKind
from schema.errors import NotFound, Unauthenticated
from schema.naming import ShownName
from schema.text import visible

HERE = Path(__file__).parent


def shown_name(name: ShownName) -> Markup:
    """A recommendation's name as HTML: its reference in its own style, then its words
    (schema/naming.py), so the two never run into each other."""
    label = escape(visible(name.label))
    if not name.ref:
        return Markup(label)
    ref = Markup('<span class="ref">{}</span>').format(visible(name.ref))
    return ref + Markup(" ") + label if name.label else ref


# Pairs one form may accept: the page never shows more suggestions than this at once.
MAX_ACCEPTED = 5000
# Topic suggestions shown per page, the most confident first.
TOPICS_PAGE = 50
# A working group's initiatives shown per page (its page stays small at 10,000).
INITIATIVES_PAGE = 100
templates = Jinja2Templates(directory=HERE / "templates")
# Every value a page shows goes through `visible`: bidi controls in stored text are shown
# as markers instead of reordering what is around them (Jinja escapes HTML already).
# Markup (already safe HTML, such as a rendered comment) passes as it is.
templates.env.finalize = lambda value: (
    visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value
)
templates.env.globals["comment_html"] = collaboration.comment_html
templates.env.globals["shown_name"] = shown_name
# A proposal's message: the light Markdown of comments, through the same safe renderer.
templates.env.globals["markdown_html"] = lambda text: Markup(render_markdown(text or ""))
# A pair a person decided without a suggestion has no score: a dash, not a made-up number.
templates.env.filters["score"] = lambda value: "—" if value is None else f"{value:.2f}"


@pass_context
def _label(context: Any, value: str | None, prefix: str) -> str:
    """`{{ i.status|label('status') }}`: an enumeration's value in the page's language."""
    return label(context.get("lang", "en"), prefix, value)


@pass_context
def _own(context: Any, record: Any, field: str) -> Any:
    """`{{ own(wg, 'name') }}`: a record's own text in the page's language (its `name_fr`
    on French pages when stored, the English text otherwise)."""

    def get(key: str) -> Any:
        return record.get(key) if isinstance(record, dict) else getattr(record, key, None)

    return (context.get("lang") == "fr" and get(f"{field}_fr")) or get(field)


@pass_context
def _explain(context: Any, candidate: Any, names: Any = None) -> str:
    """`{{ explain(pair, names) }}`: why a pair was suggested, in the page's language."""
    return explanations.of(candidate, context.get("lang", "en"), names)


templates.env.filters["label"] = _label
templates.env.globals["explain"] = _explain
templates.env.globals["own"] = _own
T = TypeVar("T")
# What the search page looks through, in the order its results are grouped.
SEARCHED = list(kinds.SEARCHED)


class SignInRequired(Exception):
    """A page asked for without a session where anonymous reading is switched off."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def unavailable_page(request: Request) -> str:
    """The page shown while the graph engine is down: it needs nothing from the graph."""
    lang = session.language(request)
    return templates.get_template("unavailable.html").render(
        lang=lang, t=text(lang), request_id=request_id()
    )


def mount(app: FastAPI, settings: Settings) -> None:
    """Add the pages and their static files to the app."""
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse(f"/signin?next={quote(exc.path)}", status_code=303)

    app.include_router(router(settings), dependencies=[Depends(_reader(settings))])


def _reader(settings: Settings) -> Callable[[Request], Any]:
    """Every page but sign-in needs a session when anonymous reading is off."""

    async def check(request: Request) -> None:
        if settings.anonymous_read or request.url.path in ("/signin", "/signout"):
            return
        secret = request.cookies.get(session.TOKEN_COOKIE)
        store: GraphStore = request.app.state.store
        try:
            if secret:
                # Kept for the page itself, which would otherwise look the token up again.
                request.state.actor = await anyio.to_thread.run_sync(
                    partial(authenticate, store, secret, anonymous_read=False)
                )
                return
        except Unauthenticated:
            pass
        raise SignInRequired(request.url.path)

    return check


def router(settings: Settings) -> APIRouter:
    pages = APIRouter()
    secure = settings.production

    async def run(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        store: GraphStore = request.app.state.store
        return await anyio.to_thread.run_sync(partial(fn, store, *args, **kwargs))

    async def actor(request: Request) -> Actor:
        known: Actor | None = getattr(request.state, "actor", None)
        if known is not None:
            return known
        secret = request.cookies.get(session.TOKEN_COOKIE)
        if not secret:
            return ANONYMOUS
        try:
            return await run(request, authenticate, secret, anonymous_read=True)
        except Unauthenticated:
            return ANONYMOUS

    async def render(
        request: Request, name: str, *, stream: bool = False, **context: Any
    ) -> Response:
        lang = session.language(request)
        csrf = session.csrf_token(request)
        who = await actor(request)
        other = "fr" if lang == "en" else "en"
        query = dict(request.query_params) | {"lang": other}
        switch = request.url.path + "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
        values = {"t": text(lang), "lang": lang, "csrf": csrf, "actor": who, "switch": switch,
                  "path": request.url.path, **context}  # fmt: skip
        response: Response
        if stream:
            # Rendered while it is sent: a long page starts arriving at once, and is never
            # held whole in memory.
            generated = templates.get_template(name).generate({"request": request, **values})
            response = StreamingResponse(_chunked(generated), media_type="text/html; charset=utf-8")
        else:
            response = templates.TemplateResponse(request, name, values)
        session.remember(response, request, csrf=csrf, lang=lang, secure=secure)
        return response

    @pages.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        counts = await run(request, overview.counts)
        groups = await run(request, report.readiness)
        titles = await run(request, overview.source_titles)
        return await render(
            request, "home.html", counts=counts, groups=groups, source_titles=titles
        )

    @pages.get("/search", response_class=HTMLResponse)
    async def search_page(request: Request, q: str = "") -> Response:
        limit = settings.max_search_chars
        if len(q) > limit:  # refused before any work, as the API's `search` is
            page = await render(
                request, "search.html", q="", hits=[], source_titles={}, too_long=limit
            )
            page.status_code = 400
            return page
        words = q.strip()
        hits = await run(request, search.search, words, SEARCHED, 30) if words else []
        titles = await run(request, overview.source_titles)
        named = [h.id for h in hits if h.label == "Recommendation"]
        return await render(
            request, "search.html", q=words, hits=hits, source_titles=titles,
            names=await run(request, recommendation_names, named),
        )  # fmt: skip

    @pages.get("/wg/{wg}", response_class=HTMLResponse)
    async def group(request: Request, wg: str, page: int = 1, all: bool = False) -> Response:
        # A group of thousands of initiatives shows them a page at a time, with their
        # count, the next and previous pages, and "show all", which streams the page.
        page = 1 if all else max(page, 1)
        first = (page - 1) * INITIATIVES_PAGE
        limit = None if all else INITIATIVES_PAGE
        try:
            card = await run(request, report.group_page, wg, skip=first, limit=limit)
            if not card.initiatives and card.total and first:  # past the last page
                page = -(-card.total // INITIATIVES_PAGE)
                first = (page - 1) * INITIATIVES_PAGE
                card = await run(request, report.group_page, wg, skip=first, limit=limit)
        except NotFound:
            return await _missing(request, render, wg)
        total = card.total
        pages_count = max(1, -(-total // INITIATIVES_PAGE))
        shown = card.initiatives
        members = await run(request, overview.members, wg)
        by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for member in members:
            by_kind[member["kind"]].append(member)
        lang = session.language(request)
        desk = await run(request, collaboration.desk, wg, await actor(request), lang)
        all_topics = await run(request, overview.topic_names, lang) if desk.may_open_call else []
        context: dict[str, Any] = dict(
            wg=card.working_group, report=card, shown=shown, total=total, page=page,
            pages=1 if all else pages_count, first=first + 1, paged=pages_count > 1,
            members=dict(sorted(by_kind.items())), gaps=card.gaps, desk=desk,
            open_calls=collaboration.open_calls(desk), all_topics=all_topics,
            topic_names=card.names,  # the report's: its pairs' reasons named too
        )  # fmt: skip
        if all:
            return await render(request, "group.html", stream=True, **context)
        return await render(request, "group.html", **context)

    @pages.get("/imports", response_class=HTMLResponse)
    async def imports_page(request: Request) -> Response:
        who = await actor(request)
        history = (
            await run(request, sources_view.named_history)
            if who.role in IMPORT_HISTORY_READERS
            else None
        )
        return await render(request, "imports.html", history=history, can_upload=may_import(who))

    @pages.get("/sources/{id}", response_class=HTMLResponse)
    async def source(request: Request, id: str) -> Response:
        page = await run(request, sources_view.source_page, id, await actor(request))
        if page is None:
            return await _missing(request, render, id)
        return await render(request, "source.html", page=page)

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

    @pages.get("/review", response_class=HTMLResponse)
    async def review(request: Request, a: str, b: str, wg: str | None = None) -> Response:
        pair = await run(request, decisions.get_pair, CandidateKind.INITIATIVE, a, b)
        left = await run(request, named_card, a)
        right = await run(request, named_card, b)
        if left is None or right is None:
            return await _missing(request, render, a if left is None else b)
        who = await actor(request)
        thread = await run(request, collaboration.pair_thread, a, b, who)
        titles = await run(request, overview.source_titles)
        state = await run(request, initiative_view.pair_state, a, b, pair, who)
        return await render(
            request, "review.html", pair=pair, left=left, right=right, wg=wg, thread=thread,
            source_titles=titles, state=state.state, merged_id=state.merged, may=state,
            names=await run(request, explanations.names_for, [pair] if pair else []),
        )  # fmt: skip

    @pages.get("/initiatives/{id}", response_class=HTMLResponse)
    async def initiative(request: Request, id: str) -> Response:
        card = await run(request, named_card, id)
        if card is None:
            return await _missing(request, render, id)
        who = await actor(request)
        thread = await run(request, collaboration.initiative_thread, id, who)
        titles = await run(request, overview.source_titles)
        more = await run(request, initiative_view.view, id, who)
        return await render(
            request, "initiative.html", card=card, thread=thread, source_titles=titles, view=more
        )

    @pages.get("/crosswalks/review", response_class=HTMLResponse)
    async def crosswalk_review(request: Request, a: str, b: str) -> Response:
        pair = await run(request, decisions.get_pair, CandidateKind.RECOMMENDATION, a, b)
        ends = await run(request, _records, "Recommendation", [a, b])
        if a not in ends or b not in ends:
            return await _missing(request, render, a if a not in ends else b)
        return await render(
            request, "crosswalk.html", pair=pair, ends=[ends[a], ends[b]],
            refs={id: str(node.get("ref") or id) for id, node in ends.items()},
            source_titles=await run(request, overview.source_titles),
            names=await run(request, explanations.names_for, [pair] if pair else []),
        )  # fmt: skip

    @pages.get("/wg/{wg}/gaps", response_class=HTMLResponse)
    async def gaps_page(request: Request, wg: str) -> Response:
        if not await _exists(request, run, wg):
            return await _missing(request, render, wg)
        cells = await run(request, gaps.coverage_matrix, working_group=wg)
        found = await run(request, gaps.find_gaps, working_group=wg)
        names = await run(request, overview.names)
        topics = sorted({c.topic_id for c in cells})
        untagged = await run(request, topic_suggestions.untagged_by_source)
        # a set imported without topics still gets its column, with a "no topic yet" cell
        sources = sorted({c.source_id for c in cells if c.recommendations} | set(untagged))
        grid = {(c.topic_id, c.source_id): c for c in cells}
        return await render(
            request, "gaps.html", wg=wg, topics=topics, sources=sources, grid=grid,
            gaps=found, names=names, untagged=untagged,
            source_titles=await run(request, overview.source_titles),
            recommendation_titles=await run(request, _titles, "Recommendation",
                                            [i for g in found.probably_covered
                                             for i in g.recommendation_ids]),
        )  # fmt: skip

    @pages.get("/wg/{wg}/gaps/cell", response_class=HTMLResponse)
    async def gaps_cell(
        request: Request, wg: str, source: str, topic: str | None = None
    ) -> Response:
        """The recommendations behind one heatmap cell, named, with who implements them."""
        if not await _exists(request, run, wg):
            return await _missing(request, render, wg)
        titles = await run(request, overview.source_titles)
        if source not in titles:
            return await _missing(request, render, source)
        rows = await run(
            request, gaps.coverage_cell, source=source, topic=topic or None, working_group=wg
        )
        return await render(
            request, "cell.html", wg=wg, source=source, topic=topic or None, rows=rows,
            source_titles=titles, names=await run(request, overview.names),
            recommendations=await run(request, recommendation_names, [r["id"] for r in rows]),
        )  # fmt: skip

    @pages.get("/topics", response_class=HTMLResponse)
    async def topics_page(
        request: Request,
        accepted: int | None = None,
        refused: int | None = None,
        page: int = 1,
    ) -> Response:
        who = await actor(request)
        ranked = await run(request, topic_suggestions.ranked)
        pages_count = max(1, -(-len(ranked) // TOPICS_PAGE))
        page = min(max(page, 1), pages_count)
        shown = ranked[(page - 1) * TOPICS_PAGE : page * TOPICS_PAGE]
        suggested: dict[str, set[str]] = defaultdict(set)
        for s in ranked:
            suggested[s.source_id].add(s.recommendation)
        return await render(
            request, "topics.html", shown=shown, total=len(ranked), page=page,
            pages=pages_count, first=(page - 1) * TOPICS_PAGE + 1,
            confident=topic_suggestions.CONFIDENT, suggested=suggested,
            untagged=await run(request, topic_suggestions.untagged_by_source),
            names=await run(request, recommendation_names, [s.recommendation for s in shown]),
            accepted=accepted, refused=bool(refused),
            can_accept=allowed(who, Action.ACCEPT_TOPICS, Facts()),
            source_titles=await run(request, overview.source_titles),
        )  # fmt: skip

    @pages.post("/topics/accept")
    async def accept_topics(
        request: Request,
        csrf: str = Form(...),
        pair: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        who = await actor(request)
        if not session.csrf_ok(request, csrf) or not allowed(who, Action.ACCEPT_TOPICS, Facts()):
            return RedirectResponse("/topics?refused=1", status_code=303)
        pairs = [tuple(p.split("|", 1)) for p in pair or [] if p.count("|") == 1][:MAX_ACCEPTED]
        count = await run(
            request, topic_suggestions.accept, pairs, actor=who.name,
            role=who.role.value if who.role else "anonymous",
            request_id=request_id(),
        )  # fmt: skip
        return RedirectResponse(f"/topics?accepted={count}", status_code=303)

    @pages.get("/wg/{wg}/graph", response_class=HTMLResponse)
    async def graph_page(request: Request, wg: str) -> Response:
        if not await _exists(request, run, wg):
            return await _missing(request, render, wg)
        return await render(request, "graph.html", wg=wg)

    @pages.get("/wg/{wg}/graph.json")
    async def graph_data(request: Request, wg: str) -> JSONResponse:
        """The group's network, named in the reader's language: initiatives (status,
        language, contributors), the recommendations they implement (with their source's
        title) and the topics they address; `links` is each node's number of edges."""
        lang = session.language(request)
        rows = await run(request, overview.network, wg)
        titles = await run(request, overview.source_titles)
        implemented = [r["target"] for r in rows if r["type"] == "IMPLEMENTS"]
        rec_names = await run(request, recommendation_names, implemented)
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

    @pages.get("/wg/{wg}/report.{fmt}")
    async def report_file(request: Request, wg: str, fmt: str, inline: bool = False) -> Response:
        """The report as a file to download, or (`?inline=1`, HTML) a page to show."""
        lang = session.language(request)
        missing = f"{wg}/report.{fmt}"
        if fmt not in ("html", "md", "xlsx"):
            return await _missing(request, render, missing)
        try:
            data = await run(request, report.build, wg)
        except NotFound:
            return await _missing(request, render, missing)
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

    @pages.get("/signin", response_class=HTMLResponse)
    async def signin_form(request: Request, next: str = "/", error: int = 0) -> Response:
        return await render(request, "signin.html", next=_local(next), error=bool(error))

    @pages.post("/signin")
    async def signin(
        request: Request, token: str = Form(...), csrf: str = Form(...), next: str = Form("/")
    ) -> Response:
        target = _local(next)
        if not session.csrf_ok(request, csrf):
            return RedirectResponse(f"/signin?error=1&next={quote(target)}", status_code=303)
        try:
            await run(request, authenticate, token.strip(), anonymous_read=True)
        except Unauthenticated:
            return RedirectResponse(f"/signin?error=1&next={quote(target)}", status_code=303)
        response = RedirectResponse(target, status_code=303)
        session.sign_in(response, token.strip(), secure=secure)
        return response

    @pages.post("/signout")
    async def signout(request: Request, csrf: str = Form(...)) -> Response:
        response = RedirectResponse("/", status_code=303)
        if session.csrf_ok(request, csrf):
            session.sign_out(response)
        return response

    return pages


def named_card(store: GraphStore, id: str) -> dict[str, Any] | None:
    """An initiative's card, the recommendations it implements named by the one rule."""
    card = overview.initiative_card(store, id)
    if card is not None:
        ids = [x["id"] for x in card["links"] if x["rel"] == "IMPLEMENTS"]
        card["names"] = recommendation_names(store, ids)
    return card


# What a streamed page sends at a time: Jinja yields a piece per template statement, and
# each piece sent alone costs a trip through the thread pool (10,000 rows took 7.9 s).
STREAM_CHUNK = 64 * 1024


def _chunked(pieces: Iterator[str]) -> Iterator[str]:
    """A template's output in pieces of about STREAM_CHUNK characters."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= STREAM_CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _local(target: str) -> str:
    """Only same-site paths after sign-in: no open redirect."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _records(store: Any, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    return by_ids(store, label, ids)


def _titles(store: Any, label: str, ids: list[str]) -> dict[str, str]:
    """Each record's title (its id when it has none), for pages that list records by id."""
    return {id: str(node.get("title") or id) for id, node in by_ids(store, label, ids).items()}


async def _exists(request: Request, run: Any, wg: str) -> bool:
    return bool(await run(request, by_ids, "WorkingGroup", [wg]))


async def _missing(request: Request, render: Any, what: str) -> Response:
    response: Response = await render(request, "missing.html", what=what)
    response.status_code = 404
    return response


def render_report_html(data: report.ForumReport, *, lang: str = "en") -> str:
    """The report as one self-contained HTML page (styles inline), for the CLI and downloads."""
    template = templates.get_template("report.html")
    css = (HERE / "static" / "app.css").read_text(encoding="utf-8")
    return template.render(r=data, t=text(lang), lang=lang, css=css, now=datetime.now(UTC))
