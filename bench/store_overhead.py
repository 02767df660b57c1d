"""Port overhead: GraphStore against the engine's raw client, same engine, same run
(the `falkordb` client on the embedded engine; the `neo4j` driver with --graph-url).

Measures point-read latency (p50/p99) and UNWIND ... MERGE throughput. Usage:
    python -m bench.store_overhead [--nodes 10000] [--reads 3000] [--graph-url URL|launch]
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.common import machine, summary, timed
from bench.targets import parse_args, target

POINT_READ = "MATCH (n:Initiative {id: $id}) RETURN n {.*} AS node"
MERGE = (
    "UNWIND $rows AS row MERGE (n:Initiative {id: row.id}) "
    "SET n.title = row.title, n.summary = row.summary, n.language = row.language"
)


def rows(count: int, tag: str) -> list[dict[str, str]]:
    return [
        {
            "id": f"{tag}-{i}",
            "title": f"Initiative {i} on supply-chain security",
            "summary": "Buyers and suppliers agree on a shared security questionnaire. " * 3,
            "language": "en" if i % 2 else "fr",
        }
        for i in range(count)
    ]


def main() -> None:
    args = parse_args(__doc__, nodes=10_000, reads=3_000, batch=1_000)

    with tempfile.TemporaryDirectory() as tmp, target(args.graph_url, Path(tmp)) as bench:
        store, raw = bench.store, bench.raw
        store.apply_schema()
        # Port and raw calls alternate, batch by batch and read by read, so drift in
        # the machine's load affects both sides alike. On Neo4j both write to the one
        # database (ids p-… and r-…); on FalkorDB each to a graph of its own with the
        # same keys and indexes.
        data_port, data_raw = rows(args.nodes, "p"), rows(args.nodes, "r")
        port_time = raw_time = 0.0
        for i in range(0, args.nodes, args.batch):
            start = time.perf_counter()
            store.write_batched(MERGE, data_port[i : i + args.batch], batch_size=args.batch)
            port_time += time.perf_counter() - start
            start = time.perf_counter()
            raw.write(MERGE, {"rows": data_raw[i : i + args.batch]})
            raw_time += time.perf_counter() - start
        port_write, raw_write = args.nodes / port_time, args.nodes / raw_time

        rng = random.Random(7)
        port_reads: list[float] = []
        raw_reads: list[float] = []
        for round_ in range(args.reads + 200):
            key = rng.randrange(args.nodes)
            port_ms = timed(lambda k=key: store.read(POINT_READ, {"id": f"p-{k}"}), 1)
            raw_ms = timed(lambda k=key: raw.read(POINT_READ, {"id": f"r-{k}"}), 1)
            if round_ >= 200:  # the first rounds warm connections and caches
                port_reads += port_ms
                raw_reads += raw_ms
        store.clear()
        engine = bench.name

    p50, p99, _ = summary(port_reads)
    r50, r99, _ = summary(raw_reads)
    print(f"machine: {machine()}")
    print(f"engine: {engine}; nodes: {args.nodes}, reads: {args.reads}, batch: {args.batch}")
    print("| operation | raw client | GraphStore port | ratio (port/raw) |")
    print("|---|---|---|---|")
    print(f"| point read p50 (ms) | {r50:.3f} | {p50:.3f} | {p50 / r50:.2f} |")
    print(f"| point read p99 (ms) | {r99:.3f} | {p99:.3f} | {p99 / r99:.2f} |")
    print(
        f"| UNWIND MERGE (rows/s) | {raw_write:,.0f} | {port_write:,.0f} |"
        f" {raw_write / port_write:.2f} (time) |"
    )


if __name__ == "__main__":
    main()
