"""Our GraphQL API against the Neo4j GraphQL Library (@neo4j/graphql 7, served by the
minimal Node server in bench/neo4j_graphql), on the same Neo4j server, the same
registry (6 working groups, 500 signatories, 10,000 initiatives) and the same
working-group dashboard query over HTTP, in one run.

Neo4j Community 5.26 runs from tests/neo4j_launcher with APOC core in its plugins (the
library's documented requirement). Sequential requests alternate ours and theirs, so
drift in the machine's speed lands on both; then wrk measures each one's requests/s.
Usage: python -m bench.graphql_library [--requests 500] [--seconds 10]
(after `npm ci --prefix bench/neo4j_graphql` and the launcher's `mvn package`).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.api_http import DASHBOARD, generate
from bench.common import MEASURED, machine, paired, serve, summary
from bench.targets import target
from bench.workers import wrk
from tests.neo4j_server import launched

HERE = Path(__file__).resolve().parent / "neo4j_graphql"
# The newest APOC core of the 5.26 line, and the common classes it is built on.
APOC = ("org.neo4j.procedure:apoc-core:5.26.19", "org.neo4j.procedure:apoc-common:5.26.19")

THEIRS = """query($wg: ID!) {
  workingGroups(where: {id: {eq: $wg}}) {
    id name
    membersConnection { edges { properties { role } node { id name kind country } } }
  }
  initiatives(where: {workingGroups: {some: {id: {eq: $wg}}}}, limit: 50,
              sort: [{title: ASC}]) {
    id title status language
    topics { id name_en name_fr }
    contributorsConnection { edges { properties { role } node { id name } } }
  }
}"""


def apoc(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for artifact in APOC:
        subprocess.run(
            ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={artifact}",
             f"-DoutputDirectory={folder}"],
            check=True,
        )  # fmt: skip
    return folder


def wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"{url} exited")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with (
            launched(plugins=apoc(folder / "plugins"), fast_start=False) as server,
            target(server.uri, folder) as bench,
        ):
            store = bench.store
            assert store.read("RETURN apoc.version() AS v")[0]["v"].startswith("5.26")
            generate(store, 10_000, 5_000, 500)
            store.apply_schema()  # as `pariscall serve` does at start-up: fresh statistics
            ours_port, theirs_port = 18100 + os.getpid() % 500, 18700 + os.getpid() % 500
            ours = serve({**bench.env, **MEASURED}, ours_port)
            theirs = subprocess.Popen(
                ["node", str(HERE / "server.mjs"), str(theirs_port), server.uri],
                cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                ours_url = f"http://127.0.0.1:{ours_port}/graphql"
                theirs_url = f"http://127.0.0.1:{theirs_port}/graphql"
                wait(f"http://127.0.0.1:{ours_port}/health", ours)
                wait(theirs_url, theirs)
                client = httpx.Client(timeout=60)

                def ask(url: str, query: str, wg: str) -> dict[str, object]:
                    body = client.post(url, json={"query": query, "variables": {"wg": wg}})
                    data = body.json()
                    assert body.status_code == 200 and "errors" not in data, data
                    return dict(data["data"])

                # The same data from both: the group's members and its first 50 initiatives.
                a, b = ask(ours_url, DASHBOARD, "wg1"), ask(theirs_url, THEIRS, "wg1")
                ours_ids = [e["node"]["id"] for e in a["initiatives"]["edges"]]  # type: ignore[index]
                theirs_ids = [n["id"] for n in b["initiatives"]]  # type: ignore[attr-defined]
                assert ours_ids == theirs_ids, (ours_ids[:5], theirs_ids[:5])
                for _ in range(100):  # warm-up
                    ask(ours_url, DASHBOARD, "wg2")
                    ask(theirs_url, THEIRS, "wg2")
                groups = [f"wg{i % 6 + 1}" for i in range(args.requests)]
                ours_ms, theirs_ms = paired(
                    [
                        (lambda g=g: ask(ours_url, DASHBOARD, g),
                         lambda g=g: ask(theirs_url, THEIRS, g))
                        for g in groups
                    ]
                )  # fmt: skip
                rates = {}
                for name, url, query in (("ours", ours_url, DASHBOARD),
                                         ("theirs", theirs_url, THEIRS)):  # fmt: skip
                    lua = folder / f"{name}.lua"
                    body = json.dumps({"query": query, "variables": {"wg": "wg1"}})
                    lua.write_text(
                        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                        f"wrk.body = [[{body}]]\n"
                    )
                    rates[name] = wrk(url, lua, args.seconds, args.connections)
            finally:
                for proc in (ours, theirs):
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)
    o, t = summary(ours_ms), summary(theirs_ms)
    print(f"machine: {machine()}")
    print(f"Neo4j 5.26 Community (launcher, APOC core), {args.requests} paired dashboards")
    print("| server | p50 (ms) | p99 (ms) | mean (ms) | wrk requests/s | wrk p50 | wrk p99 |")
    print("|---|---|---|---|---|---|---|")
    for name, (p50, p99, mean) in (("ours (pariscall serve)", o), ("@neo4j/graphql 7.6.3", t)):
        r = rates["ours" if name.startswith("ours") else "theirs"]
        print(
            f"| {name} | {p50:.2f} | {p99:.2f} | {mean:.2f} | {r['rps']} | {r.get('50%')} "
            f"| {r.get('99%')} |"
        )
    print(f"ours/theirs: p50 {o[0] / t[0]:.2f}, p99 {o[1] / t[1]:.2f}")


if __name__ == "__main__":
    main()
