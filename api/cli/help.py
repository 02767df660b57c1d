"""How `pariscall ... --help` is laid out, at any terminal width.

Click's plain layout rather than rich's tables: in a narrow terminal rich squeezes its
columns until option names end in '…' and values fold mid-word ('<initiativ e|recommen
dation>'). Text is wrapped between words only, never at a hyphen or inside a long word
(a value such as `ciso-mapping`, cut in two, cannot be typed back), and usage lines name
arguments as they are typed (`PATH...`, not `{paths}...`). Every option names what it
takes (`--wg ID`), never a type (`<str>`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from typer._click.formatting import HelpFormatter as ClickHelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup

F = TypeVar("F", bound=Callable[..., Any])


def wrapped(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken at spaces only (a word longer than
    `width` keeps its own line); paragraphs stay apart."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        lines += textwrap.wrap(
            " ".join(paragraph.split()),
            width=max(width, 10),
            break_long_words=False,
            break_on_hyphens=False,
        )
    return lines


class HelpFormatter(ClickHelpFormatter):
    """Click's layout with the wrapping above."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrapped(text, self.width - self.current_indent):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((len(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            lines = wrapped(second, self.width - first_col - self.current_indent)
            if not lines:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{' ' * (first_col + self.current_indent)}{line}\n")


class HelpContext(typer.Context):
    formatter_class = HelpFormatter


class Command(TyperCommand):
    context_class = HelpContext

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_as_typed(param))
            else:
                pieces += param.get_usage_pieces(ctx)
        return pieces


def _as_typed(argument: TyperArgument) -> str:
    name = argument.metavar or (argument.name or "").upper()
    if argument.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if argument.required else f"[{name}]"


class Group(TyperGroup):
    context_class = HelpContext

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each sub-command with its whole first sentence, wrapped, never cut short."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class CommandLine(typer.Typer):
    """A Typer whose commands and sub-commands are laid out as above."""

    def __init__(self, **options: Any) -> None:
        super().__init__(cls=Group, rich_markup_mode=None, **options)

    def command(self, name: str | None = None, **options: Any) -> Callable[[F], F]:
        options.setdefault("cls", Command)
        return super().command(name, **options)
