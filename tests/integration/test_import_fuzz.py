"""Importing damaged files: every one is refused with problems naming the file, or
imported; none crashes, and a refused one leaves the registry as it was.

The files are the test data's recommendation sets (native JSON and YAML, OSCAL, CISO
Assistant) and spreadsheet, each damaged at random: values swapped for ones of the
wrong type, keys and list items removed or repeated, control characters, huge texts.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.store import GraphStore
from importers.pipeline import run_import
from schema.errors import ValidationFailed
from tests.support.catalogs import registry

DATA = Path(__file__).resolve().parents[1] / "data"

FILES = ["catalog-v1.json", "oecd-themes.json", "oecd-themes.yaml", "library-fr.yaml"]
ODD: list[Any] = [None, 5, -1, 2**70, 1.5, True, "", "x", [], {}, [1, [2]], {"a": {"b": None}},
                  "\x00", "\x07bell", "é" * 60_000]  # fmt: skip


def damage(value: Any, rng: random.Random, depth: int = 0) -> None:
    """Change one thing somewhere inside `value` (a dict or a list), in place."""
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        roll = rng.random()
        if roll < 0.2:
            del value[key]
        elif roll < 0.6 or depth > 6:
            value[key] = copy.deepcopy(rng.choice(ODD))
        else:
            damage(value[key], rng, depth + 1)
    elif isinstance(value, list) and value:
        index = rng.randrange(len(value))
        roll = rng.random()
        if roll < 0.2:
            value.pop(index)
        elif roll < 0.5 or depth > 6:
            value[index] = copy.deepcopy(rng.choice(ODD))
        elif roll < 0.6:
            value.append(copy.deepcopy(value[index]))
        else:
            damage(value[index], rng, depth + 1)


def damaged_file(seed: int, folder: Path) -> Path:
    rng = random.Random(seed)
    name = rng.choice([*FILES, "initiatives.csv"])
    text = (DATA / name).read_text(encoding="utf-8")
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text)))
        for _ in range(rng.randrange(1, 4)):
            row = rows[rng.randrange(len(rows))]
            row[rng.randrange(len(row))] = str(rng.choice(ODD))
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        damaged = out.getvalue()
    else:
        data = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        for _ in range(rng.randrange(1, 4)):
            damage(data, rng)
        if name.endswith(".json"):
            damaged = json.dumps(data)
        else:
            damaged = yaml.safe_dump(data, allow_unicode=True)
    path = folder / f"{seed}-{name}"
    path.write_text(damaged, encoding="utf-8")
    return path


@pytest.mark.parametrize("block", range(4))
def test_damaged_files_are_refused_cleanly_or_imported(
    store: GraphStore, tmp_path: Path, block: int
) -> None:
    refused = 0
    for seed in range(block * 40, block * 40 + 40):
        path = damaged_file(seed, tmp_path)
        try:
            run_import(store, path)
        except ValidationFailed as exc:
            refused += 1
            assert exc.problems, seed
            assert all(p.file == path.name for p in exc.problems), (seed, exc.problems)
            assert registry(store) == [], seed
        except Exception as exc:  # a crash, or a refusal that names no file
            pytest.fail(f"seed {seed} ({path.name}): {exc!r}")
        store.clear()
        store.apply_schema()
    # the damage is meant to break most files, not all of them
    assert 10 <= refused < 40
