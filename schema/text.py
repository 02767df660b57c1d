"""String rules shared by every model.

Text is stored exactly as given (no silent trimming), so what a user sends comes back
byte for byte; what the engines cannot hold safely (NUL and other control characters)
is refused with a clear message instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

_FORBIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SLUG_PATTERN = r"[a-z0-9]+(?:[-_.:][a-z0-9]+)*"
_SLUG = re.compile(SLUG_PATTERN)


def check_controls(value: str) -> str:
    """Refuse control characters other than tab and line breaks: the engines cannot hold
    NUL safely, and none of them belongs in a registry's text."""
    found = _FORBIDDEN_CONTROL.search(value)
    if found:
        code = ord(found.group())
        raise ValueError(
            f"contains the control character U+{code:04X} at position {found.start()}; remove it"
        )
    return value


def check_text(value: str) -> str:
    """Refuse control characters other than tab and line breaks, and blank strings."""
    check_controls(value)
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def check_slug(value: str) -> str:
    """Ids are lowercase slugs so they read well in URLs, CLI output and reports."""
    # fullmatch, not match with "$": "$" also matches before a trailing newline.
    if not _SLUG.fullmatch(value):
        # A coded error, so a page can say it in its own language (problem_invalid_id).
        raise PydanticCustomError(
            "invalid_id",
            "'{value}' is not a valid id: use lowercase letters, digits and single"
            " '-', '_', '.' or ':' between them (e.g. 'wg6', 'oecd-0481:duty-of-care')",
            {"value": value},
        )
    return value


Slug = Annotated[str, StringConstraints(max_length=200), AfterValidator(check_slug)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(check_text)]
Prose = Annotated[
    str, StringConstraints(min_length=1, max_length=50_000), AfterValidator(check_text)
]


# Bidirectional embeddings, overrides and isolates: they can make text display in another
# order than it is stored (a title that reads "txt.exe" while being "exe.txt"). They are
# stored as given, so the API returns text byte for byte, and shown as visible markers
# wherever a person reads text (pages, reports, spreadsheets, the command line).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What a spreadsheet program may run as a formula when it opens a cell (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible(value: str) -> str:
    """`value` with bidirectional controls shown as [U+XXXX] instead of obeyed."""
    return _BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


def cell_text(value: str) -> str:
    """A text for a CSV or spreadsheet cell: visible controls, and a leading quote where a
    spreadsheet program would otherwise read a formula."""
    value = visible(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def fold(text: str) -> str:
    """Lower case without accents: 'Sécurité' and 'SECURITE' both give 'securite'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
