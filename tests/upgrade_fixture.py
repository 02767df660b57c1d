"""Write the upgrade fixture: a registry stored by an earlier commit, on both engines.

    python -m tests.upgrade_fixture [--commit 95677f9] [--out tests/data/upgrade]

The commit is checked out in a throwaway worktree, and only its own doors are used: its
`pariscall` commands (seed, tokens, import, analyze, export, audit export) and its
GraphQL API over HTTP (a real `pariscall serve`). The scenario creates every kind the
graph stores: initiatives and their links, duplicate decisions (confirmed, rejected) and
a merge, crosswalk decisions, proposals (accepted, declined, open) answering a call,
comments (one edited, one deleted), tokens (one revoked), a webhook and its queued
deliveries, import runs, and the audit events of all of it. It runs once on the embedded
FalkorDB and once on Neo4j Community (the launcher of tests/neo4j_launcher, which must be
built: `mvn -q -f tests/neo4j_launcher/pom.xml package`).

For each engine it keeps, in `--out`:
- `ENGINE.tar.xz`: the stored graph (the embedded engine's `graph/appendonlydir`, or the
  Neo4j home the launcher opens), after a clean stop;
- `ENGINE-expected.json.gz`: what that commit's doors showed at the end: its registry
  export, its audit export, its token list and the answers of the GraphQL reads in
  `READS` (import runs, webhooks, proposals, calls, threads, decisions).

tests/integration/test_upgrade.py opens each with the code of today and compares.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.neo4j_server import launched
from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COMMIT = "95677f9"
DEFAULT_OUT = ROOT / "tests" / "data" / "upgrade"
ENGINES = ("falkordb", "neo4j")

# What the fixture's expected summary reads through the old GraphQL API (admin token).
READS = """
query Reads($thread: [ID!]!) {
  importRuns(first: 100) { edges { node { id status sourceId kind file fileSha256 format
    startedAt actor error } } }
  webhooks(first: 100) { edges { node { id url kinds createdBy createdAt active
    workingGroup { id } deliveries(first: 100) { totalCount edges { node { id eventId kind
    state attempts createdAt nextAt deliveredAt } } } } } }
  proposals(first: 100) { edges { node { id state message reason proposedBy decidedBy
    version createdAt } } }
  calls(first: 100) { edges { node { id title description deadline state openedBy createdAt
    closedAt workingGroup { id } } } }
  initiativeThread: comments(on: {initiative: "sbom-pilot-industry"}, first: 100) {
    edges { node { id author authorRole body history } } }
  pairThread: comments(on: {pair: $thread}, first: 100) {
    edges { node { id author authorRole body history } } }
  duplicates: duplicateCandidates(status: [CONFIRMED, REJECTED], first: 100) {
    edges { node { aId bId status decidedBy note } } }
  mappings: duplicateCandidates(kind: RECOMMENDATION, status: [CONFIRMED, REJECTED],
    first: 100) { edges { node { aId bId status relation decidedBy note } } }
}
"""


class Old:
    """The earlier commit's doors: its CLI, and its server's GraphQL."""

    def __init__(self, checkout: Path, env: dict[str, str]) -> None:
        self.checkout = checkout
        self.env = env
        self.port: int | None = None
        # The tokens made, as the old commands described them (id, name, role, scope).
        self.tokens: dict[str, dict[str, str]] = {}

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-c", "from api.cli import main; main()", *args],
            env=self.env,
            cwd=self.checkout,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pariscall {' '.join(args)} failed: {done.stderr}{done.stdout}")
        return done

    def token(self, *args: str, scope: str = "") -> str:
        """A new token's secret; its id, name and role as the command said them."""
        done = self.cli("tokens", "create", *args)
        said = re.search(r"token '(.+)' \(([^,]+), (\w+)\) created", done.stderr)
        if said is None:
            raise RuntimeError(f"no token described in: {done.stderr}")
        name, id, role = said.groups()
        self.tokens[name] = {"id": id, "name": name, "role": role, "scope": scope}
        self.tokens[name]["state"] = "active"
        return done.stdout.strip().splitlines()[-1]

    def revoke(self, name: str) -> None:
        self.cli("tokens", "revoke", self.tokens[name]["id"])
        self.tokens[name]["state"] = "revoked"

    @contextmanager
    def serving(self) -> Iterator[None]:
        self.port = free_port()
        log = self.checkout / "serve.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-c", "from api.cli import main; main()", "serve",
                 "--port", str(self.port)],
                env=self.env, cwd=self.checkout, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the old server did not start: {log.read_text()}")
                try:
                    httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.3)
            yield
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)

    def gql(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        answer = httpx.post(
            f"http://127.0.0.1:{self.port}/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
            timeout=120,
        ).json()
        if answer.get("errors"):
            raise RuntimeError(f"{query}: {answer['errors']}")
        data: dict[str, Any] = answer["data"]
        for payload in data.values():
            if isinstance(payload, dict) and payload.get("errors"):
                raise RuntimeError(f"{query}: {payload['errors']}")
        return data


ERRORS = "errors { __typename ... on ValidationError { message } ... on ForbiddenError { message } ... on NotFoundError { message } ... on ConflictError { message } }"  # noqa: E501


def scenario(old: Old) -> dict[str, Any]:
    """Every stored kind, through the old doors; returns the reads and token secrets."""
    data = old.checkout / "tests" / "data"
    old.cli("seed")
    admin = old.token("--role", "admin", "--name", "Registry admin")
    wg6 = old.token("--role", "co_chair", "--wg", "wg6", scope="wg6")
    wg5 = old.token("--role", "co_chair", "--wg", "wg5", scope="wg5")
    cigref = old.token("--role", "signatory", "--signatory", "cigref", scope="cigref")
    kaspersky = old.token("--role", "signatory", "--signatory", "kaspersky", scope="kaspersky")
    old.token("--role", "importer", "--name", "Import robot")
    departed = old.token("--role", "admin", "--name", "Departed admin")
    old.cli("import", str(data / "oecd-themes.json"), "--source", "oecd-themes", "--actor", "Import robot")
    old.cli("import", str(data / "initiatives.csv"), "--actor", "Registry admin")
    old.cli("analyze", "duplicates", "--format", "json")
    old.cli("analyze", "duplicates", "--kind", "recommendation", "--format", "json")
    with old.serving():
        created = old.gql(
            admin,
            "mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { "
            f"initiative {{ id version }} {ERRORS} }} }}",
            input={
                "id": "upgrade-test-initiative",
                "title": "Supplier attestation registry for the upgrade fixture",
                "language": "en",
                "summary": "Suppliers attest their secure development practices once.",
                "status": "ACTIVE",
                "workingGroups": ["wg6"],
                "topics": ["sbom"],
                "principles": ["p6"],
                "contributors": [{"signatory": "cigref", "role": "LEAD"}],
            },
        )["createInitiative"]["initiative"]
        for target, target_id in (("RECOMMENDATION", "oecd-0481:duty-of-care.by-design"),
                                  ("PRINCIPLE", "p9"), ("WORKING_GROUP", "wg5")):  # fmt: skip
            old.gql(
                admin,
                "mutation($t: LinkTarget!, $id: ID!) { linkInitiative(initiative: "
                f'"upgrade-test-initiative", target: $t, targetId: $id) {{ changed {ERRORS} }} }}',
                t=target,
                id=target_id,
            )
        old.gql(
            admin,
            'mutation { unlinkInitiative(initiative: "upgrade-test-initiative", '
            f'target: WORKING_GROUP, targetId: "wg5") {{ changed {ERRORS} }} }}',
        )
        old.gql(
            admin,
            "mutation($v: Int!) { updateInitiative(id: \"upgrade-test-initiative\", "
            'version: $v, changes: {summary: "Suppliers attest once, buyers read it."}) '
            f"{{ initiative {{ version }} {ERRORS} }} }}",
            v=created["version"],
        )
        old.gql(
            admin,
            'mutation { setContributor(initiative: "upgrade-test-initiative", '
            f'signatory: "kaspersky", role: PARTNER) {{ changed {ERRORS} }} }}',
        )
        old.gql(
            admin,
            'mutation { addMember(workingGroup: "wg5", signatory: "cigref", role: MEMBER, '
            f'since: "2024-01-15") {{ changed {ERRORS} }} }}',
        )
        pairs = old.gql(
            admin,
            "{ duplicateCandidates(first: 10) { edges { node { aId bId } } } }",
        )["duplicateCandidates"]["edges"]
        confirmed, rejected = pairs[0]["node"], pairs[1]["node"]
        decide = (
            "mutation($a: ID!, $b: ID!) { %s(a: $a, b: $b, note: \"%s\") { candidate { status } "
            f"{ERRORS} }} }}"
        )
        old.gql(wg6, decide % ("confirmDuplicate", "same pilot"),
                a=confirmed["aId"], b=confirmed["bId"])  # fmt: skip
        old.gql(wg6, decide % ("rejectDuplicate", "different audiences"),
                a=rejected["aId"], b=rejected["bId"])  # fmt: skip
        merged = old.gql(
            admin, "query($id: ID!) { initiative(id: $id) { version } }", id=confirmed["bId"]
        )["initiative"]
        old.gql(
            wg6,
            "mutation($s: ID!, $m: ID!, $v: Int!) { mergeInitiatives(survivor: $s, merged: $m, "
            f'mergedVersion: $v, note: "one pilot") {{ survivor {{ id }} {ERRORS} }} }}',
            s=confirmed["aId"],
            m=confirmed["bId"],
            v=merged["version"],
        )
        crosswalks = old.gql(
            admin,
            "{ duplicateCandidates(kind: RECOMMENDATION, first: 10) "
            "{ edges { node { aId bId } } } }",
        )["duplicateCandidates"]["edges"]
        accept, refuse = crosswalks[0]["node"], crosswalks[1]["node"]
        old.gql(
            admin,
            "mutation($a: ID!, $b: ID!) { acceptMapping(from: $a, to: $b, relation: SUBSET_OF, "
            f'note: "narrower") {{ candidate {{ status }} {ERRORS} }} }}',
            a=accept["aId"],
            b=accept["bId"],
        )
        old.gql(
            admin,
            "mutation($a: ID!, $b: ID!) { rejectMapping(from: $a, to: $b, note: \"unrelated\") "
            f"{{ candidate {{ status }} {ERRORS} }} }}",
            a=refuse["aId"],
            b=refuse["bId"],
        )
        call = old.gql(
            wg5,
            "mutation { openCall(input: {workingGroup: \"wg5\", title: \"Supply-chain pilots "
            'for 2027", description: "Pilots that a second group should follow.", '
            f'topics: ["sbom"], deadline: "2027-03-31"}}) {{ call {{ id }} {ERRORS} }} }}',
        )["openCall"]["call"]
        propose = (
            "mutation($input: ProposeInput!) { propose(input: $input) { proposal { id } "
            f"{ERRORS} }} }}"
        )
        accepted = old.gql(cigref, propose, input={
            "initiative": "sbom-pilot-industry", "workingGroup": "wg5",
            "message": "The pilot concerns election suppliers too.", "call": call["id"],
        })["propose"]["proposal"]  # fmt: skip
        declined = old.gql(kaspersky, propose, input={
            "initiative": "secure-update-guidelines", "workingGroup": "wg5",
            "message": "Updates of voting machines.",
        })["propose"]["proposal"]  # fmt: skip
        open_one = old.gql(cigref, propose, input={
            "initiative": "supplier-security-questionnaire", "workingGroup": "wg5",
            "message": "For the next meeting.",
        })["propose"]["proposal"]  # fmt: skip
        old.gql(cigref, f'mutation {{ reviseProposal(id: "{open_one["id"]}", message: '
                f'"For the March meeting.") {{ proposal {{ id }} {ERRORS} }} }}')  # fmt: skip
        old.gql(wg5, f'mutation {{ acceptProposal(id: "{accepted["id"]}") '
                f"{{ proposal {{ id }} {ERRORS} }} }}")  # fmt: skip
        old.gql(wg5, f'mutation {{ declineProposal(id: "{declined["id"]}", reason: '
                f'"Out of the group\'s mandate.") {{ proposal {{ id }} {ERRORS} }} }}')  # fmt: skip
        comment = "mutation($on: Subject!, $body: String!) { addComment(on: $on, body: $body) "
        comment += f"{{ comment {{ id }} {ERRORS} }} }}"
        kept = old.gql(cigref, comment, on={"initiative": "sbom-pilot-industry"},
                       body="The pilot report is due in **May**.")["addComment"]["comment"]  # fmt: skip
        gone = old.gql(wg6, comment, on={"initiative": "sbom-pilot-industry"},
                       body="Posted on the wrong thread.")["addComment"]["comment"]  # fmt: skip
        old.gql(wg6, comment, on={"pair": [rejected["aId"], rejected["bId"]]},
                body="Different audiences: see the summaries.")  # fmt: skip
        old.gql(wg5, comment, on={"proposal": accepted["id"]}, body="Welcome to WG5.")
        old.gql(cigref, f'mutation {{ editComment(id: "{kept["id"]}", body: "The pilot '
                f'report is due in **June**.") {{ comment {{ id }} {ERRORS} }} }}')  # fmt: skip
        old.gql(wg6, f'mutation {{ deleteComment(id: "{gone["id"]}") {{ comment {{ id }} '
                f"{ERRORS} }} }}")  # fmt: skip
        old.gql(admin, "mutation { createWebhook(input: {url: \"http://127.0.0.1:9/hook\", "
                f'workingGroup: "wg6"}}) {{ webhook {{ id }} {ERRORS} }} }}')  # fmt: skip
        # After the hook exists, so that its deliveries are queued.
        old.gql(
            admin,
            'mutation { archiveInitiative(id: "iot-security-label", version: 1) '
            f"{{ initiative {{ id }} {ERRORS} }} }}",
        )
        old.revoke("Departed admin")
        reads = old.gql(admin, READS, thread=[rejected["aId"], rejected["bId"]])
    # The secrets too: the test signs in with them (they open nothing but this fixture).
    secrets = {"admin": admin, "wg6": wg6, "wg5": wg5, "cigref": cigref, "departed": departed}
    return {"reads": reads, "secrets": secrets}


def expected(old: Old, seen: dict[str, Any], work: Path) -> dict[str, Any]:
    old.cli("export", "-o", str(work / "registry.json"))
    old.cli("audit", "export", "-o", str(work / "audit.jsonl"))
    audit = [json.loads(line) for line in (work / "audit.jsonl").read_text().splitlines()]
    return {
        "registry": json.loads((work / "registry.json").read_text()),
        "audit": audit,
        "tokens": sorted(old.tokens.values(), key=lambda t: t["id"]),
        **seen,
    }


def write_fixture(engine: str, checkout: Path, out: Path, commit: str) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"pariscall-upgrade-{engine}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARISCALL_")}
    env |= {
        "PYTHONPATH": str(checkout),
        "PARISCALL_DATA_DIR": str(work / "data"),
        "PARISCALL_WEBHOOK_DISPATCH": "false",
        "PARISCALL_WEBHOOK_ALLOW": "127.0.0.1/32",
        "COLUMNS": "400",
        "PARISCALL_MAX_COST": "1000000",
    }
    try:
        if engine == "falkordb":
            old = Old(checkout, env)
            summary = expected(old, scenario(old), work)
            archive(out / "falkordb.tar.xz", work / "data", "graph/appendonlydir")
        else:
            home = work / "neo4j"
            with launched(home=home) as server:
                old = Old(checkout, env | {"PARISCALL_GRAPH_URL": server.uri})
                summary = expected(old, scenario(old), work)
            shutil.rmtree(home / "logs", ignore_errors=True)
            archive(out / "neo4j.tar.xz", home, "data")
        summary["commit"] = commit
        with gzip.open(out / f"{engine}-expected.json.gz", "wt", encoding="utf-8") as handle:
            json.dump(summary, handle, ensure_ascii=False, indent=1, sort_keys=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def archive(target: Path, base: Path, member: str) -> None:
    """`base/member` as an xz tarball, its paths relative to `base`."""
    with tarfile.open(target, "w:xz", preset=9) as tar:
        tar.add(base / member, arcname=member)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", default=DEFAULT_COMMIT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--engine", choices=ENGINES, action="append")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    checkout = Path(tempfile.mkdtemp(prefix="pariscall-old-")) / "checkout"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(checkout), args.commit],
        check=True,
    )
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    try:
        for engine in args.engine or ENGINES:
            write_fixture(engine, checkout, args.out, commit)
            print(f"{engine}: written to {args.out}")
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)], check=True
        )


if __name__ == "__main__":
    main()
