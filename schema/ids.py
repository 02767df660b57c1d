"""Making ids from names, for records created without one."""

from __future__ import annotations

import re
import secrets
import unicodedata


def slugify(text: str, *, max_words: int = 8) -> str:
    """'Sécurité de la chaîne' -> 'securite-de-la-chaine' (ASCII, lowercase, dashes)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())[:max_words]
    return "-".join(words)


def new_id(text: str) -> str:
    """A readable id from a title plus a short random suffix, so two titles never clash."""
    base = slugify(text)[:80].strip("-") or "record"
    return f"{base}-{secrets.token_hex(3)}"
