"""GraphQL over HTTP against raw Cypher through the store, on a generated registry.

Graph: 6 working groups, 500 signatories, 10,000 initiatives, 5,000 recommendations,
15 topics. Measures, against a real `pariscall serve` (one uvicorn process):
  (a) `initiative(id)` latency, next to the same read as raw Cypher through the store;
  (b) a working-group dashboard (group + members + 50 initiatives with topics and
      contributors), next to the raw Cypher that fetches the same data, and next to the
      same service with the executor shortcuts off (a second server on the same graph);
  sustained requests/s of (a) with wrk on loopback, and the server's memory.
Each HTTP request is paired with its raw counterpart, run right after it, so that drift in
the shared machine's speed lands on both sides of the ratio.
Usage: python -m bench.api_http [--requests 1000] [--seconds 15] [--graph-url URL|launch]
The raw side is the engine's own client (falkordb, or the neo4j driver) on the same graph.
"""

from __future__ import annotations

import gc
import json
import os
import random
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import MEASURED, machine, paired, serve, summary, wait_healthy
from bench.targets import parse_args, target
from graph.connect import DEFAULT_GRAPH
from graph.store import GraphStore

TOPICS = [f"topic-{i}" for i in range(15)]

POINT = "query($id: ID!) { initiative(id: $id) { id title summary status language version } }"
RAW_POINT = "MATCH (n:Initiative {id: $id}) RETURN n {.*} AS node"

DASHBOARD = """query($wg: ID!) {
  workingGroup(id: $wg) { id name members { role signatory { id name kind country } } }
  initiatives(where: {workingGroup: $wg}, first: 50) {
    edges { node { id title status language
      topics { id nameEn nameFr }
      contributors { role signatory { id name } } } }
  }
}"""
RAW_GROUP = (
    "MATCH (w:WorkingGroup {id: $wg}) "
    "RETURN w {.*} AS wg, [(w)<-[r:MEMBER_OF]-(s:Signatory) | {role: r.role, signatory: s {.*}}] "
    "AS members"
)
RAW_PAGE = (
    "MATCH (n:Initiative)<-[:TRACKS]-(:WorkingGroup {id: $wg}) "
    "WITH n ORDER BY n.title, n.id LIMIT 50 "
    "RETURN n {.*} AS node, [(n)-[:ADDRESSES]->(t:Topic) | t {.*}] AS topics, "
    "[(n)<-[c:CONTRIBUTES_TO]-(s:Signatory) | {role: c.role, signatory: s {.*}}] AS contributors"
)


def generate(store: GraphStore, initiatives: int, recommendations: int, signatories: int) -> None:
    rng = random.Random(11)
    store.apply_schema()
    store.write_batched(
        "UNWIND $rows AS row MERGE (w:WorkingGroup {id: row.id}) SET w += row",
        [
            {
                "id": f"wg{i}",
                "code": f"wg{i}",
                "name": f"Working group {i}",
                "status": "active",
                "verified": True,
            }
            for i in range(1, 7)
        ],
    )
    store.write_batched(
        "UNWIND $rows AS row MERGE (t:Topic {id: row.id}) SET t += row",
        [{"id": t, "name_en": t, "name_fr": t} for t in TOPICS],
    )
    kinds = ["state", "company", "civil_society", "academia", "public_authority"]
    store.write_batched(
        "UNWIND $rows AS row MERGE (s:Signatory {id: row.id}) SET s += row",
        [
            {
                "id": f"s{i}",
                "name": f"Signatory {i}",
                "kind": kinds[i % 5],
                "country": "FR",
                "verified": True,
            }
            for i in range(signatories)
        ],
    )
    store.write_batched(
        "UNWIND $rows AS row MATCH (s:Signatory {id: row.s}) MATCH (w:WorkingGroup {id: row.w}) "
        "MERGE (s)-[r:MEMBER_OF]->(w) SET r.role = row.role",
        [
            {"s": f"s{i}", "w": f"wg{i % 6 + 1}", "role": "co_chair" if i < 12 else "member"}
            for i in range(signatories)
        ],
    )
    store.write_batched(
        "UNWIND $rows AS row MERGE (n:Initiative {id: row.id}) SET n += row",
        [
            {
                "id": f"i{i}",
                "title": f"Initiative {i:05d} on supply-chain security",
                "summary": "Buyers and suppliers agree on a shared security questionnaire.",
                "language": "fr" if i % 3 == 0 else "en",
                "status": "active",
                "version": 1,
            }
            for i in range(initiatives)
        ],
    )
    store.write_batched(
        "UNWIND $rows AS row MATCH (n:Initiative {id: row.id}) "
        "MATCH (w:WorkingGroup {id: row.wg}) MERGE (w)-[:TRACKS]->(n) "
        "WITH n, row MATCH (t:Topic) WHERE t.id IN row.topics MERGE (n)-[:ADDRESSES]->(t) "
        "WITH DISTINCT n, row MATCH (s:Signatory) WHERE s.id IN row.people "
        "MERGE (s)-[c:CONTRIBUTES_TO]->(n) SET c.role = 'partner'",
        [
            {
                "id": f"i{i}",
                "wg": f"wg{i % 6 + 1}",
                "topics": rng.sample(TOPICS, 2),
                "people": [f"s{rng.randrange(signatories)}" for _ in range(2)],
            }
            for i in range(initiatives)
        ],
    )
    store.write_batched(
        "UNWIND $rows AS row MERGE (r:Recommendation {id: row.id}) SET r += row",
        [
            {
                "id": f"bench:r{i}",
                "source_id": "bench",
                "ref": f"R.{i}",
                "title": f"Rec {i}",
                "language": "en",
                "status": "active",
                "verified": True,
            }
            for i in range(recommendations)
        ],
    )


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    args = parse_args(__doc__, requests=1000, seconds=15, connections=16)

    with (
        tempfile.TemporaryDirectory() as tmp,
        target(args.graph_url, Path(tmp), raw_graph=DEFAULT_GRAPH) as bench,
    ):
        # The raw side reads the server's own graph with the engine's own client.
        store, raw = bench.store, bench.raw
        start = time.perf_counter()
        generate(store, 10_000, 5_000, 500)
        load_s = time.perf_counter() - start
        port = 18000 + os.getpid() % 1000
        env = {**bench.env, **MEASURED}
        server = serve(env, port)
        # The same service with the executor shortcuts off, on the same graph, measured in
        # the same loop as the dashboard: the shortcuts' gain, side by side.
        standard = serve({**env, "PARISCALL_GRAPHQL_SHORTCUTS": "false"}, port + 1)
        url = f"http://127.0.0.1:{port}/graphql"
        standard_url = f"http://127.0.0.1:{port + 1}/graphql"
        client = httpx.Client(timeout=30)
        for health in (port, port + 1):
            wait_healthy(health, tries=200)
        rng = random.Random(5)
        # The client's own collector must not land in either side's timings.
        gc.collect()
        gc.freeze()

        def ask(query: str, variables: dict[str, str], at: str = url) -> None:
            reply = client.post(at, json={"query": query, "variables": variables})
            body = reply.json()
            assert reply.status_code == 200 and "errors" not in body, body

        for _ in range(100):  # warm-up of both paths
            ask(POINT, {"id": f"i{rng.randrange(10_000)}"})
            ask(DASHBOARD, {"wg": "wg1"})
            ask(DASHBOARD, {"wg": "wg1"}, standard_url)
        # Each HTTP request is followed by its raw counterpart, so that both sides see the
        # same machine: on a shared machine, speed drifts between phases by more than the
        # effects measured, and separate phases would put that drift into the ratio.
        results: dict[str, list[float]] = {}
        ids = [f"i{rng.randrange(10_000)}" for _ in range(args.requests)]
        results["(a) initiative(id) via HTTP"], results["(a) raw Cypher, raw client"] = paired(
            [
                (lambda i=i: ask(POINT, {"id": i}), lambda i=i: raw.read(RAW_POINT, {"id": i}))
                for i in ids
            ]
        )

        def raw_dashboard(wg: str) -> None:
            raw.read(RAW_GROUP, {"wg": wg})
            raw.read(RAW_PAGE, {"wg": wg})

        groups = [f"wg{i % 6 + 1}" for i in range(args.requests)]
        on: list[float] = []
        off: list[float] = []
        bare: list[float] = []
        for g in groups:  # each dashboard three ways, one right after the other
            for call, into in (
                (lambda g=g: ask(DASHBOARD, {"wg": g}), on),
                (lambda g=g: ask(DASHBOARD, {"wg": g}, standard_url), off),
                (lambda g=g: raw_dashboard(g), bare),
            ):
                began = time.perf_counter()
                call()
                into.append((time.perf_counter() - began) * 1000)
        results["(b) dashboard via HTTP"] = on
        results["(b) dashboard via HTTP, shortcuts off"] = off
        results["(b) raw Cypher, raw client"] = bare

        script = Path(tmp) / "point.lua"
        query = '{ initiative(id: "i4242") { id title summary status language version } }'
        body = json.dumps({"query": query})
        script.write_text(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = [[{body}]]\n"
        )
        check = client.post(url, content=body, headers={"Content-Type": "application/json"})
        assert check.status_code == 200 and check.json()["data"]["initiative"], check.text
        wrk = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "-s",
                str(script),
                "--latency",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        server_rss = rss_mib(server.pid)
        for process in (server, standard):
            process.send_signal(signal.SIGTERM)
            process.wait(30)
        engine = bench.name

    print(f"machine: {machine()}; engine: {engine}")
    print(f"graph generated in {load_s:.1f} s; {args.requests} sequential requests per row")
    print("| measure | p50 (ms) | p99 (ms) | mean (ms) |")
    print("|---|---|---|---|")
    for name, samples in results.items():
        p50, p99, mean = summary(samples)
        print(f"| {name} | {p50:.2f} | {p99:.2f} | {mean:.2f} |")
    http_b = summary(results["(b) dashboard via HTTP"])
    raw_b = summary(results["(b) raw Cypher, raw client"])
    http_all, raw_all = results["(b) dashboard via HTTP"], results["(b) raw Cypher, raw client"]
    each = statistics.median(h / r for h, r in zip(http_all, raw_all, strict=True))
    print(
        f"dashboard ratio HTTP/raw: p50 {http_b[0] / raw_b[0]:.2f},"
        f" mean {http_b[2] / raw_b[2]:.2f}, median of the {len(raw_all)} paired ratios {each:.2f}"
    )
    off_all = results["(b) dashboard via HTTP, shortcuts off"]
    off_b = summary(off_all)
    off_each = statistics.median(h / r for h, r in zip(off_all, raw_all, strict=True))
    print(
        f"shortcuts off, dashboard ratio HTTP/raw: p50 {off_b[0] / raw_b[0]:.2f},"
        f" median of paired ratios {off_each:.2f}; on/off at p50 {http_b[0] / off_b[0]:.2f}"
    )
    rps = next(line for line in wrk.splitlines() if line.startswith("Requests/sec"))
    rate = rps.split(":")[1].strip()
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s on (a): {rate} requests/s")
    for line in wrk.splitlines():
        if line.strip().startswith(("50%", "99%")) or "Non-2xx" in line or "errors" in line:
            print("   ", line.strip())
    print(f"server RSS after the run: {server_rss:.0f} MiB")


if __name__ == "__main__":
    main()
