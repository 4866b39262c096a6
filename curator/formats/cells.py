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
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["text_cell", "number_cell", "csv_safe", "FORMULA_TRIGGERS"]

#: Leading characters a spreadsheet may read as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Characters XML 1.0 cannot hold (openpyxl raises IllegalCharacterError).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text: str) -> str:
    """Text with the control characters XML cannot store shown as ``\\xNN``."""
    return _ILLEGAL_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def text_cell(ws: WriteOnlyWorksheet, value: str | None, **style: Any) -> WriteOnlyCell:
    """A cell holding ``value`` as text, whatever it starts with."""
    cell = WriteOnlyCell(ws, value=None)
    if value is not None:
        cell.value = clean_text(value)
        cell.data_type = "s"  # never "f" (formula), whatever the text starts with
    for name, spec in style.items():
        setattr(cell, name, spec)
    return cell


def number_cell(ws: WriteOnlyWorksheet, value: float | int, number_format: str, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    for name, spec in style.items():
        setattr(cell, name, spec)
    return cell


def csv_safe(value: str) -> str:
    """A CSV field that a spreadsheet will show as text, not run as a formula.

    Genuine numbers (``-1.5``, ``+3``) are left alone, so they stay numbers.
    """
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value
