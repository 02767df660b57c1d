"""Shared helpers for the benchmark scripts: timing, percentiles, machine description."""

from __future__ import annotations

import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime


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
