"""Cheap streamed scans of a worksheet's XML, so that reading a large sheet stays one pass.

openpyxl's read-only mode sizes every sheet it opens from the sheet's ``<dimension>``
element; when a file has none (files written in streaming mode, as our CSV conversion and
many generators do) it parses the whole sheet to learn that, at every opening. The
element comes before the data by the format's schema, so ``_head_dimensions`` (installed
in place of openpyxl's ``_get_size``) reads only the head of the sheet: the same answer
without the parse. ``row_count`` counts the rows of such a sheet with a byte scan (for the
progress bar and the size limit), and ``has_formulas`` tells whether the parallel read of
the formulas (``reader.iter_rows``) is needed at all. Each scan streams the decompressed
XML in chunks: memory does not grow with the rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
_OVERLAP = 64  # a tag cut by a chunk's end is seen whole in the next one

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]+)"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")

_openpyxl_get_size = ReadOnlyWorksheet._get_size


def _head_dimensions(ws: Any) -> None:
    src = ws._get_source()
    try:
        head = src.read(HEAD_BYTES)
    finally:
        src.close()
    found = _DIMENSION.search(head)
    data = _SHEET_DATA.search(head)
    if found is not None and (data is None or found.start() < data.start()):
        ws._min_column, ws._min_row, ws._max_column, ws._max_row = range_boundaries(
            found.group(1).decode()
        )
    elif data is None:  # a head longer than expected: openpyxl's own way
        _openpyxl_get_size(ws)
    # else: no dimension before the data, none at all (openpyxl finds none either)


ReadOnlyWorksheet._get_size = _head_dimensions


def _chunks(ws: Any) -> Iterator[tuple[int, bytes]]:
    """The sheet's XML in chunks, each preceded by the last ``_OVERLAP`` bytes of the one
    before: (length of that repeated part, bytes)."""
    src = ws._get_source()
    try:
        tail = b""
        while True:
            chunk = src.read(CHUNK_BYTES)
            if not chunk:
                return
            yield len(tail), tail + chunk
            tail = chunk[-_OVERLAP:]
    finally:
        src.close()


def row_count(ws: Any) -> int:
    """The number of ``<row>`` elements of a read-only sheet (blank rows written as rows
    count too). A tag that ends inside the repeated part was counted with the chunk
    before."""
    return sum(
        1 for repeated, chunk in _chunks(ws) for m in _ROW.finditer(chunk) if m.end() > repeated
    )


def has_formulas(ws: Any) -> bool:
    """Whether any cell of a read-only sheet holds a formula."""
    return any(_FORMULA.search(chunk) for _repeated, chunk in _chunks(ws))
