"""Subscription fan-out: events delivered per second to many connected subscribers, and
delivery latency, with `pariscall serve` on one worker and then two, in one run.

For each worker count: a fresh embedded registry, N subscribers (admin tokens, so each
hears every event) connected over graphql-transport-ws, then M changes made through
GraphQL one after another (createTopic: each writes its change and its audit event, then
announces it). With two workers the subscribers are spread over both by the kernel and
events travel through the embedded engine's Redis channel. Measured: deliveries/s
(N x M over the time from the first change to the last delivery) and latency from the
event's timestamp (taken when the change was written) to its arrival at a subscriber,
p50 and p99. Subscribers and server share the machine, so the client's own cost is in
the numbers. Usage: python -m bench.subscriptions_fanout [--subscribers 500] [--events 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench.common import machine, percentile, wait_healthy
from bench.common import serve as serve_process

SUBSCRIBE = json.dumps(
    {"id": "1", "type": "subscribe", "payload": {"query": "subscription { events { id at } }"}}
)


def serve(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PARISCALL_DATA_DIR": str(data),
           "PARISCALL_RATE_LIMIT_PER_TOKEN": "1000000/minute",
           "PARISCALL_RATE_LIMIT_PER_ADDRESS": "1000000/minute"}  # fmt: skip
    proc = serve_process(env, port, "--workers", str(workers), start_new_session=True)
    wait_healthy(port, pause=0.2)
    return proc


def token(data: Path) -> str:
    env = {**os.environ, "PARISCALL_DATA_DIR": str(data)}
    out = subprocess.run(
        [sys.executable, "-m", "api.cli", "tokens", "create", "--role", "admin", "--name", "b"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


async def subscriber(port: int, secret: str, ready: asyncio.Event, got: list[float], want: int,
                     lat: list[float]) -> None:  # fmt: skip
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"], max_queue=None
    ) as socket:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {secret}"}}
        await socket.send(json.dumps(init))
        await socket.recv()
        await socket.send(SUBSCRIBE)
        ready.set()
        for _ in range(want):
            message = json.loads(await socket.recv())
            now = time.time()
            at = datetime.fromisoformat(message["payload"]["data"]["events"]["at"]).timestamp()
            lat.append(now - at)
            got.append(now)


async def run(port: int, secret: str, subscribers: int, events: int) -> dict[str, float]:
    got: list[float] = []
    lat: list[float] = []
    readies = [asyncio.Event() for _ in range(subscribers)]
    tasks = []
    for i in range(subscribers):
        tasks.append(asyncio.create_task(subscriber(port, secret, readies[i], got, events, lat)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    await asyncio.gather(*(r.wait() for r in readies))
    await asyncio.sleep(1.0)  # every subscription registered in its worker
    headers = {"Authorization": f"Bearer {secret}"}
    start = time.time()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers) as http:
        for n in range(events):
            query = "mutation($i: TopicInput!) { createTopic(input: $i) { errors { __typename } } }"
            variables = {"i": {"id": f"t{n}", "nameEn": f"Topic {n}", "nameFr": f"Thème {n}"}}
            reply = await http.post("/graphql", json={"query": query, "variables": variables})
            assert reply.status_code == 200 and not reply.json()["data"]["createTopic"]["errors"]
    await asyncio.wait_for(asyncio.gather(*tasks), 300)
    elapsed = max(got) - start
    return {
        "deliveries": len(got),
        "per_second": len(got) / elapsed,
        "seconds": elapsed,
        "p50_ms": percentile(lat, 50) * 1000,
        "p99_ms": percentile(lat, 99) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=500)
    parser.add_argument("--events", type=int, default=100)
    args = parser.parse_args()
    print(f"# {machine()}")
    print(f"{args.subscribers} subscribers, {args.events} changes each heard by all")
    print("| workers | deliveries | deliveries/s | seconds | latency p50 | latency p99 |")
    print("|---|---|---|---|---|---|")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory(prefix="fanout-") as folder:
            data = Path(folder)
            port = 18000 + workers
            proc = serve(data, port, workers)
            try:
                found: dict[str, Any] = asyncio.run(
                    run(port, token(data), args.subscribers, args.events)
                )
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)
        print(
            f"| {workers} | {found['deliveries']} | {found['per_second']:,.0f} | "
            f"{found['seconds']:.2f} | {found['p50_ms']:.0f} ms | {found['p99_ms']:.0f} ms |"
        )


if __name__ == "__main__":
    main()
