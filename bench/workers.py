"""`pariscall serve` with one worker, then two, on the same generated registry (6 working
groups, 500 signatories, 10,000 initiatives) and the same machine, in one run.

Measures with wrk on loopback, for each worker count: requests/s and latency of
`initiative(id)`, and of the working-group dashboard (group, members, 50 initiatives with
topics and contributors). With two workers the rate limits live in the embedded engine's
Redis (shared), as they do in production, so their cost is in the numbers.
Usage: python -m bench.workers [--seconds 15] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from bench.api_http import DASHBOARD, generate
from bench.common import MEASURED, machine, serve, wait_healthy
from graph.connect import GraphConfig, open_store

POINT = '{ initiative(id: "i4242") { id title summary status language version } }'


def script(folder: Path, name: str, query: str, variables: dict[str, str]) -> Path:
    path = folder / f"{name}.lua"
    body = json.dumps({"query": query, "variables": variables})
    path.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [[{body}]]\n"
    )
    return path


def wrk(url: str, lua: Path, seconds: int, connections: int) -> dict[str, str]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(lua), "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = {"rps": next(x for x in out.splitlines() if x.startswith("Requests/sec")).split()[1]}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("50%", "99%"):
            found[parts[0]] = parts[1]
        if "Non-2xx" in line:
            found["non-2xx"] = parts[-1]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(GraphConfig(url=None, data_dir=folder))  # keeps the engine up
        generate(store, 10_000, 5_000, 500)
        point = script(folder, "point", POINT, {})
        dashboard = script(folder, "dashboard", DASHBOARD, {"wg": "wg1"})
        for workers in (1, 2):
            port = 18000 + os.getpid() % 1000 + workers
            env = {**os.environ, "PARISCALL_DATA_DIR": tmp, **MEASURED}
            server = serve(env, port, "--workers", str(workers))
            url = f"http://127.0.0.1:{port}/graphql"
            wait_healthy(port)
            for lua in (point, dashboard):  # warm every worker up
                wrk(url, lua, 3, args.connections)
            for name, lua in (("initiative(id)", point), ("dashboard", dashboard)):
                rows.append((workers, name, wrk(url, lua, args.seconds, args.connections)))
            server.send_signal(signal.SIGTERM)
            server.wait(60)
        store.close()
    print(f"machine: {machine()}")
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s per row, same registry, one run")
    print("| workers | request | requests/s | p50 | p99 | non-2xx |")
    print("|---|---|---|---|---|---|")
    for workers, name, found in rows:
        print(
            f"| {workers} | {name} | {found['rps']} | {found.get('50%')} | {found.get('99%')} "
            f"| {found.get('non-2xx', '0')} |"
        )


if __name__ == "__main__":
    main()
