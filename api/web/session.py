"""Page sessions: the API token in an HttpOnly cookie, a CSRF token, the language.

The browser never hands the token to scripts (HttpOnly, SameSite=Strict). Every
state-changing request made with the cookie must also carry the CSRF token in a header
or form field equal to the `pariscall_csrf` cookie (double submit): another site can make
the browser send cookies, not read them.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from analysis.i18n import LANGUAGES

TOKEN_COOKIE = "pariscall_token"
CSRF_COOKIE = "pariscall_csrf"
LANG_COOKIE = "pariscall_lang"
CSRF_HEADER = "x-csrf-token"


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in LANGUAGES:
        return asked
    accept = request.headers.get("accept-language", "")
    return "fr" if accept.lower().startswith("fr") else "en"


def csrf_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def csrf_ok(request: Request, sent: str | None) -> bool:
    expected = request.cookies.get(CSRF_COOKIE)
    return bool(expected and sent and hmac.compare_digest(expected, sent))


def remember(response: Response, request: Request, *, csrf: str, lang: str, secure: bool) -> None:
    """Keep the CSRF token and the chosen language in cookies."""
    if request.cookies.get(CSRF_COOKIE) != csrf:
        response.set_cookie(CSRF_COOKIE, csrf, samesite="strict", secure=secure, path="/")
    if request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE, lang, samesite="lax", secure=secure, path="/", max_age=31_536_000
        )


def sign_in(response: Response, secret: str, *, secure: bool) -> None:
    response.set_cookie(
        TOKEN_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
        max_age=43_200,
    )


def sign_out(response: Response) -> None:
    response.delete_cookie(TOKEN_COOKIE, path="/")
