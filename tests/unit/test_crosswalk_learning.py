"""What decisions teach the crosswalk inference: the weights of the hubs and crosswalks that
supported a decided pair, and the model refitted with the shipped one as its prior."""

from __future__ import annotations

import json
import math

import numpy as np

from analysis import crosswalk_learning as learning
from analysis import crosswalk_paths as paths
from analysis.crosswalk_model import Model
from tests.support.path_evidence import edges, records

ROWS = records("a:1", "a:2", "b:1", "b:2", "h:1", "h:2")
EDGES = edges("a:1 h:1", "b:1 h:1", "a:2 h:2", "b:2 h:2", "a:1 h:2")
SOURCE_OF = {row["id"]: row["source_id"] for row in ROWS}


def _near(edges=EDGES) -> dict[str, set[str]]:
    evidence = paths.build(ROWS, edges)
    return paths.neighbours(evidence, [row["id"] for row in ROWS])


def _model(coefficients=(1.0, 0.0), intercept=-1.0) -> Model:
    return Model(
        features=("x", "z"), means=np.zeros(2), scales=np.ones(2),
        coefficients=np.asarray(coefficients, dtype=float), intercept=intercept,
        threshold=0.3, version="shipped",
    )  # fmt: skip


def test_a_rejected_pair_weighs_down_its_hubs_and_crosswalks_and_a_confirmed_one_back_up():
    rejected = learning.Decided("a:2", "b:2", False, "a|b")
    trust = learning.reliability([rejected], _near(), SOURCE_OF)
    assert trust.hubs == {"h:2": 0.5}  # one rejection, one pseudo-confirmation
    assert trust.hub("h:1") == 1.0  # nobody decided on a pair it supported
    # both crosswalks the path ran through: a-h and h-b, each smoothed by ten
    assert trust.crosswalk("a", "h") == round(10 / 11, 6)
    assert trust.crosswalk("h", "b") == round(10 / 11, 6)
    assert trust.crosswalk("a", "b") == 1.0
    confirmed = learning.Decided("a:1", "b:1", True, "a|b")  # through h:1 only
    both = learning.reliability([rejected, confirmed], _near(), SOURCE_OF)
    assert both.hubs == {"h:2": 0.5}  # h:1 was never rejected: it keeps 1
    assert both.crosswalk("a", "h") == round(11 / 12, 6)  # the confirmation counts back
    # a rejected pair that no path supported says nothing about the evidence
    lonely = learning.Decided("a:2", "b:1", False, "a|b")
    assert learning.reliability([lonely], _near(), SOURCE_OF) == learning.Reliability()


def test_reliability_weighs_the_paths_through_a_rejected_hub():
    plain = paths.build(ROWS, EDGES)
    trust = learning.reliability([learning.Decided("a:2", "b:2", False, "a|b")], _near(),
                                 SOURCE_OF)  # fmt: skip
    taught = paths.build(ROWS, EDGES, trust)
    a, b = plain.members(0), plain.members(1)
    before, after = paths.between(plain, a, b).two, paths.between(taught, a, b).two
    walk = (10 / 11) ** 2  # the steps a-h and h-b
    # a:1-b:1 through h:1: the crosswalks only
    assert math.isclose(after[0, 0], before[0, 0] * walk, rel_tol=1e-5)
    # a:1-b:2 through h:2: the crosswalks and the hub's halved weight
    assert math.isclose(after[0, 1], before[0, 1] * walk * 0.5, rel_tol=1e-5)
    assert after[0, 1] / after[0, 0] < before[0, 1] / before[0, 0]
    # what a hub counts for is halved; how many pairs it has is not
    assert list(taught.degree) == list(plain.degree)


def test_the_refit_stays_at_the_prior_without_decisions_and_moves_toward_them():
    shipped = _model()
    assert learning.refit(shipped, []).model is shipped
    rows = np.asarray([[1.0, 0.0], [0.5, 1.0]])
    base = learning.refit(shipped, []).probability(rows, "a|b")
    # pairs like the first rejected, pairs like the second confirmed
    decided = [learning.Decided(f"a:{n}", f"b:{n}", False, "a|b", (1.0, 0.0)) for n in range(20)]
    decided += [learning.Decided(f"a:x{n}", f"b:x{n}", True, "a|b", (0.5, 1.0))
                for n in range(20)]  # fmt: skip
    learned = learning.refit(shipped, decided)
    after = learned.probability(rows, "a|b")
    assert after[0] < base[0] and after[1] > base[1]
    assert learned.decisions == 40 and learned.version.startswith("shipped+40decided-")
    # the pull toward the shipped model: a weaker pull moves it further
    loose = learning.refit(shipped, decided, strength=0.1).probability(rows, "a|b")
    assert loose[1] - loose[0] > after[1] - after[0]
    # the pair's offset applies to its own source pair only
    assert learned.offsets.keys() == {"a|b"}
    other = learned.probability(rows, "c|d")
    assert not np.allclose(other, after)


def test_all_rejections_in_one_source_pair_lower_that_pair_most():
    shipped = _model()
    decided = [learning.Decided(f"a:{n}", f"b:{n}", False, "a|b", (0.0, 0.0)) for n in range(10)]
    learned = learning.refit(shipped, decided)
    row = np.zeros((1, 2))
    assert learned.offsets["a|b"] < 0
    assert learned.probability(row, "a|b")[0] < learned.probability(row, "c|d")[0]
    assert learned.probability(row, "c|d")[0] < shipped.probability(row)[0]  # the intercept


def test_decisions_are_read_from_stored_pairs_with_their_features():
    edges = [
        *EDGES,
        {"a": "a:1", "b": "b:1", "status": "confirmed", "features": json.dumps([1, 2])},
        {"a": "a:2", "b": "b:1", "status": "rejected", "features": None},
        {"a": "a:2", "b": "b:2", "status": "rejected", "features": "not json"},
        {"a": "a:1", "b": "a:2", "status": "rejected"},  # one source: not a crosswalk
    ]
    found = learning.decided_from(edges, SOURCE_OF)
    assert found == [
        learning.Decided("a:1", "b:1", True, "a|b", (1.0, 2.0)),
        learning.Decided("a:2", "b:1", False, "a|b", None),
        learning.Decided("a:2", "b:2", False, "a|b", None),
    ]
    # decisions without features still weigh the evidence but are not refitted on
    assert learning.refit(_model(), found[1:]).decisions == 0


def test_pairs_next_to_a_confirmed_pair_count_its_siblings():
    parent_of = {"a:1": None, "a:1.1": "a:1", "a:1.2": "a:1", "a:1.3": "a:1",
                 "b:5": None, "b:5.1": "b:5", "b:5.2": "b:5"}  # fmt: skip
    support = learning.sibling_support([("a:1.1", "b:5.1"), ("a:1.2", "b:5.1")], parent_of)
    assert support == {
        # b:5.1's siblings with each confirmed a end
        frozenset(("a:1.1", "b:5.2")): ["b:5.1"],
        frozenset(("a:1.2", "b:5.2")): ["b:5.1"],
        # a:1.1's and a:1.2's siblings with b:5.1 (a:1.3 is next to both)
        frozenset(("a:1.3", "b:5.1")): ["a:1.1", "a:1.2"],
    }  # the confirmed pairs themselves are not counted
    assert learning.sibling_support([("a:1", "b:5")], parent_of) == {}  # roots: no siblings


def test_the_sibling_coefficient_starts_at_its_prior_and_is_refitted():
    shipped = _model()
    rows = np.zeros((2, 2))
    base = learning.unchanged(shipped)
    lifted = base.probability(rows, "a|b", np.asarray([0.0, 1.0]))
    assert lifted[1] > lifted[0]
    assert math.isclose(
        math.log(lifted[1] / (1 - lifted[1])) - math.log(lifted[0] / (1 - lifted[0])),
        learning.SIBLINGS * math.log(2),
    )
    # pairs next to confirmed ones all rejected: the coefficient falls below its prior
    decided = [learning.Decided(f"a:{n}", f"b:{n}", False, "a|b", (0.0, 0.0), 1.0)
               for n in range(20)]  # fmt: skip
    decided += [learning.Decided(f"a:x{n}", f"b:x{n}", True, "a|b", (0.0, 0.0), 0.0)
                for n in range(5)]  # fmt: skip
    assert learning.refit(shipped, decided).siblings < learning.SIBLINGS
