"""What the registry's own decisions teach the crosswalk inference.

Co-chairs confirm or reject suggested crosswalk pairs; each decision is a label the next
refresh learns from, in three ways:
- **Reliability of the evidence.** A rejected pair lowers the weight of the hubs that
  supported it (the records both ends were mapped to) and of the crosswalks those paths ran
  through; a confirmed one raises them back. Each weight is a smoothed share
  (PRIOR_HUB + confirmed) / (PRIOR_HUB + confirmed + rejected), so one rejection of a hub
  nobody confirmed halves it and a hub never decided on keeps 1. A confirmed pair is also
  an edge of the evidence graph itself (crosswalk_paths.py), so it joins new paths.
- **A refitted model.** The shipped logistic regression (crosswalk_model.py) is the prior:
  the refit minimises the decided pairs' log-loss plus an L2 pull toward the shipped
  coefficients (STRENGTH), so a handful of decisions move it little and hundreds move it
  much; the intercept is pulled more loosely (it is what calibration mostly needs).
- **A per source pair offset.** Publishers and co-chairs disagree from one pair of
  frameworks to the next; each pair of sources gets its own intercept offset, pulled
  toward 0 (PAIR_STRENGTH), learned from the decisions between those two sources.
- **Siblings of a confirmed pair.** A confirmed A-B is evidence for A with B's siblings
  (the records under B's parent) and for A's siblings with B: publishers map a section's
  items to neighbouring items (measured: after 40 decisions, such candidates are the
  publisher's 2 to 28 times as often as the others, bench/crosswalks_learning.py). Each
  candidate counts its confirmed sibling pairs; the score adds SIBLINGS x log(1 + count),
  a coefficient refitted with the others (prior SIBLINGS).
The features a decided pair is learned from are those it had when it was suggested (stored
on the suggestion, kept by the decision), so a confirmed pair's own edge never leaks into
its description. Pure: numbers in, numbers out; the refresh wires it in.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.crosswalk_model import Model

Floats = npt.NDArray[np.float64]

PRIOR_HUB = 1.0  # pseudo-confirmations of a hub before any decision
PRIOR_CROSSWALK = 10.0  # a published crosswalk has many pairs: one rejection says less
STRENGTH = 10.0  # L2 pull of the coefficients toward the shipped ones (standardised units)
INTERCEPT_STRENGTH = 1.0
PAIR_STRENGTH = 2.0
SIBLINGS = 1.0  # prior coefficient of log(1 + confirmed sibling pairs)


@dataclass(frozen=True)
class Decided:
    """A person's decision on a pair: its records, their sources, the label (True when
    confirmed) and, when it was suggested first, the features it was suggested with."""

    a: str
    b: str
    confirmed: bool
    pair: str  # the two sources' key, "s|t" with s < t
    features: tuple[float, ...] | None = None
    siblings: float = 0.0  # confirmed sibling pairs when it was suggested


@dataclass(frozen=True)
class Reliability:
    """Weights (at most 1) of the hubs and crosswalks decisions spoke about; 1 elsewhere."""

    hubs: dict[str, float] = field(default_factory=dict)
    crosswalks: dict[frozenset[str], float] = field(default_factory=dict)

    def hub(self, id: str) -> float:
        return self.hubs.get(id, 1.0)

    def crosswalk(self, first: str, second: str) -> float:
        return self.crosswalks.get(frozenset((first, second)), 1.0)


def pair_of(first: str, second: str) -> str:
    """The key of a pair of sources, whichever order they come in."""
    return f"{first}|{second}" if first < second else f"{second}|{first}"


def reliability(
    decided: Sequence[Decided],
    neighbours: Mapping[str, set[str]],
    source_of: Mapping[str, str],
) -> Reliability:
    """Hub and crosswalk weights from the decisions: the supporters of a decided pair a-b
    are the hubs h (of a third source) that evidence joins to both, and the crosswalks of
    the steps a-h and h-b. `neighbours` is the evidence graph (published and confirmed pairs,
    without the decided pair's own edge mattering: a hub is never in a's or b's source)."""
    hub_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    walk_counts: dict[frozenset[str], list[int]] = defaultdict(lambda: [0, 0])
    for d in decided:
        ends = {source_of.get(d.a), source_of.get(d.b)}
        shared = (neighbours.get(d.a, set()) & neighbours.get(d.b, set())) - {d.a, d.b}
        column = 0 if d.confirmed else 1
        for h in sorted(shared):
            if source_of.get(h) in ends:
                continue
            hub_counts[h][column] += 1
            for end in (d.a, d.b):
                walk_counts[frozenset((source_of[end], source_of[h]))][column] += 1
    hubs = {
        h: _share(PRIOR_HUB, confirmed, rejected)
        for h, (confirmed, rejected) in hub_counts.items()
        if rejected
    }
    walks = {
        k: _share(PRIOR_CROSSWALK, confirmed, rejected)
        for k, (confirmed, rejected) in walk_counts.items()
        if rejected
    }
    return Reliability(hubs, walks)


def _share(prior: float, confirmed: int, rejected: int) -> float:
    return round((prior + confirmed) / (prior + confirmed + rejected), 6)


@dataclass(frozen=True)
class Learned:
    """The model a refresh scores with: the shipped one refitted, and per pair offsets."""

    model: Model
    offsets: dict[str, float]
    decisions: int  # how many decided pairs (with features) it learned from
    version: str
    siblings: float = SIBLINGS

    def probability(
        self, rows: Floats, pair: str | None = None, siblings: Floats | None = None
    ) -> Floats:
        """Each row's chance; `siblings`, each row's count of confirmed sibling pairs."""
        if rows.size == 0:
            return np.zeros(len(rows))
        m = self.model
        z = ((rows - m.means) / m.scales) @ m.coefficients + m.intercept
        z = z + self.offsets.get(pair or "", 0.0)
        if siblings is not None:
            z = z + self.siblings * np.log1p(np.asarray(siblings, dtype=np.float64))
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def unchanged(model: Model) -> Learned:
    return Learned(model, {}, 0, model.version)


def sibling_support(
    confirmed: Iterable[tuple[str, str]], parent_of: Mapping[str, str | None]
) -> dict[frozenset[str], list[str]]:
    """For each pair next to a confirmed one (one end the same, the other a sibling of the
    confirmed end: same parent), the confirmed ends it is next to (their count is what the
    score reads; they are what the explanation names)."""
    children: dict[str, list[str]] = defaultdict(list)
    for id, parent in parent_of.items():
        if parent:
            children[parent].append(id)
    out: dict[frozenset[str], list[str]] = defaultdict(list)
    done = {frozenset(p) for p in confirmed}
    for a, b in sorted(tuple(sorted(p)) for p in done):
        for keep, move in ((a, b), (b, a)):
            parent = parent_of.get(move)
            if not parent:
                continue
            for sibling in children[parent]:
                pair = frozenset((keep, sibling))
                if sibling != move and pair not in done:
                    out[pair].append(move)
    return dict(out)


def refit(
    model: Model,
    decided: Sequence[Decided],
    *,
    strength: float = STRENGTH,
    intercept_strength: float = INTERCEPT_STRENGTH,
    pair_strength: float = PAIR_STRENGTH,
) -> Learned:
    """The shipped model refitted on the decided pairs that carry features (maximum a
    posteriori: log-loss plus L2 toward the shipped coefficients and toward no offset)."""
    usable = [d for d in decided if d.features is not None and len(d.features) == len(
        model.features)]  # fmt: skip
    if not usable:
        return unchanged(model)
    x = (np.asarray([d.features for d in usable], dtype=np.float64) - model.means) / model.scales
    y = np.asarray([d.confirmed for d in usable], dtype=np.float64)
    pairs = sorted({d.pair for d in usable})
    column = {p: n for n, p in enumerate(pairs)}
    which = np.asarray([column[d.pair] for d in usable])
    # the sibling count is one more column, its prior coefficient SIBLINGS
    x = np.column_stack([x, np.log1p([d.siblings for d in usable])])
    width = x.shape[1]
    prior = np.r_[model.coefficients, SIBLINGS, model.intercept, np.zeros(len(pairs))]
    penalty = np.r_[
        np.full(width, strength), intercept_strength, np.full(len(pairs), pair_strength)
    ]

    def loss(theta: Floats) -> tuple[float, Floats]:
        w, b, offsets = theta[:width], theta[width], theta[width + 1 :]
        z = x @ w + b + offsets[which]
        p = 1.0 / (1.0 + np.exp(-z))
        # log(1 + e^z) - y z, computed stably
        value = float(np.sum(np.logaddexp(0.0, z) - y * z))
        residual = p - y
        grad = np.r_[x.T @ residual, residual.sum(), np.bincount(which, residual, len(pairs))]
        delta = theta - prior
        return value + 0.5 * float(np.sum(penalty * delta**2)), grad + penalty * delta

    # Imported here: scipy.optimize is ~25 MiB that a server which never refits should
    # not carry (it held every worker 28 MiB above the previous release).
    from scipy import optimize

    found = optimize.minimize(loss, prior.copy(), jac=True, method="L-BFGS-B")
    theta = found.x
    refitted = Model(
        features=model.features, means=model.means, scales=model.scales,
        coefficients=theta[: width - 1], intercept=float(theta[width]),
        threshold=model.threshold, version=model.version,
    )  # fmt: skip
    offsets = {p: float(theta[width + 1 + n]) for n, p in enumerate(pairs)}
    return Learned(refitted, offsets, len(usable), _version(model, usable), float(theta[width - 1]))


def _version(model: Model, usable: Sequence[Decided]) -> str:
    digest = hashlib.sha256(model.version.encode())
    for d in sorted(usable, key=lambda d: (d.a, d.b)):
        digest.update(f"{d.a}|{d.b}|{d.confirmed}|{d.features}|{d.siblings}\n".encode())
    return f"{model.version}+{len(usable)}decided-{digest.hexdigest()[:12]}"


def fingerprint(learned: Learned, trust: Reliability) -> str:
    """What every source pair's suggestions depend on beyond its own inputs."""
    digest = hashlib.sha256(learned.version.encode())
    for h, w in sorted(trust.hubs.items()):
        digest.update(f"h|{h}|{w}\n".encode())
    for k, w in sorted(trust.crosswalks.items(), key=lambda item: sorted(item[0])):
        digest.update(f"c|{sorted(k)}|{w}\n".encode())
    return digest.hexdigest()[:16]


def decided_from(edges: Sequence[Mapping[str, Any]], source_of: Mapping[str, str]) -> list[Decided]:
    """The people's decisions among stored pairs (status confirmed or rejected)."""
    out = []
    for edge in edges:
        status = edge.get("status")
        if status not in ("confirmed", "rejected"):
            continue
        a, b = str(edge["a"]), str(edge["b"])
        if a not in source_of or b not in source_of or source_of[a] == source_of[b]:
            continue
        pair = pair_of(source_of[a], source_of[b])
        features = parse_features(edge.get("features"))
        siblings = float(edge.get("siblings") or 0.0)
        out.append(Decided(a, b, status == "confirmed", pair, features, siblings))
    return out


def parse_features(raw: Any) -> tuple[float, ...] | None:
    """Features stored on a suggestion (a JSON list), or None when absent or unreadable."""
    import json

    if raw is None:
        return None
    try:
        values = json.loads(raw) if isinstance(raw, str) else raw
        return tuple(float(v) for v in values)
    except (TypeError, ValueError):
        return None
