"""The server-rendered pages on the generated registry of 10,000 initiatives.

The registry of `bench.api_http` (6 working groups, 500 signatories, 10,000 initiatives,
5,000 recommendations, 15 topics), served by one `pariscall serve` process (one worker,
production mode); each page is asked for sequentially, once to warm up, then `--repeat`
times: the median time and the size of the answer are printed, with the targets of the
issue "pages at scale" beside them.
Usage: python -m bench.pages_scale [--repeat 5] [--graph-url URL|launch]
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.api_http import generate
from bench.common import MEASURED, machine, serve, wait_healthy
from bench.targets import parse_args, target

# (what, path, target median in ms, target size in KB or None)
PAGES = [
    ("home", "/", 150, None),
    ("working group page", "/wg/wg1", 250, 150),
    ("working group page, all initiatives (streamed)", "/wg/wg1?all=1", None, None),
    ("report, Markdown", "/wg/wg1/report.md", 500, None),
    ("report, XLSX", "/wg/wg1/report.xlsx", 2000, None),
    ("report, HTML", "/wg/wg1/report.html", None, None),
    ("search", "/search?q=supply+chain+security", None, None),
]


def main() -> None:
    args = parse_args(__doc__, repeat=5, initiatives=10_000)

    rows: list[tuple[str, str, float, float, int | None, int | None]] = []
    with tempfile.TemporaryDirectory() as tmp, target(args.graph_url, Path(tmp)) as bench:
        start = time.perf_counter()
        generate(bench.store, args.initiatives, 5_000, 500)
        load_s = time.perf_counter() - start
        port = 19000 + os.getpid() % 1000
        server = serve({**bench.env, **MEASURED}, port)
        try:
            base = f"http://127.0.0.1:{port}"
            client = httpx.Client(timeout=120)
            wait_healthy(port)
            for what, path, goal_ms, goal_kb in PAGES:
                samples = []
                size = 0
                for attempt in range(args.repeat + 1):  # the first warms up
                    began = time.perf_counter()
                    reply = client.get(base + path)
                    elapsed = (time.perf_counter() - began) * 1000
                    if reply.status_code != 200:  # recorded, and the other pages measured
                        print(f"{path}: {reply.status_code} {reply.text[:200]!r}", file=sys.stderr)
                    size = len(reply.content)
                    if attempt:
                        samples.append(elapsed)
                rows.append((what, path, statistics.median(samples), size / 1024, goal_ms, goal_kb))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        engine = bench.name

    print(f"machine: {machine()}; engine: {engine}")
    print(
        f"graph of {args.initiatives} initiatives generated in {load_s:.1f} s; "
        f"median of {args.repeat} sequential requests after one warm-up"
    )
    print("| page | path | median (ms) | size (KB) | target |")
    print("|---|---|---|---|---|")
    for what, path, ms, kb, goal_ms, goal_kb in rows:
        goals = [f"≤ {goal_ms} ms" if goal_ms else "", f"≤ {goal_kb} KB" if goal_kb else ""]
        shown = ", ".join(g for g in goals if g) or "-"
        print(f"| {what} | `{path}` | {ms:.0f} | {kb:.0f} | {shown} |")


if __name__ == "__main__":
    main()
