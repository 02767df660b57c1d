"""`pariscall tokens ...` and `pariscall audit export`: run next to the graph, by its operator."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.cli_session import fail, graph_session, os_user
from graph import audit
from graph.repositories import access, audit_log
from schema.access import Role

tokens_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
audit_app = typer.Typer(
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
    role: Annotated[Role, typer.Option(help="admin, co_chair, signatory or importer.")],
    name: Annotated[
        str | None,
        typer.Option(
            help="Who holds it (shown on sign-in and in the audit trail). Required for admin "
            "and importer tokens; otherwise the signatory's name or 'Co-chair of WG…'."
        ),
    ] = None,
    wg: Annotated[
        list[str] | None, typer.Option("--wg", help="For co_chair: a working group, repeatable.")
    ] = None,
    signatory: Annotated[str | None, typer.Option(help="For signatory: the organisation.")] = None,
    expires: Annotated[str | None, typer.Option(help="Expiry, ISO date or date-time.")] = None,
) -> None:
    """Create a token and print it once: only its hash is stored."""

    with graph_session() as store, cli_audit("create_token"):
        store.apply_schema()
        token, secret = access.issue_token(
            store,
            name=name,
            role=role.value,
            working_groups=wg or [],
            signatory=signatory,
            expires_at=_expiry(expires),
            now=datetime.now(UTC),
        )
    typer.echo(secret)
    typer.echo(
        f"token '{token.name}' ({token.id}, {token.role.value}) created; keep the line above, "
        "it cannot be shown again",
        err=True,
    )


def cli_audit(action: str) -> Any:
    """The audit draft of a change made from the command line, by the OS user."""

    return audit.auditing(actor=os_user(), role="cli", action=action, request_id=None)


@tokens_app.command("list")
def list_tokens() -> None:
    """Every token with its role, scope and state (never the secret)."""

    with graph_session() as store:
        found = access.tokens(store)
    now = datetime.now(UTC)
    table = Table(title=f"{len(found)} token(s)", title_justify="left")
    for column in ("id", "name", "role", "scope", "created", "state"):
        table.add_column(column)
    for t in found:
        state = (
            "revoked"
            if t.revoked_at
            else ("expired" if t.expires_at and t.expires_at <= now else "active")
        )
        scope = ", ".join(t.working_groups) or (t.signatory or "")
        table.add_row(t.id, t.name, t.role.value, scope, f"{t.created_at:%Y-%m-%d}", state)
    Console().print(table)


@tokens_app.command("revoke")
def revoke_token(
    token_id: Annotated[str, typer.Argument(help="The token's id (see list).")],
) -> None:
    """Revoke a token at once; requests using it are refused from now on."""

    with graph_session() as store, cli_audit("revoke_token"):
        done = access.revoke_token(store, token_id, at=datetime.now(UTC))
    if not done:
        fail(f"no active token with id '{token_id}'", code=1)
    typer.echo(f"token {token_id} revoked")


@audit_app.command("export")
def export_audit(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout).")
    ] = None,
) -> None:
    """Every audit event as JSON lines, oldest first."""

    with graph_session() as store:
        lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in audit_log.export(store)]
    text = "".join(line + "\n" for line in lines)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(lines)} event(s) written to {output}", err=True)
    else:
        typer.echo(text, nl=False)
