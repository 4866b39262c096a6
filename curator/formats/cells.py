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

__all__ = ["csv_safe", "FORMULA_TRIGGERS"]

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
