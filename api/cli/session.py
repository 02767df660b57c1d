"""What every `pariscall` command shares: opening the configured graph (and saying on
stderr which one, and whether a running server uses another), reading the settings,
failing with one clear line, and naming the user for the history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import NoReturn

import typer

from api import servers
from api.settings import Settings
from graph.connect import GraphConfig, describe, open_store
from graph.errors import BadGraphUrl
from graph.migrations import runner as migrations
from graph.store import GraphStore
from schema.errors import GraphUnavailable, PariscallError


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr and an exit code; never a traceback."""
    typer.echo(f"pariscall: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def opened_store(settings: Settings, *, migrate: bool = True) -> Iterator[GraphStore]:
    """Open the configured graph, upgraded (pending data migrations applied, see
    graph/migrations) unless `migrate` is false, or exit 2 with a line that says what to
    do."""
    config = settings.graph_config()
    try:
        store = open_store(config)
    except BadGraphUrl as exc:
        fail(str(exc))
    except GraphUnavailable as exc:
        fail(
            f"cannot reach the graph at {describe(config)}: {exc}. Start the server or fix "
            "PARISCALL_GRAPH_URL (unset it to use the embedded engine)."
        )
    try:
        typer.echo(f"graph: {describe(config)} ({origin(settings)})", err=True)
        for line in other_servers(config):
            typer.echo(f"pariscall: {line}", err=True)
        if migrate:
            upgraded(store)
        yield store
    finally:
        store.close()


def upgraded(store: GraphStore) -> None:
    """Apply pending data migrations before the command reads anything; say so on stderr
    when they changed something."""
    try:
        report = migrations.migrate(store)
    except PariscallError as exc:
        fail(f"cannot upgrade the graph: {exc}")
    for step in report.applied:
        if step.changed:
            typer.echo(
                f"graph upgraded: migration {step.version} ({step.name}), {step.changed} change(s)",
                err=True,
            )


def origin(settings: Settings) -> str:
    """Where the graph setting came from, so a surprise is traced to its cause."""
    if settings.graph_url:
        return "PARISCALL_GRAPH_URL"
    if data_dir_option() is not None:
        return "--data-dir"
    if "data_dir" in settings.model_fields_set:
        return "PARISCALL_DATA_DIR"
    return "the default data directory"


def other_servers(config: GraphConfig) -> list[str]:
    """One line per running `pariscall serve` whose graph is not this command's: what
    this command writes, that server never shows."""
    lines = []
    for server in servers.elsewhere(describe(config)):
        if server.data_dir is not None:
            how = f"run with --data-dir {server.data_dir} (or PARISCALL_DATA_DIR)"
        else:
            how = f"set PARISCALL_GRAPH_URL={server.graph}"
        lines.append(
            f"the server at {server.url} (pid {server.pid}) uses another graph, "
            f"{server.graph}: this command does not work on its data; {how} to use it"
        )
    return lines


@contextmanager
def graph_session(*, code: int = 2, migrate: bool = True) -> Iterator[GraphStore]:
    """The configured graph for one command; a project error inside it becomes one line
    on stderr and exit `code`, never a traceback."""
    with opened_store(load_settings(), migrate=migrate) as store:
        try:
            yield store
        except PariscallError as exc:
            fail(str(exc), code=code)


# `pariscall --data-dir DIR ...`, set by the root command before any sub-command runs.
chosen_data_dir: ContextVar[Path | None] = ContextVar("chosen_data_dir", default=None)


def data_dir_option() -> Path | None:
    return chosen_data_dir.get()


def load_settings() -> Settings:
    """The settings from the environment, with `--data-dir` over PARISCALL_DATA_DIR."""
    chosen = data_dir_option()
    try:
        return Settings(data_dir=chosen) if chosen is not None else Settings()
    except ValueError as exc:
        fail(f"invalid configuration: {exc}".replace("\n", " "))


def os_user() -> str:
    """The operating-system user running the command, as the imports' history shows it."""
    import getpass

    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"
