"""Parsing the project's sources for the static tests, with the collector paused.

CPython 3.11's compiler checks its own recursion count while it builds an AST; a garbage
collection in the middle can run finalizers of objects earlier tests left behind, and the
check then fails with "SystemError: AST constructor recursion depth mismatch" (seen once in
CI on an unchanged file). Nothing is collected while a source is parsed here.
"""

from __future__ import annotations

import ast
import gc


def parse(source: str) -> ast.Module:
    paused = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(source)
    finally:
        if paused:
            gc.enable()
