"""Crosswalk suggestions measured against a published crosswalk (Cisco CCF v3.0 → NIST SSDF).

Imports the two frameworks (CISO Assistant libraries) into a fresh embedded graph, runs
the recommendation analysis as the product does, and compares its suggestions between
the two sources with the pairs the publisher mapped (any relation counts as a pair).
The datasets are test input kept beside the project (../shared/datasets), never copied
into it; give another folder with --datasets.
Usage: python -m bench.calibrate_crosswalks [--datasets DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml

from analysis import decisions
from analysis.duplicates import refresh
from bench.common import machine
from graph.connect import GraphConfig, open_store
from graph.repositories import mappings as mapping_repo
from importers.pipeline import run_import
from schema.enums import CandidateKind, DecisionStatus

FILES = (
    "ciso-assistant-cisco-ccf-v3.0.yaml",
    "ciso-assistant-nist-ssdf-1.1.yaml",
)
MAPPING = "ciso-assistant-mapping-cisco-ccf-v3.0-and-nist-ssdf-1.1.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    args = parser.parse_args()
    print(machine())
    store = open_store(GraphConfig(url=None, data_dir=Path(tempfile.mkdtemp())), graph="xwalk")
    store.apply_schema()
    for name in FILES:
        report = run_import(store, args.datasets / name)
        print(f"{name}: {report.counts()['created']} recommendations")
    data = yaml.safe_load((args.datasets / MAPPING).read_text(encoding="utf-8"))
    pairs = data["objects"]["requirement_mapping_sets"][0]["requirement_mappings"]
    urns = [p[k] for p in pairs for k in ("source_requirement_urn", "target_requirement_urn")]
    ids = mapping_repo.ids_by_urn(store, urns)
    truth = {
        frozenset((ids[p["source_requirement_urn"]], ids[p["target_requirement_urn"]]))
        for p in pairs
    }
    print(f"{len(truth)} published pairs")
    refresh(store, CandidateKind.RECOMMENDATION)
    found = decisions.list_candidates(
        store, CandidateKind.RECOMMENDATION, statuses=[DecisionStatus.CANDIDATE],
        min_score=0.0, limit=1_000_000,
    )  # fmt: skip
    sources = {s.split(":")[0] for pair in truth for s in pair}
    between = [c for c in found if {c.a.split(":")[0], c.b.split(":")[0]} == sources]
    reached = {frozenset((c.a, c.b)) for c in between}
    print(f"{len(between)} suggestions between the two sources; "
          f"{len(reached & truth)} of the published pairs reached scoring")  # fmt: skip
    print("| threshold | suggested | published among them | precision | recall |")
    print("|---|---|---|---|---|")
    for step in range(20, 81, 5):
        threshold = step / 100
        chosen = {frozenset((c.a, c.b)) for c in between if (c.score or 0.0) >= threshold}
        hits = len(chosen & truth)
        precision = hits / len(chosen) if chosen else 1.0
        print(f"| {threshold:.2f} | {len(chosen)} | {hits} | {precision:.2f} | "
              f"{hits / len(truth):.2f} |")  # fmt: skip
    store.close()


if __name__ == "__main__":
    main()
