"""API tokens and permission facts, read from and written to the graph."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph.access import queries as q
from graph.audit import UnitOfWork, writes
from graph.browse.repository import by_ids
from graph.store import GraphStore
from schema.access import ApiToken, Role, hash_secret, new_secret
from schema.errors import NotFound, Problem, ValidationFailed
from schema.ids import new_id


@writes
def save_token(work: UnitOfWork, token: ApiToken) -> None:
    props = {k: v for k, v in token.model_dump(mode="json").items() if v is not None}
    work.note_targets(token.id)
    work.note_change("token", None, {"name": token.name, "role": token.role.value})
    work.write(q.CREATE_TOKEN, {"props": props})


def token_by_hash(store: GraphStore, hash: str) -> ApiToken | None:
    rows = store.read(q.TOKEN_BY_HASH, {"hash": hash})
    return ApiToken.model_validate(rows[0]["token"]) if rows else None


def tokens_by_hashes(store: GraphStore, hashes: Sequence[str]) -> dict[str, ApiToken]:
    """The stored tokens among these hashes, in one read (open sockets checked at once)."""
    found = [
        ApiToken.model_validate(r["token"])
        for r in store.read(q.TOKENS_BY_HASHES, {"hashes": list(hashes)})
    ]
    return {token.hash: token for token in found}


def tokens(store: GraphStore) -> list[ApiToken]:
    return [ApiToken.model_validate(row["token"]) for row in store.read(q.TOKENS)]


@writes
def revoke_token(work: UnitOfWork, id: str, *, at: datetime) -> bool:
    work.note_targets(id)
    return bool(work.write(q.REVOKE_TOKEN, {"id": id, "at": at.isoformat()}))


def initiative_facts(
    store: GraphStore, ids: Sequence[str]
) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """(working groups tracking it, signatories leading it) per existing initiative."""
    rows: list[dict[str, Any]] = store.read(q.INITIATIVE_FACTS, {"ids": list(ids)})
    return {r["id"]: (frozenset(r["groups"]), frozenset(r["leads"])) for r in rows}


def recommendation_groups(store: GraphStore, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    rows = store.read(q.RECOMMENDATION_GROUPS, {"ids": list(ids)})
    return {r["id"]: frozenset(r["groups"]) for r in rows}


@writes
def issue_token(
    work: UnitOfWork,
    *,
    name: str | None,
    role: str,
    working_groups: Sequence[str] = (),
    signatory: str | None = None,
    expires_at: datetime | None = None,
    now: datetime,
) -> tuple[ApiToken, str]:
    """Create a token; returns it and its secret, which is shown once and never stored.

    Without a name, a co-chair's or signatory's token is named after what it acts for
    ("Co-chair of WG6", the signatory's name), never after a timestamp: the name greets
    its holder and signs the audit trail. Admin and importer tokens must be named."""
    if role == Role.CO_CHAIR.value and not working_groups:
        raise ValidationFailed([Problem("a co-chair token needs --wg", "working_groups")])
    if role == Role.SIGNATORY.value and not signatory:
        raise ValidationFailed([Problem("a signatory token needs --signatory", "signatory")])
    groups = by_ids(work.store, "WorkingGroup", list(working_groups))
    for group in working_groups:
        if group not in groups:
            raise NotFound("working group", group)
    found = by_ids(work.store, "Signatory", [signatory]) if signatory else {}
    if signatory and signatory not in found:
        raise NotFound("signatory", signatory)
    name = (name or "").strip()
    if not name:
        if signatory and found:
            name = str(found[signatory]["name"])
        elif groups:
            codes = ", ".join(str(groups[g].get("code") or g).upper() for g in working_groups)
            name = f"Co-chair of {codes}"
        else:
            raise ValidationFailed(
                [
                    Problem(
                        "name the holder with --name (shown on sign-in and in the audit trail)",
                        "name",
                    )
                ]
            )
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
    save_token(work, token)
    return token, secret
