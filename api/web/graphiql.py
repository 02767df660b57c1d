"""GraphiQL without the internet: strawberry's page, its assets served from our package.

Strawberry's GraphiQL page loads React, GraphiQL and the explorer plugin from unpkg.com;
offline (a Forum venue, a closed network) it stays on "Loading...". The same files, at the
same versions, are vendored under static/vendor (licences beside them) and the page points
there. Their bytes are those the page's `integrity` hashes name, so the browser checks them
as it checked the CDN's.
"""

from __future__ import annotations

import re

from api.web import session

# unpkg.com address in strawberry's page -> file under /static/vendor.
VENDORED = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom.production.min.js"
    ),
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": (
        "graphiql-plugin-explorer.css"
    ),
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "graphiql-plugin-explorer.umd.js"
    ),
}


# Strawberry's page sends Django's CSRF cookie back in Django's header; a signed-in page
# session here needs this site's double-submit pair instead (api/web/session.py).
DJANGO_CSRF = ('Cookies.get("csrftoken")', 'defaultHeaders["x-csrftoken"]')


class UnvendoredAsset(RuntimeError):
    """Strawberry's page names an asset we do not ship (a strawberry upgrade moved one)."""


def offline(html: str) -> str:
    """Strawberry's GraphiQL page with every CDN asset served by this application, sending
    this site's CSRF token so a signed-in page session can run queries."""
    for url, name in VENDORED.items():
        html = html.replace(url, f"/static/vendor/{name}")
    cookie, header = DJANGO_CSRF
    if cookie not in html or header not in html:
        raise UnvendoredAsset("strawberry's page no longer reads its CSRF cookie as expected")
    html = html.replace(cookie, f'Cookies.get("{session.CSRF_COOKIE}")')
    html = html.replace(header, f'defaultHeaders["{session.CSRF_HEADER}"]')
    left = re.findall(r"https://unpkg\.com/[^\"']+", html)
    if left:
        raise UnvendoredAsset(f"vendor these GraphiQL assets under static/vendor: {left}")
    return html
