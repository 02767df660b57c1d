"""Letting the apps a test built go when it ends.

FastAPI classifies every endpoint once, in process-wide caches (4,096 entries) keyed by
the endpoint, which holds its app: every app a test built stayed alive with its schema
(about 8,000 objects), the heap passed two million objects, and the collector's full
passes over it stalled requests for up to two seconds. A server builds one app; the test
process builds hundreds.
"""

from __future__ import annotations


def release_apps() -> None:
    """Empty FastAPI's endpoint caches (whatever their names in the installed version)."""
    from fastapi.dependencies import models

    for cached in vars(models).values():
        if callable(getattr(cached, "cache_clear", None)):
            cached.cache_clear()
