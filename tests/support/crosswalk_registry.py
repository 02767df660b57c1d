"""Small frameworks and published crosswalks, written as CISO Assistant libraries.

Three frameworks in the shape of NIST CSF, the NIS2 annex and ISO 27001's Annex A, the
first two each mapped to the third by a published crosswalk (so ISO is the hub), and two
more mapped to nothing (where only text speaks). Requirements are written for these tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.store import GraphStore
from importers.pipeline import run_import

HUB = [
    ("a.5.19", "A.5.19", "Information security in supplier relationships",
     "Processes to manage the information security risks of using suppliers' products or "
     "services."),
    ("a.5.21", "A.5.21", "Managing information security in the ICT supply chain",
     "Processes to manage the risks associated with the ICT products and services supply chain."),
    ("a.8.8", "A.8.8", "Management of technical vulnerabilities",
     "Information about technical vulnerabilities shall be obtained and exposure evaluated."),
    ("a.5.24", "A.5.24", "Incident management planning and preparation",
     "Plan and prepare for managing information security incidents."),
    ("a.8.13", "A.8.13", "Information backup",
     "Backup copies of information and software shall be maintained and tested."),
]  # fmt: skip
CSF = [
    ("gv.sc-05", "GV.SC-05", None,
     "Requirements to address cybersecurity risks in supply chains are established, "
     "prioritized, and integrated into contracts with suppliers."),
    ("id.ra-01", "ID.RA-01", None,
     "Vulnerabilities in assets are identified, validated, and recorded."),
    ("rs.ma-01", "RS.MA-01", None,
     "The incident response plan is executed in coordination with relevant third parties."),
    ("pr.ds-11", "PR.DS-11", None,
     "Backups of data are created, protected, maintained, and tested."),
]  # fmt: skip
NIS2 = [
    ("5", "5", "Supply chain security", None),
    ("5.1.1", "5.1.1", None,
     "establish a supply chain security policy which governs the relations with direct "
     "suppliers and service providers"),
    ("6.10.1", "6.10.1", "Vulnerability handling",
     "obtain information about technical vulnerabilities in their systems, evaluate their "
     "exposure and take appropriate measures"),
    ("3.1", "3.1", "Incident handling policy",
     "establish and implement an incident handling policy laying down roles and procedures"),
    ("12.2", "12.2", "Backup and redundancy management",
     "maintain backup copies of data and ensure the availability of sufficient resources"),
]  # fmt: skip
OECD = [
    ("t1", "T1", "Software bills of materials",
     "Governments should encourage suppliers to provide a software bill of materials."),
    ("t2", "T2", "Coordinated disclosure",
     "Vendors should operate a coordinated vulnerability disclosure process."),
]  # fmt: skip
CRA = [
    ("i.1", "I.1", "Software bill of materials",
     "Manufacturers shall draw up a software bill of materials of the product's components."),
    ("i.2", "I.2", "Vulnerability disclosure policy",
     "Manufacturers shall put in place and enforce a policy on coordinated vulnerability "
     "disclosure."),
]  # fmt: skip
# Each hub requirement, with the (ref, relationship) mapped to it by each published
# crosswalk: CSF's, then NIS2's.
TO_HUB = [
    ("a.5.19", ("gv.sc-05", "subset"), ("5.1.1", "subset")),
    ("a.5.21", ("gv.sc-05", "intersect"), ("5.1.1", "intersect")),
    ("a.8.8", ("id.ra-01", "equal"), ("6.10.1", "subset")),
    ("a.5.24", ("rs.ma-01", "intersect"), ("3.1", "intersect")),
    ("a.8.13", ("pr.ds-11", "subset"), ("12.2", "intersect")),
]
# (source ref, target ref, relationship) of each published crosswalk, source → hub.
CSF_TO_HUB = [(csf, hub, relation) for hub, (csf, relation), _ in TO_HUB]
NIS2_TO_HUB = [(nis2, hub, relation) for hub, _, (nis2, relation) in TO_HUB]
FRAMEWORKS = {"hub": HUB, "csf": CSF, "nis2": NIS2, "oecd": OECD, "cra": CRA}
NAMES = {
    "hub": "Information security controls (test)",
    "csf": "Cybersecurity outcomes (test)",
    "nis2": "Technical measures annex (test)",
    "oecd": "Supply-chain themes (test)",
    "cra": "Product essential requirements (test)",
}


def urn(framework: str, ref: str) -> str:
    return f"urn:test:risk:req_node:{framework}-mini:{ref}"


def framework(folder: Path, name: str) -> Path:
    nodes: list[dict[str, Any]] = []
    for local, ref, title, text in FRAMEWORKS[name]:
        node: dict[str, Any] = {"urn": urn(name, local), "ref_id": ref}
        if title:
            node["name"] = title
        if text:
            node["description"] = text
        if name == "nis2" and local.startswith("5."):
            node["parent_urn"] = urn(name, "5")
        nodes.append(node)
    library = {
        "urn": f"urn:test:risk:library:{name}-mini", "locale": "en", "ref_id": f"{name}-mini",
        "name": NAMES[name], "provider": "Test publisher", "version": 1,
        "objects": {"framework": {
            "urn": f"urn:test:risk:framework:{name}-mini", "ref_id": f"{name}-mini",
            "name": NAMES[name], "requirement_nodes": nodes,
        }},
    }  # fmt: skip
    path = folder / f"{name}-mini.yaml"
    path.write_text(yaml.safe_dump(library), encoding="utf-8")
    return path


def crosswalk(folder: Path, source: str, target: str, pairs: list[tuple[str, str, str]]) -> Path:
    mappings = [
        {"source_requirement_urn": urn(source, a), "target_requirement_urn": urn(target, b),
         "relationship": relation}
        for a, b, relation in pairs
    ]  # fmt: skip
    library = {
        "urn": f"urn:test:risk:library:mapping-{source}-{target}", "locale": "en",
        "ref_id": f"mapping-{source}-{target}", "name": f"{source} -> {target}",
        "provider": "Test publisher", "version": 1,
        "objects": {"requirement_mapping_sets": [{
            "urn": f"urn:test:risk:req_mapping_set:{source}-{target}",
            "ref_id": f"{source}-{target}",
            "source_framework_urn": f"urn:test:risk:framework:{source}-mini",
            "target_framework_urn": f"urn:test:risk:framework:{target}-mini",
            "requirement_mappings": mappings,
        }]},
    }  # fmt: skip
    path = folder / f"mapping-{source}-{target}.yaml"
    path.write_text(yaml.safe_dump(library), encoding="utf-8")
    return path


def load(store: GraphStore, folder: Path, *, crosswalks: bool = True) -> None:
    """Import the five frameworks, then (unless told not to) the two published crosswalks."""
    for name in FRAMEWORKS:
        run_import(store, framework(folder, name))
    if crosswalks:
        run_import(store, crosswalk(folder, "csf", "hub", CSF_TO_HUB))
        run_import(store, crosswalk(folder, "nis2", "hub", NIS2_TO_HUB))
