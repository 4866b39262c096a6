"""Text that a spreadsheet must never run as a formula.

In workbooks, every text from a review is written as a string cell
(XlsxWriter's ``write_string``, see :func:`curator.formats.xlsx_export.write_text`),
which Excel never evaluates. A CSV file has no cell types, so
:func:`csv_safe` neutralises formulas as OWASP advises for CSV injection (a
leading ``'`` before ``= + - @``, tab and CR) without touching genuine
numbers such as ``-1.5``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from xlsxwriter import Workbook
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

__all__ = [
    "csv_safe",
    "write_text",
    "row_height",
    "wrapped_lines",
    "FORMULA_TRIGGERS",
    "EXCEL_TEXT_LIMIT",
    "Cut",
    "cut_mark",
    "is_cut",
    "collecting_cuts",
    "close_workbook",
]

_LINE_HEIGHT = 15.0  # points per line of 11-point text
_MAX_HEIGHT = 409.0  # Excel's limit
#: The most characters an Excel cell holds.
EXCEL_TEXT_LIMIT = 32_767

#: The end of a text cut to fit a cell: what :func:`is_cut` recognises.
CUT_END = " characters; the full text is in the JSON export]"
_CUT = re.compile(r"… \[cut: ([\d,]+)" + re.escape(CUT_END) + r"$")


@dataclass(frozen=True)
class Cut:
    """A text cut to fit a cell: where (``Sheet!C5``) and how long it was."""

    cell: str
    length: int


_cuts: ContextVar[list[Cut] | None] = ContextVar("curator_cuts", default=None)


def cut_mark(length: int) -> str:
    """What ends a text of ``length`` characters cut to fit a cell."""
    return f"… [cut: {length:,}{CUT_END}"


def is_cut(text: str) -> int | None:
    """The full length of a text :func:`write_text` cut (it ends with :func:`cut_mark`), else None."""
    if len(text) != EXCEL_TEXT_LIMIT:
        return None
    found = _CUT.search(text)
    return int(found.group(1).replace(",", "")) if found else None


@contextmanager
def collecting_cuts() -> Iterator[list[Cut]]:
    """The texts :func:`write_text` cuts inside the block, in the order written."""
    cuts: list[Cut] = []
    token = _cuts.set(cuts)
    try:
        yield cuts
    finally:
        _cuts.reset(token)


#: Leading characters a spreadsheet may read as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def csv_safe(value: str) -> str:
    """A CSV field that a spreadsheet will show as text, not run as a formula.

    Genuine numbers (``-1.5``, ``+3``) are left alone, so they stay numbers.
    """
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def write_text(ws: Worksheet, row: int, col: int, text: str | None, fmt: Format | None = None) -> None:
    """Text into a workbook cell, always as text: never a formula, a number or
    a link, whatever it starts with (``=``, ``+``, ``-``, ``@``, ``http://``).

    A text longer than a cell holds is cut to fit, ending with a visible
    mark (:func:`cut_mark`), and said (:func:`collecting_cuts`). (XlsxWriter
    writes control characters as ``_xHHHH_`` escapes, which Excel and
    openpyxl read back as the characters.)
    """
    if text is None or text == "":
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    if len(text) > EXCEL_TEXT_LIMIT:
        from xlsxwriter.utility import xl_rowcol_to_cell

        mark = cut_mark(len(text))
        cuts = _cuts.get()
        if cuts is not None:
            cuts.append(Cut(f"{ws.name}!{xl_rowcol_to_cell(row, col)}", len(text)))
        text = text[: EXCEL_TEXT_LIMIT - len(mark)] + mark
    ws.write_string(row, col, text, fmt)


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines ``text`` takes when wrapped at word boundaries to ``per_line``
    characters (a word longer than a line is broken), as a spreadsheet wraps it."""
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= per_line:
            lines += 1
            continue
        count, used = 1, 0
        for word in paragraph.split():
            size = len(word)
            need = size if used == 0 else used + 1 + size
            if need <= per_line:
                used = need
                continue
            if used:
                count += 1
            extra = (size - 1) // per_line
            count += extra
            used = size - extra * per_line
        lines += count
    return lines


def row_height(texts: Sequence[str | None], widths: Sequence[int], chars_per_width: float = 1.15) -> float | None:
    """The height that shows every wrapped line, or None for a single line.

    Neither Excel nor LibreOffice grows a row for wrapped text on opening a
    file, so the height is estimated from the words and the column width:
    1.15 characters per unit of width holds for Calibri and for DejaVu Sans,
    which LibreOffice prints where Calibri and Carlito are missing (it fits
    about 1.3); bold text wants 0.95.
    """
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        if not text:
            continue
        per_line = max(1, int(width * chars_per_width))
        if len(text) > per_line or "\n" in text:
            lines = max(lines, wrapped_lines(text, per_line))
    return None if lines == 1 else min(_MAX_HEIGHT, lines * _LINE_HEIGHT)


def close_workbook(wb: Workbook, path: Path, what: str = "the workbook") -> None:
    """Close (write out) an XlsxWriter workbook; an OS error becomes a :class:`CuratorError` naming ``path``
    and why (``the disk is full``).

    When writing fails, XlsxWriter leaves its zip file open, and Python's
    ``ZipFile.__del__`` later tries again and prints a traceback after the
    message: that zip file is closed here, quietly, first.
    """
    import contextlib
    import zipfile

    from xlsxwriter.exceptions import XlsxWriterException

    from curator.errors import CuratorError
    from curator.files import os_reason

    try:
        wb.close()
    except (XlsxWriterException, OSError) as exc:
        cause: BaseException | None = exc
        reason = str(exc)
        while cause is not None:
            if isinstance(cause, OSError):
                reason = os_reason(cause)
            tb = cause.__traceback__
            while tb is not None:
                for value in tb.tb_frame.f_locals.values():
                    if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                        with contextlib.suppress(OSError, ValueError):
                            value.fp.close()
                        value.fp = None
                tb = tb.tb_next
            cause = cause.__cause__ or cause.__context__
        if isinstance(exc, XlsxWriterException) and exc.args and isinstance(exc.args[0], OSError):
            reason = os_reason(exc.args[0])
        raise CuratorError(f"{path}: cannot write {what}: {reason}") from None
