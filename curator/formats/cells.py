"""Cells that can never become formulas or live links.

openpyxl turns any string that starts with ``=`` into a formula, also in
write-only mode. Every text from a review goes into a workbook through
:func:`text_cell`, which forces the string type; and into a CSV file through
:func:`csv_safe`, which neutralises spreadsheet formulas as OWASP advises
(a leading ``'`` before ``= + - @`` and tab/CR) without touching genuine
numbers such as ``-1.5``.
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from curator.errors import CuratorError

__all__ = ["text_cell", "number_cell", "csv_safe", "FORMULA_TRIGGERS"]

#: Leading characters a spreadsheet may read as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: The most characters an Excel cell holds.
EXCEL_TEXT_LIMIT = 32_767
#: Characters XML 1.0 cannot hold (openpyxl raises IllegalCharacterError).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text: str) -> str:
    """Text with the control characters XML cannot store shown as ``\\xNN``."""
    return _ILLEGAL_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _style_array(ws: WriteOnlyWorksheet, style: dict[str, Any]) -> StyleArray:
    """The workbook's style indexes for a combination of styles, made once.

    openpyxl hashes every style object each time one is set on a cell (a
    third of the time of a big export); a combination is looked up here by
    the identity of its objects instead, which are kept alive in the cache
    so that an identity is never reused.
    """
    wb = ws.parent
    cache: dict[tuple[Any, ...], tuple[StyleArray, Any]] | None = getattr(wb, "_curator_styles", None)
    if cache is None:
        cache = {}
        wb._curator_styles = cache
    key = tuple((name, spec if type(spec) is str else id(spec)) for name, spec in style.items())
    hit = cache.get(key)
    if hit is None:
        template = WriteOnlyCell(ws)
        for name, spec in style.items():
            setattr(template, name, spec)
        hit = cache[key] = (copy(template._style), tuple(style.values()))
    return hit[0]


def _styled(cell: WriteOnlyCell, style: dict[str, Any]) -> WriteOnlyCell:
    if style:
        cell._style = copy(_style_array(cell.parent, style))
    return cell


def text_cell(ws: WriteOnlyWorksheet, value: str | None, **style: Any) -> WriteOnlyCell:
    """A cell holding ``value`` as text, whatever it starts with.

    ``style`` takes openpyxl style attributes (``font``, ``fill``,
    ``alignment``, ``border``, ``number_format``...).
    """
    cell = WriteOnlyCell(ws, value=None)
    if value is not None:
        text = clean_text(value)
        if len(text) > EXCEL_TEXT_LIMIT:
            raise CuratorError(
                f"a text of {len(text):,} characters is longer than an Excel cell holds "
                f"({EXCEL_TEXT_LIMIT:,}): {text[:60]!r}..."
            )
        # Set directly: never a formula ("f"), whatever the text starts with,
        # and without openpyxl's type sniffing (a fifth of a big export's time).
        cell._value = text
        cell.data_type = "s"
    return _styled(cell, style)


def number_cell(ws: WriteOnlyWorksheet, value: float | int, number_format: str, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    return _styled(cell, {**style, "number_format": number_format})


def csv_safe(value: str) -> str:
    """A CSV field that a spreadsheet will show as text, not run as a formula.

    Genuine numbers (``-1.5``, ``+3``) are left alone, so they stay numbers.
    """
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value
