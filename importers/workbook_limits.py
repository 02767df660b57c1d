"""Bounds on what a workbook (.xlsx) may unpack to and hold, checked before openpyxl
reads it and while it does. A workbook is a zip: 300 KB of it can unpack to 300 MB (one
repeated string), and a small sheet can make the reader build millions of empty rows or
rows 16,384 cells wide (openpyxl fills the gaps between the cells it finds). Each
refusal is TooLarge (HTTP 413) naming the file.

1. The zip's own numbers, before anything is inflated: its parts and declared sizes.
2. Every part inflated as a stream that stops at the limit, counting the cells on the
   way (zipfile never returns more than a part declares, and a part that unpacks to
   more fails its CRC check, so the declared sizes hold).
3. While the sheet is read: the rows and columns the reader yields, gaps included.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from schema.errors import Problem, TooLarge

MAX_UNPACKED_BYTES = 20_000_000
MAX_PARTS = 1_000
MAX_CELLS = 500_000
MAX_ROWS = 100_000
MAX_COLUMNS = 200

_CHUNK = 1 << 20
# How a cell element starts, with or without a namespace prefix (<c r="A1">, <c/>,
# <x:c>); <col>, <cfRule> and <c:chart> do not. Counted with bytes.count, ten times
# faster than a pattern; text holding ":c " would count too, which only errs on the
# side of refusing.
_CELL_STARTS = tuple(
    start + end for start in (b"<c", b":c") for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")
)
_TAIL = 2  # a cell start cut by the end of a chunk is seen whole with the next one

Row = TypeVar("Row", bound=tuple[object, ...])


def _too_large(path: Path, message: str) -> TooLarge:
    return TooLarge([Problem(message, file=path.name)])


def check_archive(path: Path) -> None:
    """Refuse a workbook that unpacks beyond MAX_UNPACKED_BYTES or holds more than
    MAX_CELLS cells, reading no more than the limit. A file that is not a zip passes:
    the reader says what it is not, in its own words."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _too_large(
                path, f"holds {len(parts):,} parts; a workbook may hold at most {MAX_PARTS:,}"
            )
        declared = sum(part.file_size for part in parts)
        if declared > MAX_UNPACKED_BYTES:
            raise _too_large(
                path,
                f"unpacks to {declared:,} bytes; a workbook may unpack to at most "
                f"{MAX_UNPACKED_BYTES:,}",
            )
        try:
            _count_cells(path, archive, parts)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            # A damaged or lying part (wrong CRC), an unknown method, a password.
            raise ValueError(f"not an .xlsx workbook ({exc})") from exc


def _count_cells(path: Path, archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> None:
    """Inflate every part as a stream, stopping at the size or cell limit."""
    unpacked = cells = 0
    for part in parts:
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise _too_large(
                        path,
                        f"unpacks to more than {MAX_UNPACKED_BYTES:,} bytes, the most a "
                        "workbook may",
                    )
                # Starts within the tail were counted with the previous chunk.
                cells += _cell_starts(tail + chunk) - _cell_starts(tail)
                if cells > MAX_CELLS:
                    raise _too_large(
                        path,
                        f"holds more than {MAX_CELLS:,} cells, the most a workbook may "
                        "(split it into several files)",
                    )
                tail = chunk[-_TAIL:]


def _cell_starts(data: bytes) -> int:
    return sum(data.count(start) for start in _CELL_STARTS)


def bounded_rows(rows: Iterable[Row], path: Path, *, columns: int | None) -> Iterator[Row]:
    """The rows a reader yields, refused past MAX_ROWS rows or MAX_COLUMNS columns (the
    sheet's declared `columns` first: the reader makes every row that wide)."""
    if columns is not None and columns > MAX_COLUMNS:
        raise _too_large(path, _columns_message())
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise _too_large(
                path,
                f"has rows beyond row {MAX_ROWS:,}, the most a sheet may have (delete the "
                "rows below the data, or split the sheet)",
            )
        if len(row) > MAX_COLUMNS:
            raise _too_large(path, _columns_message())
        yield row


def _columns_message() -> str:
    return (
        f"has cells beyond column {MAX_COLUMNS}, the most a sheet may have (delete the "
        "columns right of the data)"
    )
