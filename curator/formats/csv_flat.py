"""The flat Data table as CSV: ``curator export -o OUT.csv``.

The same columns and cell texts as the workbook's Data sheet
(:mod:`curator.formats.flat`): a header of dotted field names, one line per
endpoint row, reported numbers as printed, ``higher_is_better`` as
TRUE/FALSE, citations joined by ``"; "`` (or a JSON list when a key holds a
``;``). UTF-8 with a byte-order mark, so that Excel opens it as UTF-8;
lines end with CRLF as RFC 4180 says.

Every field goes through :func:`curator.formats.cells.csv_safe`: a text
that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1+1``,
``@SUM(A1)``) gets a leading ``'``, as OWASP advises for CSV injection,
while genuine numbers such as ``-1.5`` are left alone. Written atomically.
"""

from __future__ import annotations

import csv
from pathlib import Path

from curator.files import atomic_open
from curator.formats.cells import csv_safe
from curator.formats.flat import DATA_HEADER, Cell, review_rows
from curator.review import Review

__all__ = ["write_csv", "csv_field"]


def csv_field(cell: Cell) -> str:
    """One cell as a CSV field: empty, TRUE/FALSE, or the neutralised text."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    return csv_safe(cell)


def write_csv(review: Review, path: str | Path) -> int:
    """Write the flat Data table of ``review`` to ``path``; returns the number of lines."""
    lines = 0
    with atomic_open(Path(path), "w", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(DATA_HEADER)
        for cells in review_rows(review):
            writer.writerow([csv_field(cell) for cell in cells])
            lines += 1
    return lines
