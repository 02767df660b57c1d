"""Signing in and out of a page session (the token in an HttpOnly cookie)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import authenticate
from api.web import session
from api.web.kit import PageKit
from api.web.pages import _local
from schema.errors import Unauthenticated


def routes(kit: PageKit) -> APIRouter:
    """Signing in and out of a page session (the token in an HttpOnly cookie).."""
    pages = APIRouter()

    @pages.get("/signin", response_class=HTMLResponse)
    async def signin_form(request: Request, next: str = "/", error: int = 0) -> Response:
        return await kit.render(request, "signin.html", next=_local(next), error=bool(error))

    @pages.post("/signin")
    async def signin(
        request: Request, token: str = Form(...), csrf: str = Form(...), next: str = Form("/")
    ) -> Response:
        target = _local(next)
        if not session.csrf_ok(request, csrf):
            return RedirectResponse(f"/signin?error=1&next={quote(target)}", status_code=303)
        try:
            await kit.run(request, authenticate, token.strip(), anonymous_read=True)
        except Unauthenticated:
            return RedirectResponse(f"/signin?error=1&next={quote(target)}", status_code=303)
        response = RedirectResponse(target, status_code=303)
        session.sign_in(response, token.strip(), secure=kit.secure)
        return response

    @pages.post("/signout")
    async def signout(request: Request, csrf: str = Form(...)) -> Response:
        response = RedirectResponse("/", status_code=303)
        if session.csrf_ok(request, csrf):
            session.sign_out(response)
        return response

    return pages
