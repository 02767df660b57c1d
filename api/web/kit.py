"""What every page handler shares: the store run off the event loop, who is asking, and
the page rendered with its words, session cookies and language switch."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

import anyio.to_thread
from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from analysis.i18n import text
from api.auth import authenticate
from api.settings import Settings
from api.web import session
from api.web.pages import _chunked, templates
from graph.store import GraphStore
from schema.access import ANONYMOUS, Actor
from schema.errors import Unauthenticated

T = TypeVar("T")


class PageKit:
    """The page handlers' tools, for one app's settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secure = settings.production

    async def run(self, request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        store: GraphStore = request.app.state.store
        return await anyio.to_thread.run_sync(partial(fn, store, *args, **kwargs))

    async def actor(self, request: Request) -> Actor:
        known: Actor | None = getattr(request.state, "actor", None)
        if known is not None:
            return known
        secret = request.cookies.get(session.TOKEN_COOKIE)
        if not secret:
            return ANONYMOUS
        try:
            return await self.run(request, authenticate, secret, anonymous_read=True)
        except Unauthenticated:
            return ANONYMOUS

    async def render(
        self, request: Request, name: str, *, stream: bool = False, **context: Any
    ) -> Response:
        lang = session.language(request)
        csrf = session.csrf_token(request)
        who = await self.actor(request)
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
        session.remember(response, request, csrf=csrf, lang=lang, secure=self.secure)
        return response
