"""What an import tells the person running it: progress, a summary table, the problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from importers.pipeline import ImportReport
from schema.errors import Problem

out = Console()
# Problem lines are read by people and by grep: never wrapped, whatever the width.
err = Console(stderr=True, soft_wrap=True)


def terminal_bar(label: str, console: Console) -> Progress:
    """A bar with its count and time remaining, gone once done (`label` may name the task's
    fields, as rich's columns do)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


@contextmanager
def progress_bar(name: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback: a bar on a terminal, silent when the output is redirected."""
    if not out.is_terminal:
        yield lambda done, total: None
        return
    with terminal_bar(f"staging {name}", out) as bar:
        task = bar.add_task(name, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def print_summary(report: ImportReport) -> None:
    target = f"source {report.source_id}" if report.kind == "recommendations" else report.kind
    title = f"{report.file} ({report.format}) → {target}"
    if report.dry_run:
        title += " — dry run, nothing written"
    table = Table(title=title, title_justify="left")
    for column in ("created", "updated", "unchanged", "withdrawn", "skipped", "errors"):
        table.add_column(column, justify="right")
    counts = report.counts()
    table.add_row(
        *(
            str(counts.get(c, 0))
            for c in ("created", "updated", "unchanged", "withdrawn", "skipped")
        ),
        "0",
    )
    out.print(table)
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    if report.source_change != "unchanged":
        out.print(f"source {report.source_id}: {report.source_change}")
    if not report.changes_anything:
        out.print("everything unchanged")
    if report.dry_run:
        for label, ids in (
            ("would create", report.created),
            ("would update", report.updated),
            ("would withdraw", report.withdrawn),
        ):
            if ids:
                shown = ", ".join(ids[:10]) + (f" … (+{len(ids) - 10})" if len(ids) > 10 else "")
                out.print(f"{label}: {shown}")
    elif report.run_id:
        out.print(f"import run {report.run_id}")


def print_problems(path: Path, problems: Sequence[Problem]) -> None:
    err.print(f"[bold red]{path}: refused, nothing imported[/] ({len(problems)} problem(s))")
    for problem in problems:
        err.print(f"  {problem}", markup=False, highlight=False)
