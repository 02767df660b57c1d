"""Shared helpers for the benchmark scripts: timing, percentiles, machine description."""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

# A production server measured by one load generator: one client address, its limit lifted.
MEASURED = {"PARISCALL_ENV": "production", "PARISCALL_RATE_LIMIT_PER_ADDRESS": "10000000/minute"}


def serve(
    env: Mapping[str, str], port: int, *options: str, **popen: Any
) -> subprocess.Popen[bytes]:
    """`pariscall serve --port PORT [options]` in a process of its own, its output discarded;
    started, not waited for (wait_healthy)."""
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), *options],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen,
    )  # fmt: skip


def wait_healthy(port: int, *, tries: int = 300, pause: float = 0.1) -> None:
    """Until the server on `port` answers /health (every worker may not be up yet)."""
    for _ in range(tries):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(pause)
    raise RuntimeError(f"no server answered on port {port}")


def machine() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
            )
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return (
        f"{model}, {cores} cores, Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}"
    )


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Latencies in milliseconds of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def paired(
    pairs: list[tuple[Callable[[], object], Callable[[], object]]],
) -> tuple[list[float], list[float]]:
    """Latencies in milliseconds of each pair's two calls, made one after the other."""
    first, second = [], []
    for one, other in pairs:
        start = time.perf_counter()
        one()
        middle = time.perf_counter()
        other()
        first.append((middle - start) * 1000)
        second.append((time.perf_counter() - middle) * 1000)
    return first, second


def summary(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples), percentile(samples, 99), statistics.mean(samples)


def add_child_argument(parser: argparse.ArgumentParser) -> None:
    """`--child DATA_DIR WHAT`: the script runs one measure in a fresh process (in_child)."""
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)


def answered_child(args: argparse.Namespace, run: Callable[[Path, str], object]) -> bool:
    """When this process is a child: print `run(DATA_DIR, WHAT)` as JSON, and say it did."""
    if not args.child:
        return False
    print(json.dumps(run(Path(args.child[0]), args.child[1])))
    return True


def in_child(module: str, data_dir: Path, what: str) -> dict[str, Any]:
    """`python -m MODULE --child DATA_DIR WHAT` (a cold start, with memory of its own): the
    JSON it printed last."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--child", str(data_dir), what],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))
