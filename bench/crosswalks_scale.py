"""Crosswalk inference at scale: 10 frameworks, 10,000 requirements, 30,000 published pairs.

Generates the frameworks (requirements written from word lists, each about one of 1,500
subjects) and fifteen published crosswalks (framework 0 is a hub mapped to every other,
six more pairs are mapped directly; a pair joins requirements on one subject or a close
one), then times, each in a fresh process with its peak memory:
- cold: `refresh` of the recommendations as the product runs it (embedding included);
- warm: the same again, nothing changed;
- incremental: after importing one more crosswalk (between frameworks 7 and 8);
- two-step paths for every pair of sources, computed by the engine in one set-based
  Cypher statement, against one read of the evidence and sparse products in Python.
Usage: python -m bench.crosswalks_scale [--frameworks 10] [--per 1000] [--links 30000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import add_child_argument, answered_child, in_child, machine
from bench.duplicates_scale import ACTIONS, AUDIENCES, GOALS, OBJECTS

GRAPH = "xwalk_scale"
SUBJECTS = 1500


def _text(subject: int, rng: random.Random) -> tuple[str, str]:
    action, thing = ACTIONS[subject % len(ACTIONS)][0], OBJECTS[subject % len(OBJECTS)][0]
    audience = AUDIENCES[(subject // 7) % len(AUDIENCES)][0]
    goal = GOALS[rng.randrange(len(GOALS))][0]
    return f"{action} {thing}", f"Organisations {action.lower()} {thing} for {audience} {goal}."


def generate(frameworks: int, per: int, links: int, seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    records, subject_of = [], {}
    for f in range(frameworks):
        for n in range(per):
            subject = rng.randrange(SUBJECTS)
            title, text = _text(subject, rng)
            rid = f"fw{f}:r{n}"
            subject_of[rid] = subject
            records.append({"id": rid, "source": f"fw{f}", "ref": f"R{n}", "title": title,
                            "text": text})  # fmt: skip
    pairs = [(0, f) for f in range(1, frameworks)]
    pairs += [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (7, 8)]
    by_subject: dict[tuple[int, int], list[str]] = {}
    for rid, subject in subject_of.items():
        by_subject.setdefault((int(rid[2 : rid.index(":")]), subject), []).append(rid)
    crosswalks: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
    each = links // len(pairs)
    for a, b in pairs:
        found: set[tuple[str, str]] = set()
        while len(found) < each:
            x = f"fw{a}:r{rng.randrange(per)}"
            near = subject_of[x] + rng.choice((0, 0, 0, 1, -1))
            targets = by_subject.get((b, near % SUBJECTS)) or [f"fw{b}:r{rng.randrange(per)}"]
            found.add((x, rng.choice(targets)))
        relation = ("intersects_with", "subset_of", "equal")
        crosswalks[(a, b)] = [(x, y, rng.choice(relation)) for x, y in sorted(found)]
    return {"records": records, "crosswalks": crosswalks}


def load(data_dir: Path, data: dict[str, Any]) -> None:
    """Sources, requirements and every crosswalk but 7 ↔ 8 (not timed)."""
    from graph.connect import GraphConfig, open_store
    from graph.nodes import repository as nodes
    from schema.models import Recommendation, Source

    store = open_store(GraphConfig(url=None, data_dir=data_dir), graph=GRAPH)
    store.clear()
    store.apply_schema()
    sources = sorted({r["source"] for r in data["records"]})
    nodes.save(store, [Source(id=s, title=f"Framework {s}", publisher="bench") for s in sources],
               model=Source)  # fmt: skip
    nodes.save(
        store,
        (Recommendation(id=r["id"], source_id=r["source"], ref=r["ref"], title=r["title"],
                        text=r["text"], language="en") for r in data["records"]),
        model=Recommendation,
    )  # fmt: skip
    for pair, rows in data["crosswalks"].items():
        if pair != (7, 8):
            publish(store, rows)
    store.close()


def publish(store: Any, rows: list[tuple[str, str, str]]) -> None:
    from graph.audit import UnitOfWork
    from graph.mappings import repository as mapping_repo

    mapping_repo.publish(
        UnitOfWork.system(store, "bench"),
        [{"from_id": a, "to_id": b, "props": {"relation": r, "method": "human",
          "rationale": "semantic", "mapping": "bench"}} for a, b, r in rows],
    )  # fmt: skip


def child(data_dir: Path, what: str) -> dict[str, Any]:
    """One measurement in this process: `refresh` or `paths`."""
    from analysis import crosswalk_paths as paths
    from analysis.duplicates import refresh
    from graph.analysis import repository as repo
    from graph.audit import UnitOfWork
    from graph.connect import GraphConfig, open_store
    from graph.crosswalk_evidence import repository as evidence_repo
    from schema.enums import CandidateKind

    store = open_store(GraphConfig(url=None, data_dir=data_dir), graph=GRAPH)
    out: dict[str, Any] = {}
    began = time.perf_counter()
    if what == "refresh":
        report = refresh(UnitOfWork.system(store, "bench"), CandidateKind.RECOMMENDATION)
        out = {"embedded": report.embedded, "compared": report.compared,
               "shown": report.candidates, "stored": report.stored,
               "unchanged": report.unchanged, "stages": report.timings}  # fmt: skip
    else:
        rows = evidence_repo.two_step_paths(store)
        out["cypher_seconds"] = round(time.perf_counter() - began, 2)
        out["cypher_pairs"] = len(rows)
        began = time.perf_counter()
        records = repo.records(store, "recommendation")
        evidence = paths.build(records, evidence_repo.evidence(store))
        count = 0
        for s in range(len(evidence.sources)):
            for t in range(s + 1, len(evidence.sources)):
                found = paths.between(evidence, evidence.members(s), evidence.members(t))
                count += found.two.nnz
        out["python_pairs"] = count
    out["seconds"] = round(time.perf_counter() - began, 2)
    # CPU seconds (this process and its embedding workers): what the run costs whatever
    # else the machine is doing, which wall time under contention does not say
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    out["cpu_seconds"] = round(own.ru_utime + own.ru_stime, 1)
    out["worker_cpu_seconds"] = round(workers.ru_utime + workers.ru_stime, 1)
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    store.close()
    return out


def _run(data_dir: Path, what: str) -> dict[str, Any]:
    return in_child("bench.crosswalks_scale", data_dir, what)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frameworks", type=int, default=10)
    parser.add_argument("--per", type=int, default=1000)
    parser.add_argument("--links", type=int, default=30_000)
    add_child_argument(parser)
    args = parser.parse_args()
    if answered_child(args, child):
        return
    print(machine())
    data = generate(args.frameworks, args.per, args.links)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-xwalk-"))
    load(data_dir, data)
    total = sum(len(v) for k, v in data["crosswalks"].items() if k != (7, 8))
    print(f"{len(data['records'])} requirements, {total} published pairs loaded")
    for label in ("cold", "warm"):
        print(label, json.dumps(_run(data_dir, "refresh")))
    from graph.connect import GraphConfig, open_store

    store = open_store(GraphConfig(url=None, data_dir=data_dir), graph=GRAPH)
    publish(store, data["crosswalks"][(7, 8)])
    store.close()
    print("incremental (fw7 ↔ fw8 imported)", json.dumps(_run(data_dir, "refresh")))
    print("two-step paths", json.dumps(_run(data_dir, "paths")))


if __name__ == "__main__":
    main()
