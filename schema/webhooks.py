"""Webhooks: an organisation's own endpoint hearing a working group's events.

Each delivery is signed: `X-Pariscall-Signature: sha256=<hex>` is the HMAC-SHA256, under
the hook's secret, of `<timestamp>.<body>`, with the timestamp (Unix seconds) in
`X-Pariscall-Timestamp` and the delivery's id in `X-Pariscall-Delivery`. A receiver
checks the signature, refuses a timestamp older than its tolerance, and refuses a
delivery id it has already seen: `verify` does all three (see the README).

A hook belongs to its working group and is its registering token's: it delivers only
while that token is valid (neither revoked nor expired) and still manages the group's
hooks (`owner_hears`); a hook whose owner lost that authority stays registered, shown as
not delivering, and its pending deliveries fail without being sent. Each event it hears
is one its owner may read (schema.events.may_hear).

Deliveries go only to addresses the operator allows: public addresses by default;
loopback, private, link-local and other special ranges only when listed in
`PARISCALL_WEBHOOK_ALLOW` (so a registered URL cannot reach the operator's own network).
An IPv6 address that carries an IPv4 one (NAT64, 6to4, Teredo, IPv4-compatible, -mapped
or -translated) is judged by the address it carries: a packet sent to it ends there.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable, MutableSet
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from schema.access import ApiToken, actor_of, may_own_hook, token_problem
from schema.events import Event, EventKind, may_hear
from schema.models import Model, Url
from schema.text import Name, Slug

SIGNATURE_HEADER = "X-Pariscall-Signature"
TIMESTAMP_HEADER = "X-Pariscall-Timestamp"
DELIVERY_HEADER = "X-Pariscall-Delivery"
EVENT_HEADER = "X-Pariscall-Event"
TOLERANCE_SECONDS = 300
# Attempts of one delivery, and the wait before each retry (doubling from the first).
MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 2.0

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes whose last 32 bits are an IPv4 address: NAT64's well-known prefix (RFC
# 6052), IPv4-compatible (RFC 4291, deprecated) and IPv4-translated (SIIT, RFC 2765).
# IPv4-mapped, 6to4 and Teredo have their own accessors on IPv6Address.
_LAST_32_BITS = tuple(
    ipaddress.IPv6Network(prefix) for prefix in ("64:ff9b::/96", "::/96", "::ffff:0:0:0/96")
)
# NAT64's local-use prefix (RFC 8215): the operator picks the prefix length, so the IPv4
# address may sit at any of RFC 6052's places for a prefix of /48 or longer.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
_LOCAL_NAT64_LENGTHS = (48, 56, 64, 96)


DeliveryState = StrEnum("DeliveryState", "PENDING SENDING DELIVERED FAILED")


class Webhook(Model):
    id: Slug
    working_group_id: Slug | None = Field(
        default=None, description="the group whose events it hears; none: every event (admins)"
    )
    url: Url
    kinds: list[EventKind] = Field(default_factory=list, description="empty: every kind")
    secret: Annotated[str, Field(min_length=32, max_length=100)]
    created_by: Name
    owner_token: Slug | None = Field(
        default=None, description="the token that registered it, whose authority it keeps"
    )
    created_at: datetime
    active: bool = True
    disabled_at: datetime | None = None


class Delivery(Model):
    id: Slug
    webhook_id: Slug
    event_id: Annotated[str, Field(max_length=64)]
    kind: EventKind
    body: str
    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    next_at: datetime
    created_at: datetime
    last_status: int | None = None
    last_error: Annotated[str, Field(max_length=500)] | None = None
    delivered_at: datetime | None = None


def owner_holds(hook: Webhook, owner: ApiToken | None, now: datetime) -> bool:
    """Whether the hook's owner still has the authority the hook delivers under."""
    if owner is None or owner.id != hook.owner_token or token_problem(owner, now) is not None:
        return False
    return may_own_hook(actor_of(owner), hook.working_group_id)


def owner_hears(hook: Webhook, owner: ApiToken | None, event: Event, now: datetime) -> bool:
    """Whether the hook is sent the event: its owner holds, and may hear of it."""
    if owner is None or not owner_holds(hook, owner, now):
        return False
    return may_hear(actor_of(owner), event)


ORPHANED = "not sent: the token that registered this hook no longer manages its group's hooks"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for a body sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    body: bytes | str,
    *,
    timestamp: str,
    signature: str,
    delivery: str,
    now: float,
    seen: MutableSet[str],
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """A receiver's check: right signature, recent timestamp, delivery not seen before
    (remember ids for at least `tolerance` seconds). Records the id when it accepts.
    `body` is the request's raw body: bytes, or the same decoded as text (deliveries are
    UTF-8 JSON, so text is encoded back as UTF-8)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > tolerance or delivery in seen:
        return False
    if not hmac.compare_digest(sign(secret, sent, raw), signature):
        return False
    seen.add(delivery)
    return True


def networks(allowed: Iterable[str]) -> list[Network]:
    """The operator's allowed special ranges ("127.0.0.1/32", "10.0.0.0/8", ...)."""
    return [ipaddress.ip_network(item.strip(), strict=False) for item in allowed if item.strip()]


def _rfc6052(packed: bytes, length: int) -> ipaddress.IPv4Address:
    """The IPv4 address behind a NAT64 prefix of `length` bits (RFC 6052, section 2.2:
    bits 64 to 71 are skipped)."""
    if length == 96:
        return ipaddress.IPv4Address(packed[12:])
    octets = packed[:8] + packed[9:]
    start = length // 8
    return ipaddress.IPv4Address(octets[start : start + 4])


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries, where a packet sent to it would end
    (both of a Teredo address's: its server and its client); none for a plain one."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in prefix for prefix in _LAST_32_BITS):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in _LOCAL_NAT64:
        found.extend(_rfc6052(ip.packed, length) for length in _LOCAL_NAT64_LENGTHS)
    return found


def address_allowed(address: str | Address, allowed: Iterable[Network]) -> bool:
    """Public addresses, and special ones only within the operator's allowed ranges. An
    IPv6 address carrying IPv4 ones is allowed when every address it carries is: Python
    calls 64:ff9b::7f00:1 or 2002:7f00:1:: global, yet they lead to 127.0.0.1."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    ranges = list(allowed)
    if any(ip.version == net.version and ip in net for net in ranges):
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        carried = embedded_ipv4(ip)
        if carried:
            return all(address_allowed(v4, ranges) for v4 in carried)
    return ip.is_global and not ip.is_multicast


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: 2, 4, 8, 16, 32."""
    return float(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
