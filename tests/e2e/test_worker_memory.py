"""A served worker loads numpy and scipy only when a request needs them (issue 32).

They were about a quarter of a worker's memory (34 of 133 MiB), imported by the app's
modules although reads never score a pair: point and list reads, the home page and a
group page must leave them out; a search, whose semantic ranking needs them, loads them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.processes import cli_env, free_port, graphql, run_cli, start_server

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"numpy", "scipy"}


def test_importing_the_served_app_loads_neither_numpy_nor_scipy() -> None:
    code = (
        "import sys, api.app, api.asgi, api.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'scipy'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _mapped(pid: int) -> set[str]:
    """Which of numpy and scipy have files mapped in the process (their compiled modules)."""
    text = Path(f"/proc/{pid}/maps").read_text()
    return {name for name in HEAVY if f"/{name}/" in text or f"/{name}.libs/" in text}


def test_reads_and_pages_leave_numpy_out_of_the_worker_until_a_search(data_dir: Path) -> None:
    env = cli_env(data_dir)
    seeded = run_cli(["seed"], env)
    assert seeded.returncode == 0, seeded.stderr
    port = free_port()
    server = start_server(env, port)
    try:
        point = graphql(port, '{ initiative(id: "x") { id } }')
        assert point.json() == {"data": {"initiative": None}}
        listed = graphql(
            port, "{ initiatives(first: 5) { edges { node { id title topics { id } } } } }"
        ).json()["data"]["initiatives"]["edges"]
        assert [edge["node"]["id"] for edge in listed] == [
            "duree-support-securite",
            "incident-exercise-suppliers",
            "charte-divulgation-coordonnee",
            "clauses-achat-pme",
            "clauses-achat-cloud",
        ]
        assert {t["id"] for t in listed[0]["node"]["topics"]} == {
            "certification",
            "iot-security",
            "secure-updates",
        }
        for page in ("/", "/wg/wg1"):
            assert httpx.get(f"http://127.0.0.1:{port}{page}", timeout=30).status_code == 200
        assert _mapped(server.pid) == set()

        found = graphql(
            port,
            '{ search(text: "SBOM", types: [INITIATIVE], first: 3) '
            "{ node { ... on Initiative { id } } } }",
        ).json()["data"]["search"]
        assert [hit["node"]["id"] for hit in found] == [
            "sbom-format-harmonisation",
            "nomenclature-logicielle-fournisseurs",
            "sbom-formation-acheteurs",
        ]
        assert "numpy" in _mapped(server.pid)  # the semantic ranking loaded it, on demand
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
