"""The Forum-readiness report of a working group: one set of data, three renderings
(HTML, Markdown, XLSX), built from the same queries as the web pages."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from analysis import decisions, explanations, gaps, names
from analysis.thresholds import DEFAULT_MIN_SCORE
from graph.browse import repository as browse
from graph.overview import repository as overview
from graph.store import GraphStore
from schema.analysis import (
    Candidate,
    CrosswalkGap,
    CrosswalkPair,
    Gaps,
    StakeholderGap,
    UncoveredGroup,
)
from schema.enums import CandidateBand, CandidateKind, DecisionStatus
from schema.errors import NotFound
from schema.naming import ShownName
from schema.text import cell_text, visible


@dataclass
class ForumReport:
    working_group: dict[str, Any]
    generated_at: datetime
    initiatives: list[dict[str, Any]]
    by_topic: dict[str, list[str]]
    by_principle: dict[str, list[str]]
    confirmed: list[Candidate]
    pending: list[Candidate]  # likely duplicates: from the threshold up
    uncovered_by_source: dict[str, list[str]]
    gaps: Gaps
    crosswalks: list[CrosswalkGap]
    sources: list[dict[str, Any]]
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # the group's and the pairs' initiatives
    recommendations: dict[str, ShownName] = field(default_factory=dict)  # uncovered, by id
    # Live initiatives with neither topic nor principle, and archived ones: every
    # initiative of the group is in the report, those two under their own headings.
    unplaced: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    # Possible duplicates: below the threshold, the most uncertain first (analysis/base_rate.py)
    possible: list[Candidate] = field(default_factory=list)

    def title(self, id: str) -> str:
        """What a person reads for an initiative: its title (the id if none)."""
        return self.titles.get(id) or id

    @property
    def uncovered_total(self) -> int:
        return self.gaps.uncovered_total

    @property
    def probably_by_source(self) -> dict[str, list[str]]:
        """Recommendations only a crosswalk suggestion says are covered, by source."""
        return _by_source(self.gaps.probably_covered)

    @property
    def stakeholders(self) -> StakeholderGap | None:
        """The group's own stakeholder gaps (the report is scoped to one group)."""
        return next(iter(self.gaps.stakeholder_gaps), None)

    def group_name(self, lang: str = "en") -> str:
        """The group's name in `lang` and its code: "Digital supply chain (WG6)"."""
        return f"{_group_name(self.working_group, lang)} ({self.working_group['code'].upper()})"

    def name(self, id: str, lang: str = "en") -> str:
        return self.names.get(id, {}).get(lang) or id

    def recommendation(self, id: str) -> str:
        """An uncovered recommendation as a person reads it: its reference, then its
        name (schema/naming.py)."""
        return str(self.recommendation_name(id))

    def recommendation_name(self, id: str) -> ShownName:
        """The reference and the words apart, for renderings that style them apart."""
        return self.recommendations.get(id) or ShownName(None, id)

    def source_title(self, id: str) -> str:
        """A source as a person reads it: its title (the id if it has none)."""
        return next((str(s["title"]) for s in self.sources if s["id"] == id and s.get("title")), id)

    @property
    def crosswalk_pairs(self) -> tuple[list[CrosswalkPair], int]:
        """The mapped pairs of sources, one line each, and the number with no mapping."""
        return gaps.crosswalk_pairs(self.crosswalks)


def readiness(store: GraphStore) -> list[dict[str, Any]]:
    """Each working group with the counts that matter before the Forum: initiatives it
    tracks (archived ones aside), duplicate pairs still to review (the group page's and the
    report's count: likely ones as `pending`, possible ones below the threshold as
    `possible`), and recommendations none of its active initiatives implements."""
    out = []
    uncovered_counts = gaps.uncovered_counts(store)
    pairs = decisions.count_by_group(
        store,
        CandidateKind.INITIATIVE,
        statuses=[DecisionStatus.CANDIDATE],
        bands={"pending": CandidateBand.LIKELY, "possible": CandidateBand.POSSIBLE},
    )
    for group in overview.groups(store):
        counts = {name: pairs.get(group["id"], {}).get(name, 0) for name in ("pending", "possible")}
        uncovered = uncovered_counts[group["id"]]
        out.append({**group, **counts, "uncovered": uncovered})
    # the groups at work first (confirmed, most initiatives), the unverified last
    return sorted(out, key=lambda g: (g.get("verified") is False, -g["initiatives"], g["code"]))


def build(store: GraphStore, wg: str, *, now: datetime | None = None) -> ForumReport:
    group = browse.by_ids(store, "WorkingGroup", [wg]).get(wg)
    if group is None:
        raise NotFound("working group", wg)
    items = overview.initiatives(store, wg)
    live = [i for i in items if i["status"] != "archived"]
    by_topic: dict[str, list[str]] = defaultdict(list)
    by_principle: dict[str, list[str]] = defaultdict(list)
    for item in live:
        for topic in item["topics"]:
            by_topic[topic].append(item["id"])
        for principle in item["principles"]:
            by_principle[principle].append(item["id"])
    unplaced = [i["id"] for i in live if not i["topics"] and not i["principles"]]
    shares = gaps.crosswalks(store)
    found, naming = gaps.find_gaps_named(store, working_group=wg, crosswalk_shares=shares)
    uncovered = _by_source(found.uncovered_recommendations)
    probably = _by_source(found.probably_covered)

    # the three lists of pairs and their ends' titles in one read
    (confirmed, pending, possible), ends = decisions.list_candidates_in_bands(
        store,
        CandidateKind.INITIATIVE,
        working_group=wg,
        limit=500,
        bands=[
            ([DecisionStatus.CONFIRMED], {"min_score": 0.0}),
            ([DecisionStatus.CANDIDATE], {"min_score": DEFAULT_MIN_SCORE}),
            (
                [DecisionStatus.CANDIDATE],
                decisions.band_filters(CandidateKind.INITIATIVE, CandidateBand.POSSIBLE, None),
            ),
        ],
    )
    titles = {i["id"]: str(i["title"]) for i in items if i.get("title")} | ends
    return ForumReport(
        working_group=group,
        generated_at=now or datetime.now(UTC),
        initiatives=items,
        by_topic=dict(sorted(by_topic.items())),
        by_principle=dict(sorted(by_principle.items())),
        confirmed=confirmed,
        pending=pending,
        possible=possible,
        titles=titles,
        uncovered_by_source=dict(sorted(uncovered.items())),
        recommendations=names.recommendations(
            store,
            [i for ids in [*uncovered.values(), *probably.values()] for i in ids],
            read=naming,
        ),
        unplaced=unplaced,
        archived=[i["id"] for i in items if i["status"] == "archived"],
        gaps=found,
        crosswalks=shares,
        sources=overview.sources(store),
        names=explanations.names_for(store, confirmed + pending + possible),
    )


@dataclass
class GroupPage:
    """What a working group's page shows: one page of its initiatives and their count,
    the pairs to review, the gap figures. Lighter than the report: no recommendation
    names, crosswalks or provenance, and the page's initiatives only."""

    working_group: dict[str, Any]
    initiatives: list[dict[str, Any]]
    total: int
    pending: list[Candidate]
    gaps: Gaps
    names: dict[str, dict[str, str]]
    titles: dict[str, str]
    possible: list[Candidate] = field(default_factory=list)  # below the threshold

    def title(self, id: str) -> str:
        return self.titles.get(id) or id


def group_page(store: GraphStore, wg: str, *, skip: int, limit: int | None) -> GroupPage:
    group = browse.by_ids(store, "WorkingGroup", [wg]).get(wg)
    if group is None:
        raise NotFound("working group", wg)
    items, total = overview.initiatives_page(store, wg, skip=skip, limit=limit)
    (pending, possible), titles = decisions.list_candidates_in_bands(
        store, CandidateKind.INITIATIVE, working_group=wg, limit=500,
        bands=[([DecisionStatus.CANDIDATE],
                decisions.band_filters(CandidateKind.INITIATIVE, band, None))
               for band in (CandidateBand.LIKELY, CandidateBand.POSSIBLE)],
    )  # fmt: skip
    return GroupPage(
        working_group=group,
        initiatives=items,
        total=total,
        pending=pending,
        gaps=gaps.figures(store, working_group=wg),
        names=explanations.names_for(store, pending + possible),
        titles=titles,
        possible=possible,
    )


def _by_source(groups: list[UncoveredGroup]) -> dict[str, list[str]]:
    """Recommendation ids of some gap groups, by source (each once), sources sorted."""
    # dicts as ordered sets: a list's `in` made this quadratic (83 ms for 5,000 ids)
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for group_of in groups:
        out[group_of.source_id].update(dict.fromkeys(group_of.recommendation_ids))
    return {source: list(ids) for source, ids in sorted(out.items())}


def _group_name(group: dict[str, Any], lang: str) -> str:
    """The group's name in the report's language (its French name when it has one)."""
    return str((lang == "fr" and group.get("name_fr")) or group["name"])


# What a Markdown renderer (CommonMark, GFM, and the math and attribute extensions many
# add) could read as markup inside a line, and HTML's own three. Block markers (#, >,
# "1.") count only at the start of a line: stored text never starts one here (its line
# breaks become spaces), but its own start is escaped all the same.
_MARKUP = re.compile(r"[\\`*_\[\]|~{}$&<>]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_NUMBERED = re.compile(r"^\d+(?=[.)])")


def md_text(value: object) -> str:
    """Stored text as literal text of the Markdown report: one line, bidirectional
    controls shown as markers, a leading quote where a spreadsheet program would read a
    formula (as in the CSV export), and no Markdown or HTML markup left live."""
    text = cell_text(" ".join(str(value).splitlines()))
    text = _MARKUP.sub(lambda m: _ENTITIES.get(m[0]) or "\\" + m[0], text)
    if text.startswith("#"):
        return "\\" + text
    return _NUMBERED.sub(lambda m: m[0] + "\\", text, count=1)


def to_markdown(report: ForumReport, *, lang: str = "en") -> str:
    """The report as Markdown: every stored text escaped (md_text), sections in the order
    the pages show them."""
    from analysis.i18n import text

    t = text(lang)
    lines: list[str] = []
    for section in (
        _md_initiatives, _md_duplicates, _md_uncovered, _md_stakeholders, _md_crosswalks,
        _md_provenance,
    ):  # fmt: skip
        lines += section(report, t, lang)
    return visible("\n".join(lines) + "\n")


Words = Mapping[str, str]


def _md_listed(report: ForumReport, by: Mapping[str, list[str]], lang: str) -> list[str]:
    """One line per topic or principle: its name, its count, its initiatives."""
    return [
        f"- **{md_text(report.name(key, lang))}** ({len(ids)}): "
        + "; ".join(md_text(report.title(i)) for i in ids)
        for key, ids in by.items()
    ]


def _md_initiatives(report: ForumReport, t: Words, lang: str) -> list[str]:
    """The title, then every initiative of the group: by topic, by principle, then those
    with neither and the archived ones under their own headings."""
    g = report.working_group
    lines = [
        f"# {t['report_title']} — {md_text(_group_name(g, lang))} ({md_text(g['code'].upper())})",
        "",
        f"{t['generated']} {report.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"## {t['initiatives_by_topic']}",
        "",
        *_md_listed(report, report.by_topic, lang),
        "",
        f"## {t['initiatives_by_principle']}",
        "",
        *_md_listed(report, report.by_principle, lang),
    ]
    for heading, ids, advice in (
        (t["initiatives_unplaced"], report.unplaced, t["initiatives_unplaced_help"]),
        (t["initiatives_archived"], report.archived, None),
    ):
        if ids:
            lines += ["", f"## {heading} ({len(ids)})", ""]
            lines += [advice, ""] if advice else []
            lines += [f"- {md_text(report.title(i))}" for i in ids]
    return lines


def _md_duplicates(report: ForumReport, t: Words, lang: str) -> list[str]:
    """Confirmed, likely and possible duplicate pairs, each with its score and why."""
    lines: list[str] = []
    for heading, pairs in (
        (t["confirmed_duplicates"], report.confirmed),
        (t["pending_duplicates"], report.pending),
        (t["possible_duplicates"], report.possible),
    ):
        lines += ["", f"## {heading} ({len(pairs)})", ""]
        lines += [
            f"- {md_text(report.title(c.a))} ↔ {md_text(report.title(c.b))} — "
            f"{_score(c.score)} — {md_text(explanations.of(c, lang, report.names))}"
            for c in pairs
        ] or [f"- {t['none']}"]
    return lines


def _md_by_source(report: ForumReport, t: Words, by: Mapping[str, list[str]]) -> list[str]:
    return [
        f"- **{md_text(report.source_title(source))}** ({len(ids)}){t['colon']} "
        + "; ".join(md_text(report.recommendation(i)) for i in ids)
        for source, ids in by.items()
    ]


def _md_uncovered(report: ForumReport, t: Words, lang: str) -> list[str]:
    """Recommendations nobody implements, then those probably covered through a suggested
    crosswalk (counted apart, to review)."""
    return [
        "",
        f"## {t['uncovered']} ({report.uncovered_total})",
        "",
        *_md_by_source(report, t, report.uncovered_by_source),
        "",
        t["covered_through_crosswalks"].format(n=report.gaps.covered_through_crosswalks),
        "",
        f"## {t['probably_covered']} ({report.gaps.probably_covered_total})",
        "",
        t["probably_covered_help"],
        "",
        *_md_by_source(report, t, report.probably_by_source),
    ]


def _md_stakeholders(report: ForumReport, t: Words, lang: str) -> list[str]:
    """The kinds of stakeholder and the world regions the group lacks."""
    lines = ["", f"## {t['stakeholder_gaps']}", ""]
    if not report.stakeholders:
        return [*lines, f"- {t['none']}"]
    for heading, missing in (
        (t["missing_kinds"], report.stakeholders.missing_kinds),
        (t["missing_regions"], report.stakeholders.missing_regions),
    ):
        named = ", ".join(md_text(t.get(k, k)) for k in missing) or t["none"]
        lines.append(f"- {heading}{t['colon']} {named}")
    return lines


def _md_crosswalks(report: ForumReport, t: Words, lang: str) -> list[str]:
    """How much of each pair of sources the imported crosswalks map."""
    mapped, unmapped = report.crosswalk_pairs
    lines = ["", f"## {t['crosswalk_coverage']}", ""]
    if mapped:
        lines += [f"| {t['source']} | {t['mapped']} | {t['source']} | {t['mapped']} |"]
        lines += ["|---|---|---|---|"]
        lines += [
            f"| {md_text(report.source_title(p.source_a))} | {p.mapped_a}/{p.total_a} "
            f"| {md_text(report.source_title(p.source_b))} | {p.mapped_b}/{p.total_b} |"
            for p in mapped
        ]
        lines.append("")
    lines.append(t["unmapped_pairs"].format(n=unmapped))
    return lines


def _md_provenance(report: ForumReport, t: Words, lang: str) -> list[str]:
    """Where each recommendation set came from, its version and when it was imported."""
    lines = ["", f"## {t['provenance']}", ""]
    for s in report.sources:
        version = f" {md_text(s['version'])}" if s.get("version") else ""
        imported = (
            f", {t['imported']} {md_text(s['imported_at'][:10])}" if s.get("imported_at") else ""
        )
        lines.append(
            f"- {md_text(s['title'])}{version} ({md_text(s['publisher'])}){t['colon']} "
            f"{s['recommendations']} "
            f"{t['recommendations'].lower()}{imported}"
        )
    return lines


def to_xlsx(report: ForumReport, *, lang: str = "en") -> bytes:
    """The report as a workbook, one sheet per section (analysis/report_sheets.py)."""
    from analysis import report_sheets

    return report_sheets.workbook(report, lang=lang)


def _score(value: float | None) -> str:
    """A pair decided without a suggestion has no score: a dash, not a made-up number."""
    return "—" if value is None else f"{value:.2f}"
