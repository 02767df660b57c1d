"""Duplicate analysis at 1k, 10k and 100k initiatives: cold run (every text embedded),
warm run (nothing changed), peak memory, and how time grows with the registry.

Initiatives are generated from bilingual templates with the length of the demo data
(title and a two-sentence summary, 30 words on average), each linked to one or two
topics and a contributor; 3% are French translations of an English initiative (true
duplicates). Each size runs in its own graph on the embedded engine and in a fresh
process, so the peak RSS reported is that of one analysis.
Usage: python -m bench.duplicates_scale [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import add_child_argument, answered_child, in_child, machine

ACTIONS = [
    ("Pilot of", "Expérimentation de"), ("Guidelines on", "Lignes directrices sur"),
    ("Training on", "Formation sur"), ("Certification scheme for", "Schéma de certification pour"),
    ("Shared register of", "Registre partagé de"), ("Fund for", "Fonds pour"),
    ("Audit programme on", "Programme d'audit sur"), ("Template for", "Modèle pour"),
    ("Crisis exercise on", "Exercice de crise sur"), ("Label for", "Label pour"),
    ("Observatory of", "Observatoire de"), ("Charter on", "Charte sur"),
    ("Toolkit for", "Boîte à outils pour"), ("Survey of", "Enquête sur"),
    ("Helpdesk for", "Service d'assistance pour"),
    ("Maturity model for", "Modèle de maturité pour"),
]  # fmt: skip
OBJECTS = [
    ("software bills of materials", "nomenclatures logicielles"),
    ("coordinated vulnerability disclosure", "divulgation coordonnée des vulnérabilités"),
    ("signed security updates", "mises à jour de sécurité signées"),
    ("supplier security questionnaires", "questionnaires de sécurité des fournisseurs"),
    ("cloud contract clauses", "clauses des contrats cloud"),
    ("default passwords in devices", "mots de passe par défaut des objets"),
    ("incident notification by suppliers", "notification d'incidents par les fournisseurs"),
    ("open-source maintainers", "mainteneurs de logiciels libres"),
    ("secure coding practices", "pratiques de développement sécurisé"),
    ("threat intelligence sharing", "partage de renseignement sur les menaces"),
    ("critical ICT suppliers", "fournisseurs critiques du numérique"),
    ("security support periods", "durées de support de sécurité"),
    ("penetration testing of products", "tests d'intrusion des produits"),
    ("identity and access management", "gestion des identités et des accès"),
    ("backup and recovery plans", "plans de sauvegarde et de reprise"),
    ("firmware integrity checks", "contrôles d'intégrité des micrologiciels"),
    ("procurement security requirements", "exigences de sécurité dans les achats"),
    ("cyber insurance conditions", "conditions d'assurance cyber"),
]
AUDIENCES = [
    ("industrial buyers", "acheteurs industriels"), ("municipalities", "communes"),
    ("hospitals", "hôpitaux"), ("small businesses", "petites entreprises"),
    ("energy operators", "opérateurs de l'énergie"), ("universities", "universités"),
    ("ministries", "ministères"), ("telecom operators", "opérateurs télécoms"),
    ("banks", "banques"), ("device manufacturers", "fabricants d'objets connectés"),
    ("software vendors", "éditeurs de logiciels"), ("water utilities", "services des eaux"),
    ("transport companies", "entreprises de transport"), ("schools", "écoles"),
]  # fmt: skip
PLACES = [
    ("in Europe", "en Europe"), ("in West Africa", "en Afrique de l'Ouest"),
    ("in the Mediterranean", "en Méditerranée"), ("in Latin America", "en Amérique latine"),
    ("in South-East Asia", "en Asie du Sud-Est"), ("across the Pacific", "dans le Pacifique"),
    ("in France", "en France"), ("in Morocco", "au Maroc"), ("in Canada", "au Canada"),
    ("in Japan", "au Japon"),
]  # fmt: skip
GOALS = [
    ("so that each supplier answers once", "pour que chaque fournisseur ne réponde qu'une fois"),
    ("to cut the time to fix flaws", "pour réduire le délai de correction des failles"),
    ("to give buyers comparable evidence", "pour donner aux acheteurs des preuves comparables"),
    ("to raise the baseline of the sector", "pour relever le niveau de base du secteur"),
    ("with results published every year", "avec des résultats publiés chaque année"),
    ("at low cost for participants", "à faible coût pour les participants"),
]
TOPICS = [
    "sbom", "vulnerability-disclosure", "secure-development", "supplier-risk", "certification",
    "secure-updates", "open-source-security", "procurement", "awareness-training",
    "incident-response", "information-sharing", "critical-infrastructure", "iot-security",
    "cloud-security", "standards-harmonisation",
]  # fmt: skip


def text(lang: int, a: int, o: int, u: int, p: int, g: int) -> tuple[str, str]:
    title = f"{ACTIONS[a][lang]} {OBJECTS[o][lang]} ({AUDIENCES[u][lang]}, {PLACES[p][lang]})"
    if lang == 0:
        summary = (
            f"Participants work on {OBJECTS[o][0]} with {AUDIENCES[u][0]} {PLACES[p][0]}. "
            f"The initiative runs as a {ACTIONS[a][0].lower().split()[0]} effort {GOALS[g][0]}."
        )
    else:
        summary = (
            f"Les participants travaillent sur les {OBJECTS[o][1]} avec les {AUDIENCES[u][1]} "
            f"{PLACES[p][1]}. L'initiative prend la forme d'un travail commun {GOALS[g][1]}."
        )
    return title, summary


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(count):
        if i and i % 33 == 0:  # a French translation of an earlier English initiative
            source = out[rng.randrange(len(out))]
            slots = source["slots"]
            lang = 1
        else:
            slots = (
                rng.randrange(len(ACTIONS)), rng.randrange(len(OBJECTS)),
                rng.randrange(len(AUDIENCES)), rng.randrange(len(PLACES)),
                rng.randrange(len(GOALS)),
            )  # fmt: skip
            lang = 1 if rng.random() < 0.3 else 0
        title, summary = text(lang, *slots)
        out.append(
            {
                "id": f"init-{i:06d}",
                "title": title,
                "summary": summary,
                "language": ("en", "fr")[lang],
                "slots": slots,
                "topics": rng.sample(TOPICS, rng.choice((1, 2))),
                "contributor": f"org-{rng.randrange(max(10, count // 50)):05d}",
            }
        )
    return out


def load(count: int, data_dir: Path, graph: str) -> None:
    """Create the initiatives, topics, contributors and their links (not timed)."""
    from graph.connect import GraphConfig, open_store
    from graph.links import repository as links
    from graph.nodes import repository as nodes
    from schema.models import Initiative, Signatory, Topic
    from tests import factories as f

    store = open_store(GraphConfig(url=None, data_dir=data_dir), graph=graph)
    store.clear()
    store.apply_schema()
    items = generate(count)
    nodes.save(store, [f.topic(t) for t in TOPICS], model=Topic)
    nodes.save(
        store, [f.signatory(o) for o in sorted({i["contributor"] for i in items})], model=Signatory
    )
    nodes.save(
        store,
        (
            Initiative(
                id=i["id"],
                title=i["title"],
                summary=i["summary"],
                language=i["language"],
                status="active",
                version=1,
            )
            for i in items
        ),
        model=Initiative,
    )
    for start in range(0, count, 5000):
        chunk = items[start : start + 5000]
        links.link(store, "initiative_topics", [(i["id"], t) for i in chunk for t in i["topics"]])
    store.write_batched(
        "UNWIND $rows AS row MATCH (s:Signatory {id: row.s}) MATCH (i:Initiative {id: row.i}) "
        "MERGE (s)-[:CONTRIBUTES_TO {role: 'lead'}]->(i)",
        ({"s": i["contributor"], "i": i["id"]} for i in items),
        batch_size=5000,
    )
    store.close()


def _peak_kib(pid: int) -> int:
    """A live process's peak resident size (VmHWM), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def _is_worker(proc: Path) -> bool:
    """A process the spawn context started (not its resource tracker, not the supervisor)."""
    try:
        return b"spawn_main" in (proc / "cmdline").read_bytes()
    except OSError:
        return False


def _watch_workers(stop: threading.Event, peaks: dict[int, int]) -> None:
    """Peak RSS of each direct child (the embedding workers), sampled until `stop`."""
    me = str(os.getpid())
    while not stop.wait(0.2):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and _is_worker(entry):
                pid = int(entry.name)
                peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))


def run_once(data_dir: Path, graph: str) -> dict[str, Any]:
    """One refresh in this process; prints a JSON line with its timings and peak RSS:
    this process's, each embedding worker's (sampled while they run) and the graph
    engine's (a separate server, read before it stops)."""
    from analysis.duplicates import refresh
    from graph.audit import UnitOfWork
    from graph.connect import GraphConfig, open_store
    from graph.embedded import read_state
    from schema.enums import CandidateKind

    store = open_store(GraphConfig(url=None, data_dir=data_dir), graph=graph)
    peaks: dict[int, int] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_workers, args=(stop, peaks), daemon=True)
    watcher.start()
    began = time.perf_counter()
    report = refresh(UnitOfWork.system(store, "bench"), CandidateKind.INITIATIVE)
    seconds = time.perf_counter() - began
    stop.set()
    watcher.join()
    state = read_state(data_dir / "graph") or {}
    engine_kib = _peak_kib(int(state.get("pid", 0))) if state.get("pid") else 0
    store.close()
    return {
        "seconds": round(seconds, 2),
        "embedded": report.embedded,
        "compared": report.compared,
        "candidates": report.candidates,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_rss_mib": sorted(round(kib / 1024) for kib in peaks.values() if kib),
        "engine_rss_mib": round(engine_kib / 1024),
        "stages": report.timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    add_child_argument(parser)
    args = parser.parse_args()
    if answered_child(args, run_once):
        return
    print(machine())
    data_dir = Path(tempfile.mkdtemp(prefix="bench-dups-"))
    for size in (int(s) for s in args.sizes.split(",")):
        graph = f"bench_{size}"
        began = time.perf_counter()
        load(size, data_dir, graph)
        loaded = time.perf_counter() - began
        results = []
        for _ in ("cold", "warm"):
            results.append(in_child("bench.duplicates_scale", data_dir, graph))
        cold, warm = results
        print(
            f"{size:>7} initiatives (loaded in {loaded:.0f} s): "
            f"cold {cold['seconds']} s ({cold['embedded']} embedded, {cold['compared']} pairs "
            f"compared, {cold['candidates']} stored, peak RSS {cold['peak_rss_mib']} MiB, "
            f"embedding workers {cold['worker_rss_mib']} MiB, graph engine "
            f"{cold['engine_rss_mib']} MiB); "
            f"warm {warm['seconds']} s ({warm['embedded']} embedded, peak RSS "
            f"{warm['peak_rss_mib']} MiB)",
            flush=True,
        )
        print(f"        cold stages (s): {cold['stages']}", flush=True)


if __name__ == "__main__":
    main()
