"""String rules shared by every model.

Text is stored exactly as given (no silent trimming), so what a user sends comes back
byte for byte; what the engines cannot hold safely (NUL and other control characters)
is refused with a clear message instead.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

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
        raise ValueError(
            f"'{value}' is not a valid id: use lowercase letters, digits and single"
            " '-', '_', '.' or ':' between them (e.g. 'wg6', 'oecd-0481:duty-of-care')"
        )
    return value


Slug = Annotated[str, StringConstraints(max_length=200), AfterValidator(check_slug)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(check_text)]
Prose = Annotated[
    str, StringConstraints(min_length=1, max_length=50_000), AfterValidator(check_text)
]
