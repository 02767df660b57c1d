"""Where the tests get their Neo4j: NEO4J_URI if set; else testcontainers when a Docker
engine answers; else Neo4j Community run by the launcher in tests/neo4j_launcher (built by
`mvn -q -f tests/neo4j_launcher/pom.xml package`, as .ci/run does; its jars are not kept in
git); else none, with the reason.

The launcher runs as a child of the test session: its stdin is a pipe from this process,
so it stops when the session ends, however it ends."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "neo4j_launcher"
START_TIMEOUT = 180.0


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str = "neo4j"
    password: str = ""
    how: str = ""


class Unavailable(Exception):
    """No Neo4j could be had; the message says why."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launcher_command(
    home: Path, port: int, *, plugins: Path | None = None, fast_start: bool = True
) -> list[str]:
    java = shutil.which("java")
    classes, lib = LAUNCHER / "target" / "classes", LAUNCHER / "target" / "lib"
    if not java:
        raise Unavailable("no `java` on PATH")
    if not (classes / "org").is_dir() or not lib.is_dir():
        raise Unavailable(
            "the Neo4j launcher is not built: run `mvn -q -f tests/neo4j_launcher/pom.xml package`"
        )
    classpath = f"{classes}{os.pathsep}{lib}/*"
    if plugins is not None:
        # Embedded, Neo4j finds a plugin's extensions (APOC's configuration) on the
        # class path and its procedures in the plugins folder: both are needed.
        classpath += f"{os.pathsep}{plugins}/*"
    # Tests want a quick start (the first JIT tier only); benchmarks the full JIT.
    tuning = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"] if fast_start else []
    heap = os.environ.get("PARISCALL_NEO4J_HEAP", "1g")  # benchmarks of large imports: more
    command = [
        java, "-Xms256m", f"-Xmx{heap}", *tuning,
        "-cp", classpath, "org.pariscall.neo4j.Launcher", str(home), str(port), "256m",
    ]  # fmt: skip
    if plugins is not None:
        command.append(str(plugins))
    return command


@contextmanager
def launched(
    *,
    plugins: Path | None = None,
    fast_start: bool = True,
    home: Path | None = None,
    discard: bool = False,
) -> Iterator[Neo4jServer]:
    """Neo4j Community on a free loopback port until the block ends: in a temporary home,
    or in `home` (a database made earlier, kept afterwards). `discard`: its data is not
    needed afterwards, so it is killed rather than stopped cleanly (seconds sooner)."""
    scratch = Path(tempfile.mkdtemp(prefix="pariscall-neo4j-"))
    port = _free_port()
    log = scratch / "launcher.log"
    command = launcher_command(home or scratch / "db", port, plugins=plugins, fast_start=fast_start)
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out, text=True
        )
    ready = threading.Event()

    def watch() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY"):
                ready.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.wait(0.2):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise Unavailable(f"the Neo4j launcher did not start: {log.read_text()[-2000:]}")
        yield Neo4jServer(uri=f"bolt://127.0.0.1:{port}", how="launcher")
    finally:
        if discard:
            proc.kill()
        if proc.stdin:
            proc.stdin.close()  # the launcher's signal to stop
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


@contextmanager
def neo4j_server() -> Iterator[Neo4jServer]:
    """The first Neo4j available, in the order of the module docstring."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jServer(
            uri=uri,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            how="NEO4J_URI",
        )
        return
    if _docker_available():
        try:
            from testcontainers.community.neo4j import Neo4jContainer
        except ImportError:  # testcontainers before 4.10 kept it at the top level
            from testcontainers.neo4j import Neo4jContainer  # type: ignore[no-redef]

        with Neo4jContainer("neo4j:5.26-community") as container:
            yield Neo4jServer(
                uri=container.get_connection_url(),
                password=container.password,
                how="testcontainers",
            )
        return
    with launched() as server:
        yield server
