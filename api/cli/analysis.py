"""`pariscall analyze ...` and `pariscall export mappings`: the analyses from a terminal.

Tables are for people; JSON and CSV go to standard output for scripts, while progress
and estimates go to standard error so they never mix with the data.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from analysis import decisions, explanations, gaps
from analysis import names as recommendation_names
from analysis.i18n import text
from analysis.thresholds import store_floor
from api.cli.help import CommandLine
from api.cli.session import fail, graph_session
from graph.audit import UnitOfWork
from graph.browse import repository as browse
from graph.overview import repository as overview
from graph.store import GraphStore
from schema.analysis import Candidate, Gaps
from schema.enums import CandidateBand, CandidateKind, DecisionStatus
from schema.text import cell_text, visible

if TYPE_CHECKING:
    from analysis.duplicates import RefreshReport

analyze_app = CommandLine(help="Find duplicates and gaps.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", metavar="FORMAT", help="table (to read), json or csv (to process further)."
    ),
]


class _EmbeddingProgress:
    """Tells how long the embedding will take, then shows a bar (on a terminal only)."""

    def __init__(self, bar: Progress | None) -> None:
        self.bar = bar
        self.task: Any = None

    def started(self, total: int) -> None:
        err.print(f"embedding {total} text(s) that are new or changed")
        if self.bar is not None:
            self.task = self.bar.add_task("embedding", total=total)

    def estimated(self, seconds: float) -> None:
        err.print(f"about {seconds:.0f} s to go (the next runs reuse these embeddings)")

    def advanced(self, count: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, count)


@contextmanager
def _progress() -> Iterator[_EmbeddingProgress]:
    from importers.report import terminal_bar

    if not err.is_terminal:
        yield _EmbeddingProgress(None)
        return
    with terminal_bar("{task.description}", err) as bar:
        yield _EmbeddingProgress(bar)


def _candidate_row(c: Candidate) -> dict[str, Any]:
    row: dict[str, Any] = {
        "a": c.a,
        "b": c.b,
        "score": c.score,
        "status": c.status.value,
        "semantic": c.parts.semantic,
        "lexical": c.parts.lexical,
        "graph": c.parts.graph,
        "cross_language": c.parts.cross_language,
        "explanation": c.explanation,
    }
    if c.kind is CandidateKind.RECOMMENDATION:
        row["relation"] = c.relation.value if c.relation else None
        row["confidence"] = c.confidence
        row["paths"] = [p.model_dump(mode="json") for p in c.paths]
    return row


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A row for CSV: each path as "hub → hub (relation)", paths separated by " | "."""
    if "paths" not in row:
        return row
    shown = [" → ".join(h["name"] for h in p["via"]) + f" ({p['relation']})" for p in row["paths"]]
    return row | {"paths": " | ".join(shown)}


def _write_csv(rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(
            {k: cell_text(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows
        )
    sys.stdout.write(buffer.getvalue())


@analyze_app.command("duplicates")
def duplicates_command(
    kind: Annotated[
        CandidateKind,
        typer.Option(metavar="KIND", help="What to compare: initiative or recommendation."),
    ] = CandidateKind.INITIATIVE,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0.0,
            max=1.0,
            metavar="SCORE",
            help="Lowest score shown (default: the kind's calibrated threshold).",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    status: Annotated[
        list[DecisionStatus] | None,
        typer.Option(
            metavar="STATUS",
            help="candidate, confirmed, rejected or published; repeatable (default: "
            "candidate and confirmed).",
        ),
    ] = None,
    working_group: Annotated[
        str | None,
        typer.Option("--wg", metavar="ID", help="Only pairs involving this working group."),
    ] = None,
    recompute: Annotated[
        bool, typer.Option("--refresh/--no-refresh", help="Recompute suggestions first.")
    ] = True,
    band: Annotated[
        CandidateBand | None,
        typer.Option(
            metavar="BAND",
            help="likely: from the threshold up, best first; possible: below it, the "
            "pairs whose decision teaches the score most first (default: from --min-score).",
        ),
    ] = None,
) -> None:
    """Suggest pairs that may be duplicates (initiatives) or crosswalks (recommendations)."""

    statuses = status or [DecisionStatus.CANDIDATE, DecisionStatus.CONFIRMED]
    if band is CandidateBand.POSSIBLE and not status:
        statuses = [DecisionStatus.CANDIDATE]  # decided pairs are in no band below
    filters = decisions.band_filters(kind, band, min_score)
    min_score = float(filters["min_score"])
    with graph_session(code=1) as store:
        store.apply_schema()
        if recompute:
            # Imported here: scoring needs numpy and scipy, which `pariscall serve` (whose
            # workers import this command line) never loads.
            from analysis.duplicates import refresh

            with _progress() as progress:
                report = refresh(suggesting(store), kind, progress=progress)
            _print_refresh(report)
        found = decisions.list_candidates(
            store,
            kind,
            statuses=statuses,
            working_group=working_group,
            limit=1_000_000,
            **filters,
        )
        titles, names = _names(store, kind, found) if fmt is OutputFormat.TABLE else ({}, {})
    rows = [_candidate_row(c) for c in found]
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt is OutputFormat.CSV:
        _write_csv([_flat(row) for row in rows])
    else:
        below = filters.get("below")
        upper = f" and < {below:.2f}" if below is not None else ""
        typer.echo(f"{len(rows)} pair(s) with score ≥ {min_score:.2f}{upper}")
        _print_pairs(found, rows, titles, names)


def _names(
    store: GraphStore, kind: CandidateKind, found: list[Candidate]
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Each end's name and the reasons' names, as the pages show them (JSON and CSV keep
    the stored ids and line)."""
    label = "Initiative" if kind is CandidateKind.INITIATIVE else "Recommendation"
    ends = sorted({x for c in found for x in (c.a, c.b)})
    titles = {id: str(n.get("title") or id) for id, n in browse.by_ids(store, label, ends).items()}
    if kind is CandidateKind.RECOMMENDATION:  # named as the pages name them
        titles = recommendation_names.as_text(recommendation_names.recommendations(store, ends))
    return titles, explanations.names_for(store, found)


def _print_pairs(
    found: list[Candidate],
    rows: list[dict[str, Any]],
    titles: dict[str, str],
    names: dict[str, dict[str, str]],
) -> None:
    """The table: each pair's score and status, its two ends by name, and why."""
    for candidate, row in zip(found, rows, strict=True):
        score = "—" if row["score"] is None else f"{row['score']:.2f}"
        typer.echo("")
        _echo_wrapped(f"{score} {row['status']}")
        for end in (row["a"], row["b"]):
            _echo_wrapped(f"  - {titles.get(end, end)} [{end}]")
        line = explanations.of(candidate, "en", names)
        if row.get("relation"):
            line = f"{row['relation']}: {line}"
        _echo_wrapped(f"    {line}")


def _print_refresh(report: RefreshReport) -> None:
    floor = store_floor(report.kind)
    err.print(
        f"{report.records} {report.kind.value}(s), {report.embedded} embedded, "
        f"{report.compared} close pair(s) compared, {report.candidates} suggestion(s) at or "
        f"above the default threshold {report.threshold:.2f} ({report.stored} kept from "
        f"{floor:.2f}) in {report.seconds:.1f} s",
        highlight=False,
    )
    learned = report.calibration
    if learned:
        decided = learned["confirmed"] + learned["rejected"]
        err.print(
            f"scores adjusted to this registry: about {learned['prior']:.0%} of close pairs "
            f"are duplicates (the model was fitted where {learned['training_prior']:.0%} "
            f"were); {decided} decision(s) learned ({learned['confirmed']} confirmed, "
            f"{learned['rejected']} rejected)",
            highlight=False,
        )


def _gap_rows(found: Gaps) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "gap": gap,
            "subject": group.source_id,
            "detail": group.topic_id or "",
            "count": group.count,
            "ids": " ".join(group.recommendation_ids),
        }
        for gap, groups in (
            ("uncovered_recommendations", found.uncovered_recommendations),
            ("probably_covered", found.probably_covered),
        )
        for group in groups
    ]
    for topic in found.topics_without_initiatives:
        rows.append(
            {
                "gap": "topic_without_initiative",
                "subject": topic,
                "detail": "",
                "count": 1,
                "ids": topic,
            }
        )
    for principle in found.principles_without_initiatives:
        rows.append(
            {
                "gap": "principle_without_initiative",
                "subject": principle,
                "detail": "",
                "count": 1,
                "ids": principle,
            }
        )
    for s in found.stakeholder_gaps:
        if s.missing_kinds:
            rows.append(
                {
                    "gap": "missing_stakeholders",
                    "subject": s.working_group_id,
                    "detail": "kinds",
                    "count": len(s.missing_kinds),
                    "ids": " ".join(s.missing_kinds),
                }
            )
        if s.missing_regions:
            rows.append(
                {
                    "gap": "missing_regions",
                    "subject": s.working_group_id,
                    "detail": "regions",
                    "count": len(s.missing_regions),
                    "ids": " ".join(s.missing_regions),
                }
            )
    for c in found.crosswalk_gaps:
        rows.append(
            {
                "gap": "crosswalk",
                "subject": c.source_a,
                "detail": c.source_b,
                "count": c.mapped,
                "ids": f"{c.mapped}/{c.total} ({c.share:.0%})",
            }
        )
    return rows


@analyze_app.command("gaps")
def gaps_command(
    fmt: FormatOption = OutputFormat.TABLE,
    working_group: Annotated[
        str | None,
        typer.Option(
            "--wg", metavar="ID", help="Judge coverage by this working group's initiatives."
        ),
    ] = None,
) -> None:
    """What nobody covers: recommendations, topics, principles, stakeholders, crosswalks."""

    with graph_session(code=1) as store:
        found = gaps.find_gaps(store, working_group=working_group)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    if fmt is OutputFormat.CSV:
        _write_csv(_gap_rows(found))
        return
    with graph_session(code=1) as store:
        titles = overview.source_titles(store)
        names = overview.names(store)
        ids = [
            i
            for g in [*found.uncovered_recommendations, *found.probably_covered]
            for i in g.recommendation_ids
        ]
        shown = recommendation_names.as_text(recommendation_names.recommendations(store, ids))
    for line in _gap_lines(found, working_group, titles, names, shown):
        _echo_wrapped(line)


def _gap_lines(
    found: Gaps,
    working_group: str | None,
    titles: dict[str, str],
    names: dict[str, dict[str, str]],
    shown: dict[str, str],
) -> Iterator[str]:
    """The gaps as a person reads them: what is uncovered first, by source and topic, named;
    then topics and principles with no active initiative, missing stakeholders, and the
    crosswalks that exist (the empty ones counted, not listed)."""

    def name(id: str | None) -> str:
        return names.get(id or "", {}).get("en") or (id or "no topic yet")

    judged = f"the initiatives of {working_group.upper()}" if working_group else "all initiatives"
    yield f"Gaps, judged by {judged} (active or completed ones cover)."
    yield ""
    yield f"{found.uncovered_total} recommendation(s) implemented by no active initiative:"
    by_source: dict[str, list[Any]] = {}
    for group in found.uncovered_recommendations:
        by_source.setdefault(group.source_id, []).append(group)
    for source, groups in sorted(by_source.items(), key=lambda s: titles.get(s[0], s[0])):
        yield f"  {titles.get(source, source)} [{source}]"
        for g in sorted(groups, key=lambda g: name(g.topic_id)):
            named = "; ".join(shown.get(i, i) for i in g.recommendation_ids)
            yield f"    - {name(g.topic_id)} ({g.count}): {named}"
    yield (
        f"{found.covered_through_crosswalks} more covered through a published or confirmed "
        f"crosswalk; {found.probably_covered_total} probably covered (a suggestion to review)"
        + (":" if found.probably_covered else ".")
    )
    for g in found.probably_covered:
        named = "; ".join(shown.get(i, i) for i in g.recommendation_ids)
        yield f"    - {titles.get(g.source_id, g.source_id)}: {named}"
    for heading, ids in (
        ("Topics without an active initiative", found.topics_without_initiatives),
        ("Principles without an active initiative", found.principles_without_initiatives),
    ):
        yield ""
        yield f"{heading} ({len(ids)}): " + ("; ".join(name(i) for i in ids) or "none")
    words = text("en")
    for s in found.stakeholder_gaps:
        missing = [
            f"no {what}: " + ", ".join(words.get(k, k) for k in keys)
            for what, keys in (
                ("member of kind", s.missing_kinds),
                ("member from", s.missing_regions),
            )
            if keys
        ]
        yield ""
        yield (
            f"Stakeholders of {s.working_group_id.upper()}: "
            + ("; ".join(missing) or "none missing")
            + "."
        )
    pairs, unmapped = gaps.crosswalk_pairs(found.crosswalk_gaps)
    yield ""
    yield f"Crosswalks: {len(pairs)} pair(s) of sources mapped, {unmapped} with no mapping yet."
    for p in pairs:
        yield (
            f"  - {titles.get(p.source_a, p.source_a)} {p.mapped_a}/{p.total_a} "
            f"<-> {titles.get(p.source_b, p.source_b)} {p.mapped_b}/{p.total_b}"
        )


def _echo_wrapped(line: str) -> None:
    """Print a line wrapped at the terminal's width between words only: an id cut in two
    cannot be copied back."""
    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    indent = " " * (len(line) - len(line.lstrip(" -")))
    wrapped = textwrap.wrap(
        visible(line),
        width=width,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    typer.echo("\n".join(wrapped) if wrapped else "")


def export_mappings(output: Path, fmt: str) -> None:
    """Write confirmed crosswalks as an OSCAL mapping collection."""
    from analysis.oscal_mappings import mapping_collection

    if fmt != "oscal":
        fail(f"mappings are exported as OSCAL only: use --format oscal, not '{fmt}'")
    with graph_session(code=1) as store:
        document = mapping_collection(store)
    maps = sum(len(m["maps"]) for m in document["mapping-collection"]["mappings"])
    if maps == 0:
        fail("no accepted crosswalk to export: accept suggested mappings first", code=1)
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    typer.echo(f"{maps} accepted mapping(s) written to {output} (OSCAL mapping collection)")


def report_command(
    wg: Annotated[str, typer.Option("--wg", metavar="ID", help="The working group, e.g. wg6.")],
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="html, md or xlsx.")
    ] = "html",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="File to write (default: forum-report-WG.FORMAT).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option(metavar="LANG", help="en or fr.")] = "en",
) -> None:
    """Write a working group's Forum-readiness report."""
    from analysis import report
    from api.web.pages import render_report_html

    if fmt not in ("html", "md", "xlsx"):
        fail(f"--format must be html, md or xlsx, not '{fmt}'")
    if lang not in ("en", "fr"):
        fail(f"--lang must be en or fr, not '{lang}'")
    target = output or Path(f"forum-report-{wg}.{fmt}")
    with graph_session(code=1) as store:
        data = report.build(store, wg)
    if fmt == "xlsx":
        target.write_bytes(report.to_xlsx(data, lang=lang))
    else:
        body = (
            report.to_markdown(data, lang=lang)
            if fmt == "md"
            else render_report_html(data, lang=lang)
        )
        target.write_text(body, encoding="utf-8")
    typer.echo(f"report of {wg} written to {target}")


@analyze_app.command("topics")
def topics_command(
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Suggest topics for recommendations that have none (accept them on the /topics page)."""
    from analysis import topics

    with graph_session(code=1) as store:
        report = topics.suggest(store)
        found = topics.suggestions(store)
        missing = topics.untagged_by_source(store)
    if fmt is not OutputFormat.TABLE:
        rows = [
            {"source": s.source_id, "recommendation": s.recommendation, "topic": s.topic,
             "score": s.score}
            for items in found.values() for s in items
        ]  # fmt: skip
        if fmt is OutputFormat.JSON:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            _write_csv(rows)
        return
    err.print(
        f"{report.untagged} recommendation(s) without a topic, {report.suggested} with a "
        f"suggestion ({report.suggestions} suggestion(s) stored)",
        highlight=False,
    )
    table = Table(title="no topic yet, by source", title_justify="left")
    for column in ("source", "without a topic", "suggestions"):
        table.add_column(column)
    for source, count in sorted(missing.items()):
        table.add_row(visible(source), str(count), str(len(found.get(source, []))))
    Console().print(table)


def suggesting(store: GraphStore) -> UnitOfWork:
    """The unit of a recompute asked from the command line: suggestions are derived
    data, so, as ever, it records no audit event (the GraphQL refresh records one)."""
    return UnitOfWork.system(store, "recompute suggestions")
