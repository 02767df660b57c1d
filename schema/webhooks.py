"""Webhooks: an organisation's own endpoint hearing a working group's events.

Each delivery is signed: `X-Pariscall-Signature: sha256=<hex>` is the HMAC-SHA256, under
the hook's secret, of `<timestamp>.<body>`, with the timestamp (Unix seconds) in
`X-Pariscall-Timestamp` and the delivery's id in `X-Pariscall-Delivery`. A receiver
checks the signature, refuses a timestamp older than its tolerance, and refuses a
delivery id it has already seen: `verify` does all three (see the README).

Deliveries go only to addresses the operator allows: public addresses by default;
loopback, private, link-local and other special ranges only when listed in
`PARISCALL_WEBHOOK_ALLOW` (so a registered URL cannot reach the operator's own network).
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

from schema.events import EventKind
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


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Webhook(Model):
    id: Slug
    working_group_id: Slug | None = Field(
        default=None, description="the group whose events it hears; none: every event (admins)"
    )
    url: Url
    kinds: list[EventKind] = Field(default_factory=list, description="empty: every kind")
    secret: Annotated[str, Field(min_length=32, max_length=100)]
    created_by: Name
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


def address_allowed(address: str, allowed: Iterable[Network]) -> bool:
    """Public addresses, and special ones only within the operator's allowed ranges."""
    ip = ipaddress.ip_address(address)
    if any(ip in net for net in allowed):
        return True
    return ip.is_global and not ip.is_multicast


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: 2, 4, 8, 16, 32."""
    return float(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
