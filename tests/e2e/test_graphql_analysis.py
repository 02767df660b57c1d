"""The duplicate review workflow and the gap views through GraphQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from analysis.duplicates import refresh
from analysis.encoder import Encoder
from graph.store import GraphStore
from schema.enums import CandidateKind
from tests.e2e.conftest import ask
from tests.labelled import build_labelled_graph
from tests.support.units import system

CANDIDATES = """
query($wg: ID, $status: [DecisionStatus!], $first: Int, $after: String) {
  duplicateCandidates(workingGroup: $wg, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      aId bId score status explanation
      parts { semantic lexical graph crossLanguage }
      a { ... on Initiative { id title language } }
      b { ... on Initiative { id title language } }
    } }
  }
}
"""

DECIDE = """
mutation($a: ID!, $b: ID!, $note: String) {
  confirmDuplicate(a: $a, b: $b, note: $note) {
    candidate { aId bId status note score }
    errors { __typename ... on NotFoundError { id } ... on ValidationError { message field } }
  }
}
"""

MERGE = """
mutation($s: ID!, $m: ID!, $v: Int!) {
  mergeInitiatives(survivor: $s, merged: $m, mergedVersion: $v, note: "same charter") {
    survivor { id version topics { id } }
    merged { id status version topics { id } mergedInto { id title } }
    errors { __typename ... on ValidationError { message } ... on ConflictError { currentVersion } }
  }
}
"""

UNMERGE = """
mutation($m: ID!, $v: Int!) {
  unmergeInitiative(merged: $m, mergedVersion: $v) {
    survivor { id topics { id } }
    merged { id status version topics { id } mergedInto { id } }
    errors { __typename }
  }
}
"""


def _setup(store: GraphStore) -> None:
    build_labelled_graph(store, working_group="wg6")
    refresh(system(store), CandidateKind.INITIATIVE, encoder=Encoder())


def test_a_co_chair_reviews_confirms_merges_and_unmerges(client: TestClient, store):
    _setup(store)
    page = ask(client, CANDIDATES, wg="wg6", first=5)["data"]["duplicateCandidates"]
    assert page["totalCount"] >= 14
    assert page["pageInfo"]["hasNextPage"] is True
    first = page["edges"][0]["node"]
    assert first["status"] == "CANDIDATE"
    assert first["a"]["id"] == first["aId"] and first["b"]["id"] == first["bId"]
    assert first["score"] >= page["edges"][-1]["node"]["score"]
    rest = ask(client, CANDIDATES, wg="wg6", first=200, after=page["pageInfo"]["endCursor"])
    assert len(rest["data"]["duplicateCandidates"]["edges"]) == page["totalCount"] - 5

    done = ask(client, DECIDE, a="cvd-charter", b="charte-divulgation", note="same charter")
    decided = done["data"]["confirmDuplicate"]
    assert decided["errors"] == []
    assert decided["candidate"]["status"] == "CONFIRMED"
    assert decided["candidate"]["note"] == "same charter"
    confirmed = ask(client, CANDIDATES, status=["CONFIRMED"])["data"]["duplicateCandidates"]
    assert confirmed["totalCount"] == 1

    version = ask(client, '{ initiative(id: "charte-divulgation") { version } }')["data"]
    merged = ask(
        client, MERGE, s="cvd-charter", m="charte-divulgation", v=version["initiative"]["version"]
    )
    result = merged["data"]["mergeInitiatives"]
    assert result["errors"] == []
    assert result["merged"]["status"] == "ARCHIVED"
    assert result["merged"]["topics"] == []
    assert result["merged"]["mergedInto"]["id"] == "cvd-charter"  # where it went
    assert {t["id"] for t in result["survivor"]["topics"]} == {"vulnerability-disclosure"}

    stale = ask(client, MERGE, s="cvd-charter", m="charte-divulgation", v=1)
    assert stale["data"]["mergeInitiatives"]["errors"] == [
        {"__typename": "ConflictError", "currentVersion": result["merged"]["version"]}
    ]

    back = ask(client, UNMERGE, m="charte-divulgation", v=result["merged"]["version"])
    undone = back["data"]["unmergeInitiative"]
    assert undone["errors"] == []
    assert undone["merged"]["status"] == "ACTIVE"
    assert undone["merged"]["topics"] == [{"id": "vulnerability-disclosure"}]
    assert undone["merged"]["mergedInto"] is None


def test_rejecting_and_unknown_ids_come_back_as_typed_errors(client: TestClient, store):
    _setup(store)
    missing = ask(client, DECIDE, a="cvd-charter", b="nope")["data"]["confirmDuplicate"]
    assert missing["errors"] == [{"__typename": "NotFoundError", "id": "nope"}]
    same = ask(client, DECIDE, a="cvd-charter", b="cvd-charter")["data"]["confirmDuplicate"]
    assert same["errors"][0]["__typename"] == "ValidationError"
    rejected = ask(
        client,
        'mutation { rejectDuplicate(a: "iot-label", b: "label-objets-connectes") '
        "{ candidate { status } errors { __typename } } }",
    )["data"]["rejectDuplicate"]
    assert rejected == {"candidate": {"status": "REJECTED"}, "errors": []}
    again = ask(
        client,
        "mutation { refreshDuplicateCandidates "
        "{ records embedded candidates errors { __typename } } }",
    )["data"]["refreshDuplicateCandidates"]
    assert again["embedded"] == 0 and again["records"] == 42
    open_pairs = ask(client, CANDIDATES, first=200)["data"]["duplicateCandidates"]["edges"]
    assert {"iot-label", "label-objets-connectes"} not in [
        {e["node"]["aId"], e["node"]["bId"]} for e in open_pairs
    ]


def test_gaps_and_coverage_matrix(client: TestClient, store):
    _setup(store)
    gaps = ask(
        client,
        '{ gaps(workingGroup: "wg6") { uncoveredTotal topicsWithoutInitiatives '
        "principlesWithoutInitiatives uncoveredRecommendations { sourceId topicId count } "
        "stakeholderGaps { workingGroupId missingKinds missingRegions } "
        "crosswalkGaps { sourceA sourceB share } } }",
    )["data"]["gaps"]
    assert gaps["uncoveredTotal"] == 0  # every recommendation of the set is implemented
    assert gaps["stakeholderGaps"] == [
        {
            "workingGroupId": "wg6",
            "missingKinds": ["state", "company", "civil_society", "academia"],
            "missingRegions": ["africa", "americas", "asia", "europe", "oceania"],
        }
    ]
    assert {(c["sourceA"], c["sourceB"]) for c in gaps["crosswalkGaps"]} == {
        ("cisa", "cra"),
        ("cisa", "ssdf"),
        ("cra", "cisa"),
        ("cra", "ssdf"),
        ("ssdf", "cisa"),
        ("ssdf", "cra"),
    }
    cells = ask(
        client, "{ coverageMatrix { topicId sourceId recommendations implemented initiatives } }"
    )
    matrix = cells["data"]["coverageMatrix"]
    assert len(matrix) == 15 * 3  # every topic by every source, empty cells included
    assert {c["recommendations"] for c in matrix} == {0}  # the set's recommendations have no topic


BANDS = """
query($band: CandidateBand) {
  duplicateCandidates(band: $band, first: 200) { totalCount edges { node { aId bId score } } }
}
"""


def test_the_review_queue_has_a_likely_and_a_possible_band(client: TestClient, store):
    from analysis.duplicates import DEFAULT_MIN_SCORE, STORE_FLOOR

    _setup(store)
    reply = ask(client, BANDS, band="LIKELY")
    assert "errors" not in reply, reply
    likely = reply["data"]["duplicateCandidates"]
    possible = ask(client, BANDS, band="POSSIBLE")["data"]["duplicateCandidates"]
    default = ask(client, BANDS)["data"]["duplicateCandidates"]
    assert likely == default  # the likely band is what lists showed before
    high = [e["node"]["score"] for e in likely["edges"]]
    low = [e["node"]["score"] for e in possible["edges"]]
    assert high and low
    assert min(high) >= DEFAULT_MIN_SCORE > max(low) and min(low) >= STORE_FLOOR
    assert high == sorted(high, reverse=True)
    # The possible band puts the most uncertain pairs first: a decision teaches most there.
    doubt = [s * (1 - s) for s in low]
    assert doubt == sorted(doubt, reverse=True)
    assert possible["totalCount"] == len(low)
