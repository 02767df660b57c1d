"""Hostile workbooks built by the tests: real .xlsx files (written by openpyxl) with one
part replaced by one that unpacks far beyond its packed size.

Compressing 300 MB takes seconds, so a part is deflated once per distinct block: after a
full flush the compressor starts afresh, so the same block always deflates to the same
bytes, and the stream of a repetitive part is those bytes repeated. The zip is written
by hand (its format is small) because zipfile only writes what it compresses itself.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook


@dataclass(frozen=True)
class Part:
    name: str
    deflated: bytes
    crc: int
    size: int  # what it unpacks to
    declared: int  # what the zip says it unpacks to (a liar says less)


def deflated(head: bytes, block: bytes, times: int, tail: bytes, name: str) -> Part:
    """The part `head + block * times + tail`, deflated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * times + len(tail)
    return Part(name, start + middle * times + end, crc, size, size)


def plain(name: str, data: bytes) -> Part:
    return deflated(data, b"", 0, b"", name)


def write_zip(path: Path, parts: list[Part]) -> None:
    """A zip of already deflated parts (no zip64: every size stays under 4 GiB)."""
    out = io.BytesIO()
    central = b""
    for part in parts:
        offset = out.tell()
        name = part.name.encode()
        fields = (20, 0, 8, 0, 0x21, part.crc, len(part.deflated), part.declared, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + part.deflated)
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + name
        )
    start = out.tell()
    out.write(central)
    count = len(parts)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0))
    path.write_bytes(out.getvalue())


def workbook_parts(rows: list[list[str]]) -> dict[str, bytes]:
    """The parts of a real one-sheet workbook holding `rows` (strings go to sharedStrings)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


HEADER = ["id", "title", "language"]


def xlsx_with(path: Path, replaced: Part, rows: list[list[str]] | None = None) -> Path:
    """A real workbook of `rows` (an initiatives header and one row by default) whose part
    of the same name is `replaced`."""
    found = workbook_parts(rows or [HEADER, ["bomb-1", "A title", "en"]])
    parts = [
        replaced if name == replaced.name else plain(name, data) for name, data in found.items()
    ]
    write_zip(path, parts)
    return path


_TITLE_CELL = b'<c r="B2" t="inlineStr"><is><t>A title</t></is></c>'
_SHARED = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)
_SHARED_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def text_bomb(path: Path, *, unpacked: int, shared: bool, declared: int | None = None) -> Path:
    """A workbook of one initiative whose title is `unpacked` bytes of 'A', in the shared
    strings (as spreadsheet programs write them) or inline in the sheet; the zip may
    declare less than the part unpacks to (`declared`)."""
    found = workbook_parts([HEADER, ["bomb-1", "A title", "en"]])
    block = b"A" * 1_000_000
    times = unpacked // len(block)
    sheet = found["xl/worksheets/sheet1.xml"]
    if shared:
        found["xl/worksheets/sheet1.xml"] = sheet.replace(
            _TITLE_CELL, b'<c r="B2" t="s"><v>0</v></c>'
        )
        rels = found["xl/_rels/workbook.xml.rels"]
        found["xl/_rels/workbook.xml.rels"] = rels.replace(
            b"</Relationships>", _SHARED + b"</Relationships>"
        )
        types = found["[Content_Types].xml"]
        found["[Content_Types].xml"] = types.replace(b"</Types>", _SHARED_TYPE + b"</Types>")
        head = (
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.'
            b'org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        part = deflated(head, block, times, b"</t></si></sst>", "xl/sharedStrings.xml")
    else:
        before, after = sheet.split(b"A title", 1)
        part = deflated(before, block, times, after, "xl/worksheets/sheet1.xml")
    if declared is not None:
        part = Part(part.name, part.deflated, part.crc, part.size, declared)
    parts = [plain(name, data) for name, data in found.items() if name != part.name]
    write_zip(path, [*parts, part])
    return path


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def sheet_part(body_head: bytes, block: bytes, times: int, body_tail: bytes) -> Part:
    """A first sheet of `body_head + block * times + body_tail` inside <worksheet>."""
    return deflated(
        SHEET_HEAD + body_head,
        block,
        times,
        body_tail + b"</worksheet>",
        "xl/worksheets/sheet1.xml",
    )
