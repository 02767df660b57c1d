"""The client's address behind a reverse proxy: taken from X-Forwarded-For only when the
deployment says so (PARISCALL_TRUST_FORWARDED_FOR) and only from the proxies it names
(PARISCALL_TRUSTED_PROXIES). Otherwise the header is ignored at every layer: uvicorn's
own proxy-header handling is switched off by `pariscall serve`, since it trusts any
loopback client by default, which let a local caller forge its address and escape the
per-address rate limit."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(spec: str) -> tuple[Network, ...]:
    """Addresses and CIDR ranges from a comma-separated list ('127.0.0.1, 10.0.0.0/8')."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()
    )


def _trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_of(peer: str, forwarded: str | None, trusted: tuple[Network, ...]) -> str:
    """The client address: the peer itself unless the peer is a trusted proxy, then the
    right-most address of X-Forwarded-For that is not a trusted proxy (what the nearest
    untrusted hop connected from; anything left of it may be forged)."""
    if not forwarded or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed header: the proxy is the best we know
    return hops[0] if hops else peer


class ForwardedForMiddleware:
    """Rewrites the ASGI client address when a trusted proxy forwarded the request; every
    later layer (rate limits, access logs) reads the rewritten one."""

    def __init__(self, app: ASGIApp, *, trusted: tuple[Network, ...]) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            header = dict(scope.get("headers") or []).get(b"x-forwarded-for")
            if header:
                host, port = scope["client"]
                client = client_of(host, header.decode("latin-1"), self.trusted)
                if client != host:
                    scope = dict(scope)
                    scope["client"] = (client, port)
        await self.app(scope, receive, send)
