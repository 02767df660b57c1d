"""How a person reads a recommendation's name, wherever it is shown.

Publishers name their requirements unevenly: NIST's catalog titles each task with its own
reference ("PO.1.1") and puts the words in the statement; CISO Assistant libraries give
tasks a reference and a description but no name, and hang beneath them "Example" nodes
with neither name nor reference. One rule names them all, so that pages, reports and the
command line agree, and an id's tail (`node102`) is never what a reader gets:

1. the publisher's reference, with its name;
2. without a name (or a name that only repeats the reference): the first words of its
   description;
3. without either: the parent's name and the node's place among its parent's children.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# As many words of a description as a list of names can carry.
FIRST_WORDS = 12
FIRST_CHARS = 90
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ShownName:
    """A recommendation's reference (None when the publisher gave none) and its words;
    renderings show the two apart (a reference in its own style, then the words)."""

    ref: str | None
    label: str

    def __str__(self) -> str:
        return " — ".join(part for part in (self.ref, self.label) if part)


def first_words(text: str, *, words: int = FIRST_WORDS, chars: int = FIRST_CHARS) -> str:
    """The start of `text` on one line: whole words, an ellipsis when cut."""
    flat = _SPACE.sub(" ", text).strip()
    kept = flat.split(" ")[:words]
    out = " ".join(kept)
    while len(out) > chars and len(kept) > 1:
        kept = kept[:-1]
        out = " ".join(kept)
    if len(out) > chars:
        out = out[:chars].rstrip()
    return out if out == flat else out.rstrip(",;:.") + "…"


def recommendation_name(
    *,
    ref: str | None,
    title: str | None,
    text: str | None,
    parent: ShownName | None = None,
    position: int | None = None,
) -> ShownName:
    """The name of a recommendation by the rule above; `parent` and `position` (from 1)
    are needed only when it has neither name nor description."""
    ref = (ref or "").strip() or None
    name = (title or "").strip()
    if name and name != ref:
        return ShownName(ref, _SPACE.sub(" ", name))
    if text and text.strip():
        return ShownName(ref, first_words(text))
    if ref:
        return ShownName(ref, "")
    if parent is not None:
        return ShownName(None, f"{parent} #{position or 1}")
    return ShownName(None, f"#{position or 1}")
