"""Webhooks: registering and disabling them (audited), queueing deliveries of events, and
the dispatchers' claim-and-record cycle (schema.webhooks)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from graph import dialect
from graph.audit import UnitOfWork, writes
from graph.browse import repository as browse
from graph.paging import paged
from graph.store import GraphStore
from graph.webhooks import queries as q
from schema.access import ApiToken
from schema.errors import Conflict, NotFound
from schema.events import PRIVATE_FIELDS, AuditAction, Event
from schema.ids import new_id
from schema.validation import validated
from schema.webhooks import (
    ORPHANED,
    Delivery,
    DeliveryState,
    Webhook,
    new_secret,
    owner_hears,
    owner_holds,
)


def _delivery(props: dict[str, Any]) -> Delivery:
    """A stored delivery, without the dispatchers' claim bookkeeping (claim, claimed_at)."""
    return Delivery.model_validate({k: v for k, v in props.items() if k in Delivery.model_fields})


def _props(model: Webhook | Delivery) -> dict[str, Any]:
    return {k: v for k, v in model.model_dump(mode="json").items() if v not in (None, [])}


@writes
def create(
    work: UnitOfWork,
    *,
    working_group_id: str | None,
    url: str,
    kinds: list[str],
    created_by: str,
    owner_token: str | None,
    now: datetime,
) -> Webhook:
    """Register a hook for the token `owner_token`, whose authority it keeps delivering
    under (schema.webhooks); its secret is returned here once (the API shows it once)."""
    if working_group_id and not browse.by_ids(work.store, "WorkingGroup", [working_group_id]):
        raise NotFound("working group", working_group_id)
    hook = validated(
        Webhook,
        {
            "id": new_id("hook"),
            "working_group_id": working_group_id,
            "url": url,
            "kinds": kinds,
            "secret": new_secret(),
            "created_by": created_by,
            "owner_token": owner_token,
            "created_at": now,
        },
    )
    work.note_targets(hook.id, working_groups=[working_group_id] if working_group_id else [])
    work.note_change("webhook", None, url)
    rows = work.write(q.CREATE_WEBHOOK, {"props": _props(hook)})
    return Webhook.model_validate(rows[0]["hook"])


def get(store: GraphStore, id: str) -> Webhook:
    rows = store.read(q.WEBHOOK, {"id": id})
    if not rows:
        raise NotFound("webhook", id)
    return Webhook.model_validate(rows[0]["hook"])


def group_of(store: GraphStore, id: str) -> tuple[bool, str | None]:
    """(exists, its working group) of a hook, for the permission rules."""
    rows = store.read(q.WEBHOOK, {"id": id})
    return (True, rows[0]["hook"].get("working_group_id")) if rows else (False, None)


@writes
def disable(work: UnitOfWork, id: str, *, now: datetime) -> Webhook:
    current = get(work.store, id)
    work.note_targets(
        id, working_groups=[current.working_group_id] if current.working_group_id else []
    )
    work.note_change("active", True, False)
    rows = work.write(q.DISABLE_WEBHOOK, {"id": id, "at": now.isoformat()})
    if not rows:
        raise Conflict(f"webhook '{id}' is already disabled")
    return Webhook.model_validate(rows[0]["hook"])


# Hooks newest first, a page at a time, and how many match the filters.
hooks, hook_count = paged(q.WEBHOOKS, q.WEBHOOK_COUNT, lambda r: _hook(r["hook"]))


def enqueue(store: GraphStore, event: Event, *, now: datetime) -> int:
    """Queue the event for every hook that hears it (schema.webhooks.owner_hears);
    returns how many deliveries. A hook's own registration is not news to it."""
    if event.action in (AuditAction.CREATE_WEBHOOK, AuditAction.DISABLE_WEBHOOK):
        return 0
    params = {"groups": event.working_groups, "kind": event.kind.value}
    hearing = [
        row["hook"]["id"]
        for row in store.read(q.HEARING, params)
        if owner_hears(_hook(row["hook"]), _token(row["owner"]), event, now)
    ]
    if not hearing:
        return 0
    delivery = {
        "event_id": event.id,
        "kind": event.kind.value,
        "body": event.model_dump_json(exclude=set(PRIVATE_FIELDS)),
        "state": DeliveryState.PENDING.value,
        "attempts": 0,
        "next_at": now.isoformat(),
        "created_at": now.isoformat(),
    }
    rows = store.write(q.ENQUEUE, {"hooks": hearing, "delivery": delivery})
    return int(rows[0]["n"]) if rows else 0


def _hook(props: dict[str, Any]) -> Webhook:
    return Webhook.model_validate(props)


def _token(props: dict[str, Any] | None) -> ApiToken | None:
    return ApiToken.model_validate(props) if props else None


def owners(store: GraphStore, hooks: list[Webhook]) -> dict[str, ApiToken | None]:
    """The token that registered each hook (None: unknown or gone)."""
    rows = store.read(q.OWNERS, {"ids": [h.id for h in hooks]})
    return {row["hook"]: _token(row["owner"]) for row in rows}


def delivering(store: GraphStore, hooks: list[Webhook], *, now: datetime) -> dict[str, bool]:
    """Whether each hook delivers now: active, and its owner still holds."""
    found = owners(store, hooks)
    return {h.id: h.active and owner_holds(h, found.get(h.id), now) for h in hooks}


def drop_orphaned(
    store: GraphStore, due: list[tuple[Delivery, Webhook]], *, now: datetime
) -> list[tuple[Delivery, Webhook]]:
    """The claimed deliveries whose hook's owner still holds; the others fail unsent."""
    holding = delivering(store, [hook for _, hook in due], now=now)
    kept = []
    for delivery, hook in due:
        if holding.get(hook.id):
            kept.append((delivery, hook))
        else:
            record(store, delivery.id, {"state": DeliveryState.FAILED.value,
                                        "last_error": ORPHANED, "last_status": None})  # fmt: skip
    return kept


def claim_due(store: GraphStore, *, now: datetime, limit: int) -> list[tuple[Delivery, Webhook]]:
    """Deliveries due now, each claimed by this caller alone, with their hooks."""
    params = {"now": now.isoformat(), "limit": limit, "claim": uuid.uuid4().hex}
    rows = store.write(dialect.claim_deliveries(store.backend), params)
    return [(_delivery(r["delivery"]), Webhook.model_validate(r["hook"])) for r in rows]


def release_stale(store: GraphStore, *, now: datetime, after: timedelta) -> int:
    rows = store.write(q.RELEASE_STALE, {"stale": (now - after).isoformat()})
    return int(rows[0]["n"]) if rows else 0


def next_due(store: GraphStore) -> datetime | None:
    """When the earliest pending delivery is due (None: nothing is pending)."""
    rows = store.read(q.NEXT_DUE)
    value = rows[0]["at"] if rows else None
    return datetime.fromisoformat(value) if value else None


def record(store: GraphStore, id: str, changes: dict[str, Any]) -> None:
    store.write(q.RECORD_ATTEMPT, {"id": id, "changes": changes})


def deliveries(store: GraphStore, webhook: str, *, skip: int, limit: int) -> list[Delivery]:
    rows = store.read(q.DELIVERIES, {"webhook": webhook, "skip": skip, "limit": limit})
    return [_delivery(r["delivery"]) for r in rows]


def delivery_count(store: GraphStore, webhook: str) -> int:
    return int(store.read(q.DELIVERY_COUNT, {"webhook": webhook})[0]["n"])
