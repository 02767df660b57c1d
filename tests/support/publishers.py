"""Files shaped like real publishers' ones, written by the test and loaded through the
real importers: what broke pages and reports once real files were loaded.

The shapes are those of the files people import, the words are ours:

- an OSCAL catalog of a secure-development framework (4 groups, 19 practices, 42 tasks;
  each task's title is its own id, its words are in the statement) whose long title
  gives a generated source id of about 90 characters;
- the same framework as a CISO Assistant library: functions and practices with a
  reference and a name, tasks with a reference and a description but no name
  (`assessable: true`), and under each task an unnamed "Example" node with neither name
  nor ref_id (`assessable: false`), whose id comes from its URN's tail (`node5`);
- a cloud-controls framework as a CISO Assistant library of 764 requirement nodes:
  domains and sub-domains named only (`assessable: false`), controls "CCF n" with
  sub-controls beneath some of them;
- a crosswalk between the two libraries in both directions (162 pairs each way), whose
  links reach the tasks, the middle of the hierarchy, not its lowest level; its source
  id in the import history is the mapping library's URN.

`write(folder)` writes the files; `load(store, folder)` imports them in order (frameworks
first) through `importers.pipeline.run_import`, as `pariscall import` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.store import GraphStore

LIBRARY = "urn:test:risk:library"
NODE = "urn:test:risk:req_node"
SSDF = "sdf-1.1"
CCF = "ccf-3.0"
CATALOG_TITLE = (
    "Machine-Readable (OSCAL) Representation of the Secure Software Development Practices "
    "Framework: Recommendations for Reducing the Risk of Software Flaws"
)
# Practices per group, and tasks per practice: 19 practices, 42 tasks.
PRACTICES = {
    "PO": [3, 2, 2, 2, 2],
    "PS": [1, 1, 1],
    "PW": [2, 2, 2, 2, 3, 2, 3],
    "RV": [3, 3, 3, 3],
}
GROUP_NAMES = {
    "PO": "Prepare the Organisation",
    "PS": "Protect the Software",
    "PW": "Produce Well-Secured Software",
    "RV": "Respond to Vulnerabilities",
}
WORDS = [
    "document", "review", "supplier", "build", "pipeline", "signing", "provenance",
    "inventory", "component", "dependency", "release", "archive", "training", "role",
    "policy", "toolchain", "secret", "credential", "vulnerability", "report", "triage",
    "fix", "advisory", "customer", "threat", "model", "design", "test", "code",
]  # fmt: skip
MAPPING_PAIRS = 162
CCF_DOMAINS = 16
CCF_CONTROLS = 360
CCF_SUBCONTROLS = 375


@dataclass(frozen=True)
class Files:
    catalog: Path  # OSCAL catalog: its source id is generated from the long title
    ssdf: Path  # CISO Assistant library with "Example" nodes
    ccf: Path  # CISO Assistant library of 764 nodes
    mapping: Path  # CISO Assistant crosswalk CCF <-> SSDF

    @property
    def in_order(self) -> list[Path]:
        """The order they import in: frameworks before the crosswalk between them."""
        return [self.catalog, self.ssdf, self.ccf, self.mapping]


def _words(seed: int, n: int) -> str:
    return " ".join(WORDS[(seed * 7 + k * 3) % len(WORDS)] for k in range(n))


def tasks() -> list[tuple[str, str, str]]:
    """(group, practice ref, task ref) of the 42 tasks, in the publisher's order."""
    out = []
    for group, counts in PRACTICES.items():
        for p, n in enumerate(counts, start=1):
            out += [(group, f"{group}.{p}", f"{group}.{p}.{t}") for t in range(1, n + 1)]
    return out


def task_text(ref: str, seed: int) -> str:
    return (
        f"Identify, document and keep current how the organisation handles {_words(seed, 6)}, "
        f"so that every release can show it ({ref})."
    )


def catalog(path: Path) -> Path:
    """The framework as an OSCAL catalog: groups > practices > tasks."""
    groups = []
    seed = 0
    for group, counts in PRACTICES.items():
        practices = []
        for p, n in enumerate(counts, start=1):
            ref = f"{group}.{p}"
            controls = []
            for t in range(1, n + 1):
                seed += 1
                task = f"{ref}.{t}"
                prose = task_text(task, seed)
                controls.append(
                    {"id": task, "class": "task", "title": task,
                     "parts": [{"id": f"statement_{task}", "name": "statement", "prose": prose}]}
                )  # fmt: skip
            practices.append(
                {"id": ref, "class": "practice", "title": f"Practice {ref}: {_words(p, 4)}",
                 "parts": [{"id": f"statement_{ref}", "name": "statement",
                            "prose": f"Make sure {_words(p + 3, 8)} is handled."}],
                 "controls": controls}
            )  # fmt: skip
        groups.append(
            {"id": group, "class": "group", "title": GROUP_NAMES[group],
             "parts": [{"id": f"overview_{group}", "name": "overview",
                        "prose": f"Organisations should {_words(len(group), 10)}."}],
             "controls": practices}
        )  # fmt: skip
    party = "3f1c2a9e-5b7d-4c8e-9a0b-1c2d3e4f5a6b"
    document = {
        "catalog": {
            "uuid": "6d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
            "metadata": {
                "title": CATALOG_TITLE,
                "last-modified": "2026-01-01T00:00:00Z",
                "version": "1.1.0",
                "oscal-version": "1.1.2",
                "parties": [{"uuid": party, "type": "organization", "name": "Test Institute"}],
                "responsible-parties": [{"role-id": "publisher", "party-uuids": [party]}],
            },
            "groups": groups,
        }
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _library(urn: str, ref_id: str, name: str, provider: str, nodes: list[dict[str, Any]]) -> dict:
    return {
        "urn": f"{LIBRARY}:{urn}",
        "locale": "en",
        "ref_id": ref_id,
        "name": name,
        "description": f"{name}, as a library of requirement nodes.",
        "copyright": "Test material",
        "version": 1,
        "publication_date": "2025-05-02",
        "provider": provider,
        "packager": "test",
        "objects": {
            "framework": {
                "urn": f"urn:test:risk:framework:{urn}",
                "ref_id": ref_id,
                "name": name,
                "requirement_nodes": nodes,
            }
        },
    }


def ssdf_library(path: Path) -> Path:
    """The framework as a CISO Assistant library, with an unnamed Example node per task."""
    nodes: list[dict[str, Any]] = []
    counter = 0

    def urn(local: str) -> str:
        return f"{NODE}:{SSDF}:{local}"

    seen: set[str] = set()
    for n, (group, practice, task) in enumerate(tasks(), start=1):
        if group not in seen:
            seen.add(group)
            nodes.append(
                {"urn": urn(group.lower()), "assessable": False, "depth": 1, "ref_id": group,
                 "name": GROUP_NAMES[group],
                 "description": f"Organisations should {_words(len(group), 10)}."}
            )  # fmt: skip
        if practice not in seen:
            seen.add(practice)
            nodes.append(
                {"urn": urn(practice.lower()), "assessable": False, "depth": 2,
                 "parent_urn": urn(group.lower()), "ref_id": practice,
                 "name": f"Practice {practice}: {_words(n, 4)}",
                 "description": f"Make sure {_words(n + 3, 8)} is handled."}
            )  # fmt: skip
        counter += 2
        nodes.append(
            {"urn": urn(task.lower()), "assessable": True, "depth": 3,
             "parent_urn": urn(practice.lower()), "ref_id": task, "description": task_text(task, n)}
        )  # fmt: skip
        examples = "\n".join(
            f"Example {k}: {_words(n + k, 9).capitalize()} for every project." for k in (1, 2, 3)
        )
        nodes.append(
            {"urn": urn(f"node{counter + 3}"), "assessable": False, "depth": 4,
             "parent_urn": urn(task.lower()), "description": examples}
        )  # fmt: skip
    library = _library(
        SSDF, SSDF, "Secure Development Practices Framework (library)", "Test Institute", nodes
    )
    path.write_text(yaml.safe_dump(library, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def ccf_controls() -> list[str]:
    """The CCF control URNs the crosswalk links, in order: 61 controls."""
    return [f"{NODE}:{CCF}:ccf-{n}" for n in range(1, CCF_CONTROLS + 1, 5)][:61]


def ccf_library(path: Path) -> Path:
    """764 requirement nodes: 16 domains named only (not assessable), 360 controls beneath
    the first 14; the last two domains hold 13 areas (named only, URNs ending in `:1`,
    `:2`… so that two areas' URN tails collide) with 375 more controls beneath them."""
    nodes: list[dict[str, Any]] = []
    domains = [f"{NODE}:{CCF}:domain-{d}" for d in range(1, CCF_DOMAINS + 1)]
    for d, urn in enumerate(domains, start=1):
        name = f"Domain {d}: {_words(d, 2).title()}"
        nodes.append({"urn": urn, "assessable": False, "depth": 1, "name": name})
    areas = [f"{domains[-2]}:{a}" for a in range(1, 8)]
    areas += [f"{domains[-1]}:{a}" for a in range(1, 7)]
    for a, urn in enumerate(areas, start=1):
        nodes.append(
            {"urn": urn, "assessable": False, "depth": 2, "parent_urn": urn.rsplit(":", 1)[0],
             "name": f"Area {a}: {_words(a + 5, 2).title()}"}
        )  # fmt: skip

    def control(c: int, parent: str, depth: int) -> dict[str, Any]:
        return {
            "urn": f"{NODE}:{CCF}:ccf-{c}", "assessable": True, "depth": depth,
            "parent_urn": parent, "ref_id": f"CCF {c}",
            "name": f"Control {c}: {_words(c, 3).title()}",
            "description": f"At least every quarter, {_words(c, 7)} are reviewed:\n"
                           f"\u2022 {_words(c + 1, 3)}\n\u2022 {_words(c + 2, 3)}",
        }  # fmt: skip

    nodes += [control(c, domains[c % (CCF_DOMAINS - 2)], 2) for c in range(1, CCF_CONTROLS + 1)]
    nodes += [
        control(CCF_CONTROLS + k, areas[k % len(areas)], 3) for k in range(1, CCF_SUBCONTROLS + 1)
    ]
    assert len(nodes) == 764, len(nodes)
    library = _library(CCF, CCF, "Cloud Service Controls Framework v3.0", "Test Systems", nodes)
    path.write_text(yaml.safe_dump(library, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def pairs() -> list[tuple[str, str]]:
    """(CCF control URN, SSDF task URN): 162 pairs over 61 controls and all 42 tasks."""
    controls = ccf_controls()
    targets = [f"{NODE}:{SSDF}:{task.lower()}" for _, _, task in tasks()]
    out: list[tuple[str, str]] = []
    k = 0
    while len(out) < MAPPING_PAIRS:
        pair = (controls[k % len(controls)], targets[(k * 5) % len(targets)])
        if pair not in out:
            out.append(pair)
        k += 1
    return out


def mapping(path: Path) -> Path:
    """The crosswalk CCF -> SSDF and its reverse set, as CISO Assistant publishes them."""
    found = pairs()

    def mapping_set(suffix: str, source: str, target: str, rows: list[tuple[str, str]]) -> dict:
        return {
            "urn": f"urn:test:risk:req_mapping_set:mapping-{CCF}-and-{SSDF}{suffix}",
            "ref_id": f"mapping-{CCF}-and-{SSDF}{suffix}",
            "name": f"{CCF} <-> {SSDF}",
            "source_framework_urn": f"urn:test:risk:framework:{source}",
            "target_framework_urn": f"urn:test:risk:framework:{target}",
            "requirement_mappings": [
                {"source_requirement_urn": a, "target_requirement_urn": b,
                 "relationship": "intersect"}
                for a, b in rows
            ],
        }  # fmt: skip

    library = {
        "urn": f"{LIBRARY}:mapping-{CCF}-and-{SSDF}",
        "locale": "en",
        "ref_id": f"mapping-{CCF}-and-{SSDF}",
        "name": f"{CCF} <-> {SSDF}",
        "description": "Mapping between the cloud controls and the development practices",
        "version": 2,
        "publication_date": "2025-07-02",
        "provider": "Test Systems",
        "packager": "test",
        "dependencies": [f"{LIBRARY}:{CCF}", f"{LIBRARY}:{SSDF}"],
        "objects": {
            "requirement_mapping_sets": [
                mapping_set("", CCF, SSDF, found),
                mapping_set("-revert", SSDF, CCF, [(b, a) for a, b in found]),
            ]
        },
    }
    path.write_text(yaml.safe_dump(library, sort_keys=False), encoding="utf-8")
    return path


def write(folder: Path) -> Files:
    """Write the four files into `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Files(
        catalog=catalog(folder / "development-practices-catalog.json"),
        ssdf=ssdf_library(folder / f"library-{SSDF}.yaml"),
        ccf=ccf_library(folder / f"library-{CCF}.yaml"),
        mapping=mapping(folder / f"mapping-{CCF}-and-{SSDF}.yaml"),
    )


def load(store: GraphStore, folder: Path, *, actor: str = "Loader") -> Files:
    """Write the files and import them, frameworks first, as `pariscall import` would."""
    from importers.pipeline import run_import

    files = write(folder)
    for path in files.in_order:
        run_import(store, path, actor=actor)
    return files


if __name__ == "__main__":  # python -m tests.support.publishers DIR: write them, print paths
    import sys

    print(" ".join(str(path) for path in write(Path(sys.argv[1])).in_order))
