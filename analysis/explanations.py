"""Why a pair was suggested, as structured reasons rendered in the reader's language.

The analysis stores, beside the English `explanation` line the API and CLI show, the
reasons it was built from: shared concepts (glossary keys), differing facets, shared
links (ids by kind), text similarity and shared wording. Pages and reports render them
in French or English, with names instead of ids where the page knows them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from analysis import glossary
from analysis.i18n import text
from graph.browse import repository as browse
from graph.overview import repository as overview
from graph.store import GraphStore

Reason = dict[str, Any]

# A reason's words are the catalog's `why_<its kind>` (analysis/locale).
REASON_KINDS = (
    "concepts", "deliverable", "audience", "scope", "recommendation", "principle", "topic",
    "contributor", "working_group", "initiative", "text", "wording", "hubs", "chains", "beside",
    "together",
)  # fmt: skip


def reasons(
    *,
    concepts: Sequence[str],
    differing: Sequence[tuple[str, Sequence[str], Sequence[str]]],
    shared: Mapping[str, Sequence[str]],
    cosine: float,
    languages: tuple[str, str],
    words: float | None,
) -> list[Reason]:
    """The reasons of one pair, as stored (JSON-ready)."""
    out: list[Reason] = []
    if concepts:
        out.append({"k": "concepts", "ids": sorted(concepts)[:5]})
    for facet, left, right in differing:
        out.append({"k": facet, "a": sorted(left), "b": sorted(right)})
    for kind, ids in shared.items():
        if ids:
            out.append({"k": kind, "ids": list(ids)[:3]})
    out.append({"k": "text", "v": round(cosine, 2), "langs": [lang.upper() for lang in languages]})
    if words:
        out.append({"k": "wording", "v": round(words, 2)})
    return out


def _stored_list(value: Any) -> list[Any]:
    """A list stored as a JSON string (or already read); empty when absent or unreadable."""
    if not value:
        return []
    try:
        found = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return found if isinstance(found, list) else []


def stored(value: Any) -> list[Reason]:
    """Reasons read back from the graph (a JSON string); none for older pairs."""
    return [r for r in _stored_list(value) if isinstance(r, dict) and "k" in r]


def stored_paths(value: Any) -> list[dict[str, Any]]:
    """A crosswalk suggestion's paths read back from the graph (a JSON string); none for
    pairs stored before they existed, or decided by hand."""
    return [
        p for p in _stored_list(value) if isinstance(p, dict) and isinstance(p.get("via"), list)
    ]


def render(
    found: Sequence[Reason], lang: str, name: Callable[[str, str], str] | None = None
) -> str:
    """One line in `lang`; `name(kind, id)` names linked records (ids when absent)."""
    t = text(lang)
    said = {kind: t[f"why_{kind}"] for kind in REASON_KINDS}
    colon = t["colon"]
    called = name or (lambda _kind, id: id)

    def concept(key: str) -> str:
        return glossary.label(key, lang)

    def listed(r: Reason, key: str) -> list[str]:
        value = r.get(key)
        return [str(x) for x in value] if isinstance(value, list) else []

    def number(r: Reason) -> str:
        value = r.get("v")
        if not isinstance(value, (int, float)):
            return "?"
        return f"{value:.2f}".replace(".", ",") if lang == "fr" else f"{value:.2f}"

    pieces = []
    for r in found:  # read defensively: a registry file may carry reasons of its own
        kind = r.get("k")
        if kind == "concepts":
            named = ", ".join(concept(k) for k in listed(r, "ids"))
            pieces.append(f"{said['concepts']}{colon} {named}")
        elif kind in ("deliverable", "audience", "scope"):
            left = ", ".join(concept(k) for k in listed(r, "a"))
            right = ", ".join(concept(k) for k in listed(r, "b"))
            pieces.append(f"{said[kind]}{colon} {left} / {right}")
        elif kind == "text":
            pieces.append(f"{said['text']} {number(r)} {'↔'.join(listed(r, 'langs'))}")
        elif kind == "wording":
            pieces.append(f"{said['wording']} {number(r)}")
        elif kind == "chains":
            chains = [c for c in r.get("paths") or [] if isinstance(c, list)]
            shown = "; ".join(" → ".join(called("hubs", str(h)) for h in c) for c in chains)
            pieces.append(f"{said['chains']}{colon} {shown}")
        elif isinstance(kind, str) and kind in said:
            named = ", ".join(called(kind, i) for i in listed(r, "ids"))
            pieces.append(f"{said[kind]}{colon} {named}")
    return t["list_separator"].join(pieces)


def names_for(store: GraphStore, candidates: Sequence[Any]) -> dict[str, dict[str, str]]:
    """What the reasons of `candidates` name, by id, in both languages: topics and
    principles, and the recommendations, signatories and initiatives they share."""
    table = overview.names(store)
    wanted: dict[str, set[str]] = {}
    for c in candidates:
        for r in getattr(c, "reasons", None) or []:
            label = _LABELS.get(str(r.get("k")))
            ids = r.get("ids")
            if r.get("k") == "chains" and isinstance(r.get("paths"), list):
                ids = [h for chain in r["paths"] if isinstance(chain, list) for h in chain]
            if label and isinstance(ids, list):
                wanted.setdefault(label, set()).update(str(i) for i in ids)
    for label, ids in wanted.items():
        for id, node in browse.by_ids(store, label, sorted(ids)).items():
            shown = str(node.get("title") or node.get("name") or id)
            table[id] = {"en": shown, "fr": shown}
    return table


_LABELS = {
    "recommendation": "Recommendation",
    "hubs": "Recommendation",
    "chains": "Recommendation",
    "beside": "Recommendation",
    "contributor": "Signatory",
    "initiative": "Initiative",
    "together": "Initiative",
}


def of(candidate: Any, lang: str, names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A candidate's explanation for a page in `lang`: rendered from its reasons, topics
    and principles by name (`names`: id -> {"en", "fr"}), groups by code; its stored
    English line when it has no reasons."""
    found = getattr(candidate, "reasons", None) or []
    if not found:
        return str(candidate.explanation)
    table = names or {}

    def name(kind: str, id: str) -> str:
        if kind == "working_group":
            return id.upper()
        return table.get(id, {}).get(lang) or id

    return render(found, lang, name)
