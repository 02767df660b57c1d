"""The receiver's check takes the body as the web framework gives it: bytes, or text
(UTF-8, as the body is sent)."""

from __future__ import annotations

import time

from schema.webhooks import sign, verify

SECRET = "whsec_" + "k" * 40
BODY = '{"kind": "comment_added", "title": "Sécurité"}'


def _headers(body: bytes, delivery: str = "d1") -> dict[str, str]:
    now = int(time.time())
    return {"timestamp": str(now), "signature": sign(SECRET, now, body), "delivery": delivery}


def test_verify_accepts_the_body_as_bytes_or_as_text() -> None:
    signed = _headers(BODY.encode())
    seen: set[str] = set()
    assert verify(SECRET, BODY, now=time.time(), seen=seen, **signed)
    assert not verify(SECRET, BODY, now=time.time(), seen=seen, **signed)  # a replay
    assert verify(SECRET, BODY.encode(), now=time.time(), seen=set(), **signed)


def test_a_text_body_that_differs_is_refused() -> None:
    signed = _headers(BODY.encode())
    assert not verify(SECRET, BODY + " ", now=time.time(), seen=set(), **signed)
    assert not verify(SECRET, BODY.replace("é", "e"), now=time.time(), seen=set(), **signed)
