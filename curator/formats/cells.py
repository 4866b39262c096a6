"""Text that a spreadsheet must never run as a formula.

In workbooks, every text from a review is written as a string cell
(XlsxWriter's ``write_string``, see :func:`curator.formats.xlsx_export.write_text`),
which Excel never evaluates. A CSV file has no cell types, so
:func:`csv_safe` neutralises formulas as OWASP advises for CSV injection (a
leading ``'`` before ``= + - @``, tab and CR) without touching genuine
numbers such as ``-1.5``.
"""

from __future__ import annotations

import math
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
    "write_row",
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
        text = _cut(ws, row, col, text)
    ws.write_string(row, col, text, fmt)


def _cut(ws: Worksheet, row: int, col: int, text: str) -> str:
    """``text`` cut to fit a cell, with its mark, and said (:func:`collecting_cuts`)."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    mark = cut_mark(len(text))
    cuts = _cuts.get()
    if cuts is not None:
        cuts.append(Cut(f"{ws.name}!{xl_rowcol_to_cell(row, col)}", len(text)))
    return text[: EXCEL_TEXT_LIMIT - len(mark)] + mark


#: What makes a text more than its characters in a sheet's XML: a control character, an XML
#: special, a non-character or a literal ``_xHHHH_`` (XlsxWriter's escapes), or a space at
#: either end (``xml:space="preserve"``). Most texts have none: one search tells.
_NOT_PLAIN = re.compile("[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\\s|\\s$")
#: Column letters by index (A, B, ... AA), made as needed.
_COLUMNS: list[str] = []


def _column_name(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(col))


def write_row(
    ws: Worksheet,
    row: int,
    values: Sequence[str | float | bool | None],
    formats: Sequence[Format | None],
    height: float | None = None,
) -> None:
    """A whole row of cells at once, the cells XlsxWriter's own ``write_string`` /
    ``write_number`` / ``write_boolean`` / ``write_blank`` and ``set_row`` would write, at about a
    fifth of their cost in its constant-memory mode: the row's XML goes straight to the sheet's row
    file (XlsxWriter stores each cell, then serialises it through several layers of calls). The
    XML is theirs to the byte, but for the numbering of formats in styles.xml (XlsxWriter numbers
    a format when it first writes a cell with it, and it writes a sheet's last row only on close).

    ``values[i]`` goes in column ``i`` with ``formats[i]``: a text always as text (never a formula,
    a number or a link; cut to fit a cell as :func:`write_text` does), a bool as TRUE/FALSE, an int
    or float as a number; None or "" is a blank cell when it has a format, else nothing. ``height``
    (points) as :meth:`Worksheet.set_row`. Rows go in increasing order, each written once; a comment
    on the row goes in BEFORE it (XlsxWriter drops one on a row already written). Outside
    constant-memory mode, the cells go in one by one.
    """
    from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate
    from xlsxwriter.worksheet import RowInfo

    if not ws.constant_memory:
        _write_cells(ws, row, values, formats, height)
        return
    pending = ws.previous_row
    if row < pending or (row == pending and (ws.table or row in ws.row_info)):
        raise ValueError(f"{ws.name}: row {row + 1} is written already or has cells pending")
    if ws._check_dimensions(row, 0, ignore_row=True, ignore_col=True):  # (bounds only)
        raise ValueError(f"{ws.name}: row {row + 1} is outside the sheet")
    if ws.table or pending in ws.row_info or (pending < row and pending in ws.comments):
        ws._write_single_row(row)  # (a row written cell by cell goes out first)
    else:  # (comments on this row, written before it, are kept apart: no empty row for them)
        ws.previous_row = row
    info = None
    if height is not None:
        pixels = int(height * 4.0 / 3.0 + 0.5)
        info = RowInfo(height=pixels, row_format=None, hidden=False, level=0, collapsed=False)
        ws.row_sizes[row] = [pixels, False]  # where a comment's box is drawn
    if len(_COLUMNS) < len(values):
        _COLUMNS.extend(_column_name(col) for col in range(len(_COLUMNS), len(values)))
    number = str(row + 1)
    parts: list[str] = []
    add = parts.append
    first = last = -1
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
        if value is None or value == "":
            if fmt is None:
                continue
            add(f'<c r="{_COLUMNS[col]}{number}" s="{fmt._get_xf_index()}"/>')
        else:
            if fmt is None and col in ws.col_info:  # as XlsxWriter: the column's format
                fmt = ws.col_info[col].column_format
            style = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
            if value.__class__ is str:
                text = value
                if len(text) > EXCEL_TEXT_LIMIT // 2:
                    if len(text) > EXCEL_TEXT_LIMIT:
                        text = _cut(ws, row, col, text)
                    if _utf16_len(text) > EXCEL_TEXT_LIMIT:
                        text = _utf16_truncate(text, EXCEL_TEXT_LIMIT)  # as write_string does
                space = ""
                if _NOT_PLAIN.search(text) is not None:  # as XlsxWriter's _write_cell
                    text = ws._escape_control_characters(text)
                    if _preserve_whitespace(text):
                        space = ' xml:space="preserve"'
                    text = ws._escape_data(text)
                add(f'<c r="{_COLUMNS[col]}{number}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, bool):
                add(f'<c r="{_COLUMNS[col]}{number}"{style} t="b"><v>{1 if value else 0}</v></c>')
            elif isinstance(value, (int, float)):
                if not math.isfinite(value):
                    raise ValueError(f"{ws.name}: {value} is not a number a cell holds")
                add(f'<c r="{_COLUMNS[col]}{number}"{style}><v>{value:.16G}</v></c>')
            else:
                raise TypeError(f"cannot write {type(value).__name__} into a cell")
        if first < 0:
            first = col
        last = col
    if last >= 0:
        ws._check_dimensions(row, first)
        ws._check_dimensions(row, last)
        ws._write_row(row, None, info)
        ws.fh.write("".join(parts) + "</row>")
    elif info is not None:
        ws._check_dimensions(row, ws.dim_colmin or 0)  # (as set_row)
        ws._write_row(row, None, info, empty_row=True)
    ws.previous_row = row + 1  # this row is out: nothing of it is pending


def _write_cells(
    ws: Worksheet,
    row: int,
    values: Sequence[str | float | bool | None],
    formats: Sequence[Format | None],
    height: float | None,
) -> None:
    """:func:`write_row` cell by cell (a workbook not in constant-memory mode)."""
    if height is not None:
        ws.set_row(row, height)
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
        if value is None or value.__class__ is str:
            write_text(ws, row, col, value, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)) and math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        else:
            raise TypeError(f"cannot write {value!r} into a cell")


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
