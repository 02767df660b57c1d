"""Every setting lives in `Settings` and in the README's configuration table: a switch
read from the environment anywhere else, or missing from the table, is one an operator
cannot find (PARISCALL_DEBUG and the shortcuts switch once were)."""

from __future__ import annotations

import re
from pathlib import Path

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "graph", "schema", "importers", "analysis")


def _table_names() -> set[str]:
    """PARISCALL_ names in the README table's first column (`/ _SUFFIX` forms expanded)."""
    names: set[str] = set()
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `PARISCALL_"):
            continue
        first = line.split("|")[1]
        full = re.findall(r"`(PARISCALL_[A-Z0-9_]+)`", first)
        names.update(full)
        stem = full[0].rsplit("_", 2)[0] if full else ""
        for suffix in re.findall(r"`(_[A-Z0-9_]+)`", first):
            candidates = [f"{stem}{suffix}", f"PARISCALL{suffix}"]
            names.update(
                c
                for c in candidates
                if c.removeprefix("PARISCALL_").lower() in Settings.model_fields
            )
    return names


def test_every_setting_is_in_the_readme_table() -> None:
    documented = _table_names()
    missing = sorted(
        f"PARISCALL_{name.upper()}" for name in Settings.model_fields
        if f"PARISCALL_{name.upper()}" not in documented
    )  # fmt: skip
    assert not missing, f"settings missing from the README's configuration table: {missing}"


def test_no_setting_is_named_outside_settings() -> None:
    known = {f"PARISCALL_{name.upper()}" for name in Settings.model_fields}
    unknown = {
        f"{path.relative_to(ROOT)}: {name}"
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for name in re.findall(r"PARISCALL_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8"))
        if name not in known
    }
    assert not unknown, sorted(unknown)
