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
        """Run an operation with a token; `%s` in it stands for the payload's errors, and
        any error stops the script."""
        answer = httpx.post(
            f"http://127.0.0.1:{self.port}/graphql",
            json={"query": query.replace("%s", ERRORS), "variables": variables},
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


ERRORS = (
    "errors { __typename ... on ValidationError { message } ... on ForbiddenError "
    "{ message } ... on NotFoundError { message } ... on ConflictError { message } }"
)

# The scenario's operations, in the earlier version's GraphQL (errors: see `Old.gql`).
CREATE = """mutation($input: CreateInitiativeInput!) {
  createInitiative(input: $input) { initiative { id version } %s } }"""
LINK = """mutation($id: ID!, $target: LinkTarget!, $to: ID!) {
  linkInitiative(initiative: $id, target: $target, targetId: $to) { changed %s } }"""
UNLINK = """mutation($id: ID!, $target: LinkTarget!, $to: ID!) {
  unlinkInitiative(initiative: $id, target: $target, targetId: $to) { changed %s } }"""
UPDATE = """mutation($id: ID!, $version: Int!, $summary: String!) {
  updateInitiative(id: $id, version: $version, changes: {summary: $summary}) {
    initiative { version } %s } }"""
CONTRIBUTE = """mutation($id: ID!, $who: ID!) {
  setContributor(initiative: $id, signatory: $who, role: PARTNER) { changed %s } }"""
MEMBER = """mutation($wg: ID!, $who: ID!) {
  addMember(workingGroup: $wg, signatory: $who, role: MEMBER, since: "2024-01-15") {
    changed %s } }"""
ARCHIVE = """mutation($id: ID!) { archiveInitiative(id: $id, version: 1) {
  initiative { id } %s } }"""
VERSION = "query($id: ID!) { initiative(id: $id) { version } }"
CANDIDATES = """query($kind: CandidateKind!) {
  duplicateCandidates(kind: $kind, first: 10) { edges { node { aId bId } } } }"""
CONFIRM = """mutation($a: ID!, $b: ID!) {
  confirmDuplicate(a: $a, b: $b, note: "same pilot") { candidate { status } %s } }"""
REJECT = """mutation($a: ID!, $b: ID!) {
  rejectDuplicate(a: $a, b: $b, note: "different audiences") { candidate { status } %s } }"""
MERGE = """mutation($survivor: ID!, $merged: ID!, $version: Int!) {
  mergeInitiatives(survivor: $survivor, merged: $merged, mergedVersion: $version,
    note: "one pilot") { survivor { id } %s } }"""
ACCEPT_MAPPING = """mutation($a: ID!, $b: ID!) {
  acceptMapping(from: $a, to: $b, relation: SUBSET_OF, note: "narrower") {
    candidate { status } %s } }"""
REJECT_MAPPING = """mutation($a: ID!, $b: ID!) {
  rejectMapping(from: $a, to: $b, note: "unrelated") { candidate { status } %s } }"""
OPEN_CALL = """mutation($input: OpenCallInput!) { openCall(input: $input) { call { id } %s } }"""
PROPOSE = """mutation($input: ProposeInput!) { propose(input: $input) { proposal { id } %s } }"""
REVISE = """mutation($id: ID!, $message: String!) {
  reviseProposal(id: $id, message: $message) { proposal { id } %s } }"""
ACCEPT = "mutation($id: ID!) { acceptProposal(id: $id) { proposal { id } %s } }"
DECLINE = """mutation($id: ID!, $reason: String!) {
  declineProposal(id: $id, reason: $reason) { proposal { id } %s } }"""
COMMENT = """mutation($on: Subject!, $body: String!) {
  addComment(on: $on, body: $body) { comment { id } %s } }"""
EDIT = """mutation($id: ID!, $body: String!) {
  editComment(id: $id, body: $body) { comment { id } %s } }"""
DELETE = "mutation($id: ID!) { deleteComment(id: $id) { comment { id } %s } }"
HOOK = """mutation($input: WebhookInput!) { createWebhook(input: $input) { webhook { id } %s } }"""

NEW = "upgrade-test-initiative"


def scenario(old: Old) -> dict[str, Any]:
    """Every stored kind, through the old doors; returns the reads and token secrets."""
    tokens = load(old)
    with old.serving():
        curate(old, tokens["admin"])
        pair = decide(old, tokens)
        proposal = collaborate(old, tokens)
        discuss(old, tokens, pair=pair, proposal=proposal)
        old.gql(tokens["admin"], HOOK, input={"url": "http://127.0.0.1:9/hook",
                                              "workingGroup": "wg6"})  # fmt: skip
        # After the hook exists, so that a delivery is queued.
        old.gql(tokens["admin"], ARCHIVE, id="iot-security-label")
        old.revoke("Departed admin")
        reads = old.gql(tokens["admin"], READS, thread=pair)
    # The secrets too: the test signs in with them (they open nothing but this fixture).
    secrets = {k: tokens[k] for k in ("admin", "wg6", "wg5", "cigref", "departed")}
    return {"reads": reads, "secrets": secrets, "thread": pair}


def load(old: Old) -> dict[str, str]:
    """The command line's part: reference and demo data, tokens, imports, analyses."""
    data = old.checkout / "tests" / "data"
    old.cli("seed")
    tokens = {
        "admin": old.token("--role", "admin", "--name", "Registry admin"),
        "wg6": old.token("--role", "co_chair", "--wg", "wg6", scope="wg6"),
        "wg5": old.token("--role", "co_chair", "--wg", "wg5", scope="wg5"),
        "cigref": old.token("--role", "signatory", "--signatory", "cigref", scope="cigref"),
        "kaspersky": old.token(
            "--role", "signatory", "--signatory", "kaspersky", scope="kaspersky"
        ),
        "importer": old.token("--role", "importer", "--name", "Import robot"),
        "departed": old.token("--role", "admin", "--name", "Departed admin"),
    }
    themes = str(data / "oecd-themes.json")
    old.cli("import", themes, "--source", "oecd-themes", "--actor", "Import robot")
    old.cli("import", str(data / "initiatives.csv"), "--actor", "Registry admin")
    old.cli("analyze", "duplicates", "--format", "json")
    old.cli("analyze", "duplicates", "--kind", "recommendation", "--format", "json")
    return tokens


def curate(old: Old, admin: str) -> None:
    """A new initiative with links, then links added and removed, an edit, a contributor
    and a member."""
    created = old.gql(admin, CREATE, input={
        "id": NEW, "title": "Supplier attestation registry for the upgrade fixture",
        "language": "en", "summary": "Suppliers attest their secure development practices.",
        "status": "ACTIVE", "workingGroups": ["wg6"], "topics": ["sbom"], "principles": ["p6"],
        "contributors": [{"signatory": "cigref", "role": "LEAD"}],
    })["createInitiative"]["initiative"]  # fmt: skip
    for target, to in (
        ("RECOMMENDATION", "oecd-0481:duty-of-care.by-design"),
        ("PRINCIPLE", "p9"),
        ("WORKING_GROUP", "wg5"),
    ):
        old.gql(admin, LINK, id=NEW, target=target, to=to)
    old.gql(admin, UNLINK, id=NEW, target="WORKING_GROUP", to="wg5")
    old.gql(admin, UPDATE, id=NEW, version=created["version"],
            summary="Suppliers attest once, buyers read it.")  # fmt: skip
    old.gql(admin, CONTRIBUTE, id=NEW, who="kaspersky")
    old.gql(admin, MEMBER, wg="wg5", who="cigref")


def decide(old: Old, tokens: dict[str, str]) -> list[str]:
    """A duplicate confirmed then merged, one rejected, a crosswalk accepted and one
    rejected; returns the rejected duplicate pair."""
    wg6, admin = tokens["wg6"], tokens["admin"]
    pairs = old.gql(admin, CANDIDATES, kind="INITIATIVE")["duplicateCandidates"]["edges"]
    same, apart = pairs[0]["node"], pairs[1]["node"]
    old.gql(wg6, CONFIRM, a=same["aId"], b=same["bId"])
    old.gql(wg6, REJECT, a=apart["aId"], b=apart["bId"])
    version = old.gql(admin, VERSION, id=same["bId"])["initiative"]["version"]
    old.gql(wg6, MERGE, survivor=same["aId"], merged=same["bId"], version=version)
    walks = old.gql(admin, CANDIDATES, kind="RECOMMENDATION")["duplicateCandidates"]["edges"]
    old.gql(admin, ACCEPT_MAPPING, a=walks[0]["node"]["aId"], b=walks[0]["node"]["bId"])
    old.gql(admin, REJECT_MAPPING, a=walks[1]["node"]["aId"], b=walks[1]["node"]["bId"])
    return [apart["aId"], apart["bId"]]


def collaborate(old: Old, tokens: dict[str, str]) -> str:
    """A call, and proposals to it or beside it: accepted, declined, revised and open;
    returns the accepted one's id."""
    call = old.gql(tokens["wg5"], OPEN_CALL, input={
        "workingGroup": "wg5", "title": "Supply-chain pilots for 2027",
        "description": "Pilots that a second group should follow.", "topics": ["sbom"],
        "deadline": "2027-03-31",
    })["openCall"]["call"]  # fmt: skip

    def propose(who: str, initiative: str, message: str, **extra: str) -> str:
        proposal = {"initiative": initiative, "workingGroup": "wg5", "message": message}
        answer = old.gql(tokens[who], PROPOSE, input=proposal | extra)
        return str(answer["propose"]["proposal"]["id"])

    accepted = propose("cigref", "sbom-pilot-industry",
                       "The pilot concerns election suppliers too.", call=call["id"])  # fmt: skip
    declined = propose("kaspersky", "secure-update-guidelines", "Updates of voting machines.")
    revised = propose("cigref", "supplier-security-questionnaire", "For the next meeting.")
    old.gql(tokens["cigref"], REVISE, id=revised, message="For the March meeting.")
    old.gql(tokens["wg5"], ACCEPT, id=accepted)
    old.gql(tokens["wg5"], DECLINE, id=declined, reason="Out of the group's mandate.")
    return accepted


def discuss(old: Old, tokens: dict[str, str], *, pair: list[str], proposal: str) -> None:
    """Threads on an initiative, a pair and a proposal; one comment edited, one deleted."""
    pilot = {"initiative": "sbom-pilot-industry"}
    kept = old.gql(tokens["cigref"], COMMENT, on=pilot, body="The report is due in **May**.")
    gone = old.gql(tokens["wg6"], COMMENT, on=pilot, body="Posted on the wrong thread.")
    old.gql(tokens["wg6"], COMMENT, on={"pair": pair}, body="Different audiences: see both.")
    old.gql(tokens["wg5"], COMMENT, on={"proposal": proposal}, body="Welcome to WG5.")
    old.gql(tokens["cigref"], EDIT, id=kept["addComment"]["comment"]["id"],
            body="The report is due in **June**.")  # fmt: skip
    old.gql(tokens["wg6"], DELETE, id=gone["addComment"]["comment"]["id"])


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
