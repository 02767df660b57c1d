"""The co-chairs' pages: home, working group, duplicate review, gaps, graph view, report.

Pages read through the same use cases as GraphQL and the CLI; the buttons that change
anything call the GraphQL API from the browser with the session cookie and the CSRF
token, so permissions and the audit trail are the API's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from analysis import explanations, report
from analysis.i18n import label, text
from analysis.names import recommendations as recommendation_names
from api.auth import authenticate
from api.markdown import render as render_markdown
from api.requests import error_body, request_id
from api.settings import Settings
from api.web import collaboration, session
from graph.browse.repository import by_ids
from graph.overview import repository as overview
from graph.store import GraphStore
from schema import kinds
from schema.errors import Unauthenticated
from schema.naming import ShownName
from schema.text import visible

if TYPE_CHECKING:
    from api.web.kit import PageKit

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

    from api.web.kit import PageKit

    kit = PageKit(settings)

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse(f"/signin?next={quote(exc.path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, exc: RequestValidationError) -> Response:
        """A parameter missing or mistyped: a page naming it for a person, the API's
        error shape for a client, never the framework's own JSON."""
        problems = [_parameter_problem(error) for error in exc.errors()]
        if request.method != "GET" or request.url.path.startswith(("/graphql", "/health")):
            message = "; ".join(
                f"'{name}' is missing" if given is None else f"'{name}' cannot be {given}"
                for name, given in problems
            )
            return JSONResponse(error_body(message, "BAD_REQUEST"), status_code=400)
        response = await kit.render(request, "bad_request.html", problems=problems)
        response.status_code = 400
        return response

    app.include_router(router(settings, kit), dependencies=[Depends(_reader(settings))])


def _parameter_problem(error: Mapping[str, Any]) -> tuple[str, str | None]:
    """(the parameter's name, the value given, None when it is missing) for one error:
    the page says why in the reader's language, not in the validator's English."""
    where = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(where) or "?"
    return name, None if error.get("type") == "missing" else repr(error.get("input"))


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


def router(settings: Settings, kit: PageKit) -> APIRouter:
    """Every page, grouped by what it is for (one module each)."""
    from api.web import file_pages, registry_pages, review_pages, signin_pages

    pages = APIRouter()
    for group in (registry_pages, review_pages, file_pages, signin_pages):
        pages.include_router(group.routes(kit))
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
