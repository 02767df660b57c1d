"""Where a webhook may connect: a hook's host is resolved once per connection, every
address it resolves to is judged (schema.webhooks.address_allowed), and the connection
goes to one of those very addresses. httpx would otherwise resolve the name again when
it connects, and a name that answers differently the second time (DNS rebinding, a TTL
of zero) would lead a checked delivery into the operator's network.

The check sits in the transport's network backend, the one place that opens sockets:
the URL, the Host header and TLS (SNI and the certificate's name) keep the host name;
only the socket is opened on the checked address, whose peer is checked once more.
Proxies from the environment are not used (a proxy would resolve the name itself).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx

from schema.webhooks import Network, address_allowed

_REFUSED = "(loopback, private and other special ranges need PARISCALL_WEBHOOK_ALLOW)"


class AddressRefused(Exception):
    pass


async def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` stands for, in the resolver's order (an IP literal stands for
    itself). Through the running loop's resolver, as every other lookup here."""
    literal = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(literal))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise AddressRefused(f"'{host}' does not resolve: {exc}") from exc
    addresses = list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))
    if not addresses:
        raise AddressRefused(f"'{host}' does not resolve")
    return addresses


def judged(host: str, addresses: Iterable[str], allowed: Sequence[Network]) -> list[str]:
    """`addresses` when every one is allowed; a name with one refused address is refused
    whole (which of its addresses a client gets is the resolver's choice, not ours)."""
    listed = list(addresses)
    for address in listed:
        if not address_allowed(address, allowed):
            raise AddressRefused(f"{host} resolves to {address}, which is not allowed {_REFUSED}")
    return listed


async def allowed_addresses(host: str, port: int, allowed: Sequence[Network]) -> list[str]:
    """`host`'s addresses, resolved once and checked."""
    return judged(host, await resolve(host, port), allowed)


async def check_address(url: str, allowed: Sequence[Network]) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to an address the operator
    has not allowed (at registration; every delivery checks again as it connects)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(f"'{url}' is not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    await allowed_addresses(parts.hostname, port, allowed)


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's sockets, opened only on addresses checked in the same step."""

    def __init__(self, allowed: Sequence[Network]) -> None:
        self.allowed = list(allowed)
        self._sockets = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await allowed_addresses(host, port, self.allowed)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from exc
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                stream = await self._sockets.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            peer = stream.get_extra_info("server_addr")
            if peer is not None and not address_allowed(str(peer[0]), self.allowed):
                await stream.aclose()
                raise AddressRefused(f"{host} connected to {peer[0]}, which is not allowed")
            return stream
        assert failure is not None  # resolve() answers at least one address or raises
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("webhooks are delivered over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._sockets.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool whose sockets go through CheckedBackend."""

    def __init__(self, allowed: Sequence[Network]) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits()
        # httpx takes no network backend of its own: its pool is rebuilt with ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=CheckedBackend(allowed),
        )
