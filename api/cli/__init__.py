"""The `pariscall` command: serve the API, manage the graph, import and analyse data."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from api import collector, servers
from api.cli.help import CommandLine
from api.cli.session import (
    chosen_data_dir,
    fail,
    graph_session,
    load_settings,
    opened_store,
    os_user,
)
from api.settings import Settings
from graph.connect import describe
from graph.store import GraphStore
from schema.errors import PariscallError, ValidationFailed

app = CommandLine(
    name="pariscall",
    help="Registry of supply-chain security initiatives for the Paris Call working groups.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = CommandLine(help="Manage the graph database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def root(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="Where the embedded engine keeps its files (default: PARISCALL_DATA_DIR, "
            "else the user's data directory, ~/.local/share/pariscall on Linux).",
        ),
    ] = None,
) -> None:
    """Options of every command; each one that opens the graph says which on stderr."""
    chosen_data_dir.set(data_dir)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(metavar="HOST", help="Interface to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="TCP port.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the bundled reference and demo data if empty.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            metavar="N",
            help="Worker processes. Above 1, rate limits are kept in a shared storage (the "
            "embedded engine's, or PARISCALL_RATE_LIMIT_STORAGE).",
        ),
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log",
            help="Log a line per HTTP request (off by default, as behind a proxy that logs "
            "them: it costs a tenth of a point read's server time).",
        ),
    ] = False,
) -> None:
    """Run the service with uvicorn: the pages at /, GraphQL at /graphql, and /health."""
    settings = load_settings()
    with opened_store(settings) as store:
        # Logging starts once the graph answered, so a failed start stays one line.
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        try:
            _prepare(store, demo=demo)
        except PariscallError as exc:
            fail(str(exc))
        # X-Forwarded-For is read by our own middleware, from the proxies the settings
        # name, or not at all: uvicorn's handling would trust any loopback client.
        if workers > 1:
            _serve_workers(
                settings, store, host=host, port=port, workers=workers, access_log=access_log
            )
        else:
            _serve_here(settings, store, host=host, port=port, access_log=access_log)


def _prepare(store: GraphStore, *, demo: bool) -> None:
    """Keys and indexes; with --demo on an empty graph, the demo data and its analyses."""
    store.apply_schema()
    if not demo:
        return
    from importers.seed import seed_if_empty

    loaded = seed_if_empty(store)
    typer.echo("demo data loaded" if loaded else "graph not empty: demo data kept as is")
    if loaded:
        from analysis.duplicates import refresh
        from graph.audit import UnitOfWork
        from schema.enums import CandidateKind

        for kind in CandidateKind:
            report = refresh(UnitOfWork.system(store, "seed"), kind)
            typer.echo(
                f"{report.candidates} {kind.value} pair(s) suggested at or above "
                f"{report.threshold:.2f}"
            )


def _serve_workers(
    settings: Settings,
    store: GraphStore,
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool,
) -> None:
    """Several uvicorn workers, each opening its own connection, sharing rate limits."""
    import uvicorn

    shared = settings.rate_limit_storage or _engine_storage(store)
    if not shared:
        fail(
            "several workers need a shared rate-limit storage: set "
            "PARISCALL_RATE_LIMIT_STORAGE=redis://HOST:PORT"
        )
    # The workers read their settings from the environment, as this process did;
    # this process keeps the embedded engine up while they run.
    os.environ["PARISCALL_RATE_LIMIT_STORAGE"] = shared
    os.environ["PARISCALL_DATA_DIR"] = str(settings.data_dir)  # --data-dir too
    typer.echo(f"{workers} workers; rate limits shared in {shared}")
    with servers.recorded(_server_record(settings, host, port)):
        uvicorn.run(
            "api.asgi:app", factory=True, host=host, port=port, workers=workers,
            log_level="info", proxy_headers=False, server_header=False,
            ws_max_size=settings.max_body_bytes, access_log=access_log,
        )  # fmt: skip


def _serve_here(
    settings: Settings, store: GraphStore, *, host: str, port: int, access_log: bool
) -> None:
    """One worker in this process, on the store already open."""
    import uvicorn

    from api.app import create_app

    served = create_app(settings, store=store)
    collector.settle()
    # A WebSocket message is held to the HTTP body limit by the server itself too,
    # before it is buffered whole (the app checks it as well, whatever serves it).
    with servers.recorded(_server_record(settings, host, port)):
        uvicorn.run(
            served, host=host, port=port, log_level="info", proxy_headers=False,
            server_header=False, ws_max_size=settings.max_body_bytes, access_log=access_log,
        )  # fmt: skip


def _server_record(settings: Settings, host: str, port: int) -> servers.ServerRecord:
    """What commands run beside this server compare their graph with."""
    config = settings.graph_config()
    return servers.ServerRecord(
        pid=os.getpid(),
        url=f"http://{host}:{port}/",
        graph=describe(config),
        data_dir=None if config.url else str(Path(config.data_dir).resolve()),
    )


def _engine_storage(store: GraphStore) -> str:
    """The embedded engine is a Redis server: it holds the workers' shared counters."""
    from graph.falkordb_store import FalkorStore

    if isinstance(store, FalkorStore):
        return f"redis://{store.host}:{store.port}"
    return ""


@app.command("seed")
def seed_command(
    demo: Annotated[
        bool, typer.Option(help="Also load the demo signatories and initiatives.")
    ] = True,
) -> None:
    """Load the bundled reference data (principles, topics, working groups)."""
    from importers.seed import seed

    with graph_session(code=1) as store:
        store.apply_schema()
        counts = seed(store, demo=demo)
        typer.echo(", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()))


@app.command("import")
def import_command(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files to import, one source each.")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="auto, native (our format), oscal, ciso, ciso-mapping, oscal-mapping, csv, "
            "xlsx or registry.",
        ),
    ] = "auto",
    source: Annotated[
        str | None,
        typer.Option(
            metavar="ID", help="Source id to use instead of the one derived from the file."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change without writing.")
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            metavar="KIND",
            help="For spreadsheets: initiatives, signatories or memberships (default: from "
            "the header).",
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Who runs the import, for the history and the audit trail "
            "(default: the operating-system user).",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Let the file replace a different publication that has the same source id.",
        ),
    ] = False,
) -> None:
    """Import recommendation sets (our format, OSCAL catalogs, CISO Assistant libraries)
    and spreadsheets of initiatives (CSV, XLSX), each file all-or-nothing; exits 1 if
    any file was refused."""
    settings = load_settings()
    options = {"fmt": fmt, "source_id": source, "dry_run": dry_run, "kind": kind,
               "actor": actor or os_user(), "replace": replace}  # fmt: skip
    with opened_store(settings) as store:
        store.apply_schema()
        refused = [path for path in paths if not _import_file(store, settings, path, options)]
    if refused:
        raise typer.Exit(1)


def _import_file(
    store: GraphStore, settings: Settings, path: Path, options: dict[str, Any]
) -> bool:
    """One file, all or nothing: its summary and live event, or its problems (False)."""
    from api.delivery.events import announce_now, channel_of, import_finished
    from importers.pipeline import run_import
    from importers.report import print_problems, print_summary, progress_bar

    try:
        with progress_bar(path.name) as on_progress:
            report = run_import(store, path, on_progress=on_progress, **options)
    except ValidationFailed as exc:
        print_problems(path, exc.problems)
        return False
    except PariscallError as exc:
        fail(f"{path}: {exc}", code=1)
    print_summary(report)
    finished = import_finished(report, actor=options["actor"])
    if finished is not None:
        announce_now(store, channel_of(settings.events_url, store), finished)
    return True


@app.command("template")
def template_command(
    kind: Annotated[
        str, typer.Argument(metavar="KIND", help="initiatives, signatories or memberships.")
    ],
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="csv or xlsx.")] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="File to write (default: KIND.FORMAT)."
        ),
    ] = None,
) -> None:
    """Write an empty spreadsheet of one kind: its columns, and a comment row of what each
    takes (allowed values in English and French). Fill it in and `pariscall import` it."""
    from importers.spreadsheet import KINDS, write_template

    if kind not in KINDS:
        fail(f"unknown kind '{kind}': choose {', '.join(KINDS)}")
    if fmt not in ("csv", "xlsx"):
        fail(f"unknown format '{fmt}': choose csv or xlsx")
    target = output or Path(f"{kind}.{fmt}")
    write_template(kind, target, fmt)
    typer.echo(f"wrote {target}")


@app.command("export")
def export_command(
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE", help="File to write (JSON).")
    ],
    what: Annotated[
        str,
        typer.Argument(
            metavar="WHAT", help="registry (default) or mappings (accepted crosswalks)."
        ),
    ] = "registry",
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", metavar="LABEL", help="Only these labels (e.g. Initiative), repeatable."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", metavar="FORMAT", help="json for the registry, oscal for mappings."
        ),
    ] = "json",
) -> None:
    """Write the registry (or some kinds) in the project's JSON format, curation decisions
    and provenance included (`pariscall import` of that file restores it); or, with
    `mappings --format oscal`, the accepted crosswalks as an OSCAL mapping collection."""
    from importers.registry import MODELS, export

    if what == "mappings":
        from api.cli.analysis import export_mappings

        export_mappings(output, fmt)
        return
    if what != "registry":
        fail(f"cannot export '{what}': choose registry or mappings")
    if fmt != "json":
        fail(f"the registry is exported as json, not '{fmt}'")

    labels = tuple(kind) if kind else tuple(MODELS)
    unknown = [k for k in labels if k not in MODELS]
    if unknown:
        fail(f"unknown kind(s) {', '.join(unknown)}; choose among {', '.join(MODELS)}")
    with graph_session(code=1) as store:
        document = export(store, labels=labels)
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    nodes = sum(len(v) for v in document["nodes"].values())
    links = sum(len(g["rows"]) for g in document["relationships"])
    typer.echo(f"{nodes} nodes and {links} relationships written to {output}")


@app.command("schema")
def schema_command(
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", metavar="FILE", help="Write the SDL to this file."),
    ] = None,
) -> None:
    """Print (or write) the GraphQL schema in SDL; api/schema.graphql is its committed copy."""
    from api.graphql.schema import build_schema

    sdl = str(build_schema()) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(sdl)
    else:
        typer.echo(sdl, nl=False)


@db_app.command("migrate")
def migrate() -> None:
    """Apply unique keys and indexes (idempotent), record the schema version, and apply
    the pending data migrations, each once (see `db status`)."""
    from graph.migrations.runner import upgrade

    with graph_session(migrate=False) as store:
        report = upgrade(store)
        info = store.health()
        typer.echo(f"schema version {info.schema_version} applied on {info.backend} {info.version}")
        for step in report.applied:
            typer.echo(
                f"migration {step.version} ({step.name}) applied: {step.changed} change(s) "
                f"in {step.duration_ms} ms"
            )
        typer.echo(f"{len(report.applied)} migration(s) applied now, {report.already} before")


@db_app.command("status")
def status() -> None:
    """Show which engine is used, its version, the schema version and every data
    migration: applied (when, how much it changed) or pending. Applies nothing."""
    from graph.migrations.runner import status as migration_status

    settings = load_settings()
    with opened_store(settings, migrate=False) as store:
        try:
            info = store.health()
            steps = migration_status(store)
        except PariscallError as exc:
            fail(str(exc))
        typer.echo(f"backend: {info.backend} {info.version}")
        typer.echo(f"schema version: {info.schema_version}")
        pending = sum(step.state == "pending" for step in steps)
        typer.echo(f"migrations: {len(steps) - pending} applied, {pending} pending")
        for step in steps:
            when = f" on {step.applied_at}, {step.changed} change(s)" if step.applied_at else ""
            typer.echo(f"  {step.version} {step.name}: {step.state}{when}")


def _add_analysis_commands() -> None:
    from api.cli.access import audit_app, tokens_app
    from api.cli.analysis import analyze_app, report_command

    app.add_typer(analyze_app, name="analyze")
    app.command("report")(report_command)
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(audit_app, name="audit")


_add_analysis_commands()


def _debugging() -> bool:
    """PARISCALL_DEBUG, read through Settings like every other setting (False if the
    settings themselves are what failed)."""
    try:
        return Settings().debug
    except ValueError:
        return False


def main() -> None:
    """Entry point: unexpected errors become one line (the traceback with PARISCALL_DEBUG=1)."""
    try:
        app(prog_name="pariscall")
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if _debugging():
            raise
        typer.echo(
            f"pariscall: unexpected error ({type(exc).__name__}: {exc}); "
            "run again with PARISCALL_DEBUG=1 for details",
            err=True,
        )
        sys.exit(1)
