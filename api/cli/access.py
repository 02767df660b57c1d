"""`pariscall tokens ...` and `pariscall audit export`: run next to the graph, by its operator."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from api.cli.help import CommandLine
from api.cli.session import fail, graph_session, os_user
from graph import usecases
from graph.access import repository as access
from graph.audit import reading
from graph.store import GraphStore
from schema.access import Actor, ApiToken, Role
from schema.events import AuditAction
from schema.text import visible

tokens_app = CommandLine(help="Create, list and revoke API tokens.", no_args_is_help=True)
audit_app = CommandLine(
    help="The audit trail of changes made through the API.", no_args_is_help=True
)


def _expiry(value: str | None) -> datetime | None:

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--expires must be an ISO date or date-time, like 2027-06-30, not '{value}'")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@tokens_app.command("create")
def create_token(
    role: Annotated[
        Role, typer.Option(metavar="ROLE", help="admin, co_chair, signatory or importer.")
    ],
    name: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Who holds it (shown on sign-in and in the audit trail). Required for admin "
            "and importer tokens; otherwise the signatory's name, or 'Co-chair of WG6' for a "
            "co-chair of wg6.",
        ),
    ] = None,
    wg: Annotated[
        list[str] | None,
        typer.Option("--wg", metavar="ID", help="For co_chair: a working group, repeatable."),
    ] = None,
    signatory: Annotated[
        str | None, typer.Option(metavar="ID", help="For signatory: the organisation's id.")
    ] = None,
    expires: Annotated[
        str | None, typer.Option(metavar="DATE", help="Expiry, ISO date or date-time.")
    ] = None,
) -> None:
    """Create a token and print it once: only its hash is stored."""

    with graph_session() as store:
        store.apply_schema()
        done = usecases.operate(
            store, os_user(), AuditAction.CREATE_TOKEN,
            lambda work: access.issue_token(
                work, name=name, role=role.value, working_groups=wg or [],
                signatory=signatory, expires_at=_expiry(expires), now=datetime.now(UTC),
            ),
        )  # fmt: skip
    token, secret = done.result
    typer.echo(secret)
    typer.echo(
        f"token '{token.name}' ({token.id}, {token.role.value}) created; keep the line above, "
        "it cannot be shown again",
        err=True,
    )


@tokens_app.command("list")
def list_tokens() -> None:
    """Every token with its state, role, scope and holder (never the secret); ids are
    printed whole, as `tokens revoke` takes them."""

    with graph_session() as store:
        found = access.tokens(store)
    typer.echo(f"{len(found)} token(s)")
    for line in token_lines(found, now=datetime.now(UTC)):
        typer.echo(line.rstrip())


def token_lines(found: list[ApiToken], *, now: datetime) -> list[str]:
    """One aligned line per token, the header first. Never cut to the terminal's width:
    an id cut short cannot be revoked; the holder's name, free text, comes last."""
    rows = [("id", "state", "role", "scope", "created", "name")]
    for t in found:
        expired = t.expires_at is not None and t.expires_at <= now
        state = "revoked" if t.revoked_at else ("expired" if expired else "active")
        scope = ", ".join(t.working_groups) or t.signatory or "-"
        created = f"{t.created_at:%Y-%m-%d}"
        rows.append((t.id, state, t.role.value, scope, created, visible(t.name)))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return [
        "  ".join([*(v.ljust(w) for v, w in zip(row, widths, strict=False)), row[5]])
        for row in rows
    ]


def active_token(store: GraphStore, given: str) -> str:
    """The id of the active token `given` names: its whole id, or the start of exactly
    one active token's id (as a narrow listing or a note may show it)."""
    ids = [t.id for t in access.tokens(store) if t.revoked_at is None]
    if given in ids:
        return given
    matching = [id for id in ids if id.startswith(given)] if given else []
    if len(matching) == 1:
        return matching[0]
    if not matching:
        fail(f"no active token with id '{given}' (see `pariscall tokens list`)", code=1)
    fail(
        f"'{given}' starts the ids of {len(matching)} active tokens "
        f"({', '.join(sorted(matching))}): give more of the id",
        code=1,
    )


@tokens_app.command("revoke")
def revoke_token(
    token_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The token's id, or its start if no other active token shares it."
        ),
    ],
) -> None:
    """Revoke a token at once; requests using it are refused from now on."""

    with graph_session() as store:
        token_id = active_token(store, token_id)
        revoked = usecases.operate(
            store, os_user(), AuditAction.REVOKE_TOKEN,
            lambda work: access.revoke_token(work, token_id, at=datetime.now(UTC)),
        )  # fmt: skip
    if not revoked.result:
        fail(f"no active token with id '{token_id}'", code=1)
    typer.echo(f"token {token_id} revoked")


@audit_app.command("export")
def export_audit(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="File (default: stdout).")
    ] = None,
) -> None:
    """Every audit event as JSON lines, oldest first (the machine's operator reads them
    as an admin does; each under its true name)."""

    operator = Actor(name=os_user(), role=Role.ADMIN)
    with graph_session() as store:
        trail = reading.export(store, operator)
        lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in trail]
    text = "".join(line + "\n" for line in lines)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(lines)} event(s) written to {output}", err=True)
    else:
        typer.echo(text, nl=False)
