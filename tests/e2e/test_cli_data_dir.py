"""Which registry a command works on: the user's data directory by default, wherever it
is run from, said on stderr, with a word when a running server uses another one.

Engine-specific: the data directory is the embedded engine's (a graph URL names its
graph whatever the folder; its line is checked beside the others)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from graph.embedded import EmbeddedEngine
from tests.processes import cli_env, free_port, graphql, run_cli, start_server

CREATE_TOPIC = (
    'mutation { createTopic(input: {id: "from-elsewhere", nameEn: "Elsewhere", '
    'nameFr: "Ailleurs"}) { errors { __typename } } }'
)


def user_env(home: Path) -> dict[str, str]:
    """A user's environment with no PARISCALL_DATA_DIR: the default applies, under
    `home`'s XDG directories (where ~/.local/share and ~/.local/state would be)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARISCALL_")}
    env["XDG_DATA_HOME"] = str(home / "share")
    env["XDG_STATE_HOME"] = str(home / "state")
    return env


@contextmanager
def engines_held(*data_dirs: Path) -> Iterator[None]:
    """Keep each data directory's engine up, so the commands join it instead of each
    starting and stopping one."""
    with ExitStack() as stack:
        for data_dir in data_dirs:
            engine = EmbeddedEngine(data_dir)
            engine.acquire()
            stack.callback(engine.release)
        yield


def test_a_command_run_from_another_folder_works_on_the_servers_registry(
    tmp_path: Path,
) -> None:
    env = user_env(tmp_path / "home")
    serving, elsewhere = tmp_path / "project", tmp_path / "downloads"
    serving.mkdir()
    elsewhere.mkdir()
    port = free_port()
    server = start_server(env, port, cwd=serving)
    try:
        made = run_cli(["tokens", "create", "--role", "admin", "--name", "ops"], env, cwd=elsewhere)
        assert made.returncode == 0, made.stderr
        sheet = elsewhere / "signatories.csv"
        sheet.write_text("id,name,kind\ncesin,CESIN,civil_society\n", encoding="utf-8")
        imported = run_cli(["import", str(sheet)], env, cwd=elsewhere)
        assert imported.returncode == 0, imported.stderr
        # the token made from another folder signs in on the server, and the row is there
        auth = {"Authorization": f"Bearer {made.stdout.strip()}"}
        created = graphql(port, CREATE_TOPIC, **auth).json()
        assert created == {"data": {"createTopic": {"errors": []}}}
        shown = graphql(port, '{ signatory(id: "cesin") { name } }').json()
        assert shown == {"data": {"signatory": {"name": "CESIN"}}}
        assert not (serving / "var").exists() and not (elsewhere / "var").exists()
        default = (tmp_path / "home" / "share" / "pariscall").resolve()
        assert made.stderr.splitlines()[0] == (
            f"graph: embedded FalkorDB in {default / 'graph'} (the default data directory)"
        )
        assert "another graph" not in made.stderr  # the server's graph is this one
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def test_every_command_that_opens_the_graph_names_it_on_stderr(tmp_path: Path) -> None:
    chosen, configured = tmp_path / "chosen", tmp_path / "configured"
    env = cli_env(configured)
    with engines_held(chosen, configured):
        for args, origin, where in (
            (["db", "status"], "PARISCALL_DATA_DIR", configured),
            (["--data-dir", str(chosen), "tokens", "list"], "--data-dir", chosen),
            (["export", "-o", str(tmp_path / "registry.json")], "PARISCALL_DATA_DIR", configured),
        ):
            done = run_cli(args, env)
            assert done.returncode == 0, done.stderr
            line = f"graph: embedded FalkorDB in {where.resolve() / 'graph'} ({origin})"
            assert done.stderr.splitlines()[0] == line, args
            assert line not in done.stdout  # data and answers stay apart from it
    assert (chosen / "graph").is_dir()
    # a command that does not open the graph says nothing of it
    template = run_cli(["template", "initiatives", "-o", str(tmp_path / "t.csv")], env)
    assert template.returncode == 0 and "graph:" not in template.stderr
    # a graph that cannot be opened: one line, the reason, and no line naming it
    url = "falkordb://127.0.0.1:1"
    unreachable = run_cli(["db", "status"], cli_env(configured, PARISCALL_GRAPH_URL=url))
    [said] = unreachable.stderr.splitlines()
    assert said.startswith(f"pariscall: cannot reach the graph at {url}")


def test_a_server_on_another_data_directory_is_named(tmp_path: Path) -> None:
    served, other = tmp_path / "served", tmp_path / "other"
    state = str(tmp_path / "state")
    apart_env = cli_env(other, XDG_STATE_HOME=state)
    port = free_port()
    with engines_held(other):
        server = start_server(cli_env(served, XDG_STATE_HOME=state), port)
        try:
            apart = run_cli(["db", "status"], apart_env)
            assert apart.returncode == 0, apart.stderr
            where = served.resolve()
            assert apart.stderr.splitlines()[1:] == [
                f"pariscall: the server at http://127.0.0.1:{port}/ (pid {server.pid}) uses "
                f"another graph, embedded FalkorDB in {where / 'graph'}: this command does not "
                f"work on its data; run with --data-dir {where} (or PARISCALL_DATA_DIR) to use it"
            ]
            same = run_cli(["--data-dir", str(served), "db", "status"], apart_env)
            assert same.returncode == 0 and len(same.stderr.splitlines()) == 1, same.stderr
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        # a server that stopped is forgotten: no word of it any more
        after = run_cli(["db", "status"], apart_env)
        assert after.returncode == 0 and len(after.stderr.splitlines()) == 1, after.stderr
    assert list((tmp_path / "state" / "pariscall" / "servers").glob("*.json")) == []
