"""What every `pariscall` command shares: opening the configured graph, reading the
settings, failing with one clear line, and naming the user for the history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from api.settings import Settings
from graph.connect import describe, open_store
from graph.errors import BadGraphUrl
from graph.store import GraphStore
from schema.errors import GraphUnavailable, PariscallError


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr and an exit code; never a traceback."""
    typer.echo(f"pariscall: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def opened_store(settings: Settings) -> Iterator[GraphStore]:
    """Open the configured graph or exit 2 with a line that says what to do."""
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
        yield store
    finally:
        store.close()


@contextmanager
def graph_session(*, code: int = 2) -> Iterator[GraphStore]:
    """The configured graph for one command; a project error inside it becomes one line
    on stderr and exit `code`, never a traceback."""
    with opened_store(load_settings()) as store:
        try:
            yield store
        except PariscallError as exc:
            fail(str(exc), code=code)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        fail(f"invalid configuration: {exc}".replace("\n", " "))


def os_user() -> str:
    """The operating-system user running the command, as the imports' history shows it."""
    import getpass

    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"
