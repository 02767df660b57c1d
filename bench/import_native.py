"""Importing 100,000 recommendations in the project's JSON format, next to the raw
engine's UNWIND ... MERGE of the same rows, in the same run on the same engine.

Measures: first import (wall time, rows/s, peak RSS of the `pariscall import` process),
re-import of the same file (all unchanged), and the raw client's MERGE throughput.
Usage: python -m bench.import_native [--count 100000] [--graph-url URL|launch]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine
from bench.targets import parse_args, target
from graph.store import GraphStore

# The raw engine writing the same graph the import writes: every record with the same
# properties (provenance included), its PART_OF link to the source, then its PART_OF
# link to its parent; UNWIND ... MERGE in batches of 1,000.
RAW_MERGE = (
    "UNWIND $rows AS row MERGE (r:Recommendation {id: row.id}) SET r += row "
    "WITH r MATCH (s:Source {id: $source}) MERGE (r)-[:PART_OF]->(s)"
)
RAW_PARENTS = (
    "UNWIND $rows AS row MATCH (r:Recommendation {id: row.id}) "
    "MATCH (p:Recommendation {id: row.parent_id}) MERGE (r)-[:PART_OF]->(p)"
)
# The baseline of earlier runs: the records' main properties only, no links.
RAW_NODES_ONLY = (
    "UNWIND $rows AS row MERGE (r:Recommendation {id: row.id}) "
    "SET r.source_id = row.source_id, r.ref = row.ref, r.title = row.title, r.text = row.text, "
    "r.language = row.language, r.parent_id = row.parent_id, r.status = 'active'"
)
SHAPE = (
    "MATCH (r:Recommendation) WITH count(r) AS nodes "
    "MATCH (:Recommendation)-[l:PART_OF]->() WITH nodes, count(l) AS links "
    "MATCH (r:Recommendation {ref: 'G7.42'}) RETURN nodes, links, keys(r) AS keys"
)


def shape(store: GraphStore) -> tuple[int, int, list[str]]:
    row = store.read(SHAPE)[0]
    return row["nodes"], row["links"], sorted(row["keys"])


def records(count: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(count):
        group = i // 100
        ref = f"G{group}" if i % 100 == 0 else f"G{group}.{i % 100}"
        item: dict[str, object] = {
            "ref": ref,
            "title": f"Recommendation {i}",
            "text": f"Suppliers document and share security property {i} of their products "
            "with buyers, and keep it up to date for the whole support period.",
        }
        if i % 100:
            item["parent_ref"] = f"G{group}"
        out.append(item)
    return out


# Runs the CLI and prints its own peak RSS (KiB) as the last line of stderr.
WRAPPED = (
    "import resource, sys\n"
    "from api.cli import app\n"
    "try:\n"
    "    app(sys.argv[1:], standalone_mode=False)\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `pariscall` run."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPED, *args], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return wall, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    args = parse_args(__doc__, count=100_000)

    with tempfile.TemporaryDirectory() as tmp, target(args.graph_url, Path(tmp)) as bench:
        data = {
            "format": "pariscall/recommendations@1",
            "source": {"id": "bench", "title": "Generated set", "publisher": "Bench"},
            "recommendations": records(args.count),
        }
        path = Path(tmp) / "bench.json"
        path.write_text(json.dumps(data))
        size_mib = path.stat().st_size / 2**20
        store, client = bench.store, bench.raw  # the store keeps the engine up
        store.apply_schema()
        env = bench.env

        first_s, first_rss = run_cli(["import", str(path)], env)
        again_s, again_rss = run_cli(["import", str(path)], env)

        imported_shape = shape(store)
        # What the import stored for each record, provenance included, for the raw side.
        stored = store.read(
            "MATCH (r:Recommendation {source_id: 'bench'}) RETURN r {.*} AS r ORDER BY r.id"
        )
        store.clear()
        store.apply_schema()
        rows = [r["r"] for r in stored]
        rows.sort(key=lambda r: (r.get("parent_id") is not None, r["id"]))

        raw = bench.raw_store
        start = time.perf_counter()
        client.write("MERGE (s:Source {id: 'bench'}) SET s.title = 'Generated set'")
        for i in range(0, len(rows), 1000):
            client.write(RAW_MERGE, {"rows": rows[i : i + 1000], "source": "bench"})
        children = [r for r in rows if r.get("parent_id")]
        for i in range(0, len(children), 1000):
            client.write(RAW_PARENTS, {"rows": children[i : i + 1000]})
        raw_s = time.perf_counter() - start
        raw_shape = shape(raw)
        raw.clear()
        raw.apply_schema()
        # The earlier, lighter baseline: main properties only, no links.
        start = time.perf_counter()
        for i in range(0, len(rows), 1000):
            client.write(RAW_NODES_ONLY, {"rows": rows[i : i + 1000]})
        nodes_only_s = time.perf_counter() - start
        raw.clear()
        engine = bench.name

    count = args.count
    print(f"machine: {machine()}")
    print(f"engine: {engine}; file: {count:,} recommendations, {size_mib:.1f} MiB of JSON")
    print(
        f"graph written by the import: {imported_shape[0]:,} records, {imported_shape[1]:,} links"
    )
    print(f"graph written by the raw client: {raw_shape[0]:,} records, {raw_shape[1]:,} links")
    if imported_shape != raw_shape:
        raise SystemExit(f"the two graphs differ: {imported_shape} / {raw_shape}")
    print("| measure | seconds | rows/s | peak RSS (MiB) |")
    print("|---|---|---|---|")
    print(f"| raw UNWIND MERGE, same graph | {raw_s:.1f} | {count / raw_s:,.0f} | - |")
    print(
        f"| raw UNWIND MERGE, main properties only, no links | {nodes_only_s:.1f} |"
        f" {count / nodes_only_s:,.0f} | - |"
    )
    print(f"| pariscall import, first | {first_s:.1f} | {count / first_s:,.0f} | {first_rss:.0f} |")
    print(
        f"| pariscall import, again (unchanged) | {again_s:.1f} | {count / again_s:,.0f} |"
        f" {again_rss:.0f} |"
    )
    print(
        f"import / raw throughput: {raw_s / first_s:.2f} (same graph), "
        f"{nodes_only_s / first_s:.2f} (nodes only); re-import / first: {again_s / first_s:.2f}"
    )


if __name__ == "__main__":
    main()
