"""API tokens and permission facts, read from and written to the graph."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph import audit
from graph.queries import access as q
from graph.repositories.browse import by_ids
from graph.store import GraphStore
from schema.access import ApiToken, Role, hash_secret, new_secret
from schema.errors import NotFound, Problem, ValidationFailed
from schema.ids import new_id


def save_token(store: GraphStore, token: ApiToken) -> None:
    props = {k: v for k, v in token.model_dump(mode="json").items() if v is not None}
    audit.note_targets(token.id)
    audit.note_change("token", None, {"name": token.name, "role": token.role.value})
    audit.write(store, q.CREATE_TOKEN, {"props": props})


def token_by_hash(store: GraphStore, hash: str) -> ApiToken | None:
    rows = store.read(q.TOKEN_BY_HASH, {"hash": hash})
    return ApiToken.model_validate(rows[0]["token"]) if rows else None


def tokens(store: GraphStore) -> list[ApiToken]:
    return [ApiToken.model_validate(row["token"]) for row in store.read(q.TOKENS)]


def revoke_token(store: GraphStore, id: str, *, at: datetime) -> bool:
    audit.note_targets(id)
    return bool(audit.write(store, q.REVOKE_TOKEN, {"id": id, "at": at.isoformat()}))


def initiative_facts(
    store: GraphStore, ids: Sequence[str]
) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """(working groups tracking it, signatories leading it) per existing initiative."""
    rows: list[dict[str, Any]] = store.read(q.INITIATIVE_FACTS, {"ids": list(ids)})
    return {r["id"]: (frozenset(r["groups"]), frozenset(r["leads"])) for r in rows}


def recommendation_groups(store: GraphStore, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    rows = store.read(q.RECOMMENDATION_GROUPS, {"ids": list(ids)})
    return {r["id"]: frozenset(r["groups"]) for r in rows}


def issue_token(
    store: GraphStore,
    *,
    name: str,
    role: str,
    working_groups: Sequence[str] = (),
    signatory: str | None = None,
    expires_at: datetime | None = None,
    now: datetime,
) -> tuple[ApiToken, str]:
    """Create a token; returns it and its secret, which is shown once and never stored."""
    secret = new_secret()
    token = ApiToken.model_validate(
        {
            "id": new_id(name),
            "name": name,
            "role": role,
            "working_groups": list(working_groups),
            "signatory": signatory,
            "hash": hash_secret(secret),
            "created_at": now,
            "expires_at": expires_at,
        }
    )
    if token.role is Role.CO_CHAIR and not token.working_groups:
        raise ValidationFailed([Problem("a co-chair token needs --wg", "working_groups")])
    if token.role is Role.SIGNATORY and not token.signatory:
        raise ValidationFailed([Problem("a signatory token needs --signatory", "signatory")])
    for group in token.working_groups:
        if not by_ids(store, "WorkingGroup", [group]):
            raise NotFound("working group", group)
    if token.signatory and not by_ids(store, "Signatory", [token.signatory]):
        raise NotFound("signatory", token.signatory)
    save_token(store, token)
    return token, secret
