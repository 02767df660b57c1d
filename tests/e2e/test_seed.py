"""`pariscall seed` and `serve --demo` load the bundled data, validated, idempotently."""

from __future__ import annotations

import signal

from tests.processes import free_port, graphql, run_cli, start_server


def test_seed_twice_gives_the_same_graph(engine_env: dict[str, str]) -> None:
    env = engine_env
    first = run_cli(["seed"], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "9 principles, 15 topics, 6 working groups, 8 sources, 73 recommendations, "
        "17 signatories, 40 initiatives, 7 memberships"
    )
    again = run_cli(["seed"], env)
    assert again.stdout == first.stdout


def test_serve_demo_serves_the_bundled_working_groups(engine_env: dict[str, str]) -> None:
    port = free_port()
    server = start_server(engine_env, port, "--demo")
    try:
        reply = graphql(
            port, "{ workingGroups(first: 10) { totalCount edges { node { id verified } } } }"
        )
        groups = reply.json()["data"]["workingGroups"]
        assert groups["totalCount"] == 6
        verified = {e["node"]["id"]: e["node"]["verified"] for e in groups["edges"]}
        assert verified["wg6"] is True and verified["wg1"] is False
        cra = graphql(
            port,
            '{ recommendation(id: "eu-cra-annex-i:ii.1") { verified parent { ref } '
            "topics { id } initiatives { edges { node { id } } } source { publisher verified } } }",
        ).json()["data"]["recommendation"]
        assert cra == {
            "verified": False,
            "parent": {"ref": "II"},
            "topics": [{"id": "sbom"}, {"id": "vulnerability-disclosure"}],
            "initiatives": {
                "edges": [
                    {"node": {"id": "nomenclature-logicielle-fournisseurs"}},
                    {"node": {"id": "sbom-format-harmonisation"}},
                    {"node": {"id": "sbom-pilot-industry"}},
                ]
            },
            "source": {"publisher": "European Union", "verified": False},
        }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
