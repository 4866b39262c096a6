"""Shared helpers: the Data/References/About workbook an export makes, and
a review cut down to what a flat table carries."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook

from curator.fields import _INTEGER
from curator.formats.exchange import dumps_exchange
from curator.formats.xlsx_data import add_data_sheet, add_documents_sheet, add_references_sheet
from curator.numbers import Reported, parse_reported
from curator.review import Arm, Effect, Review, Row, Source


def write_sheets(review: Review, path: Path) -> Path:
    """The sheets ``curator import`` reads, as the export writes them
    (XlsxWriter in constant-memory mode; Documents only for a review with documents), plus an About
    sheet's title line."""
    wb = Workbook(str(path), {"constant_memory": True})
    add_references_sheet(wb, review)
    if review.documents:
        add_documents_sheet(wb, review)
    add_data_sheet(wb, review)
    about = wb.add_worksheet("About")
    about.write_string(0, 0, "Review title")
    if review.title:
        about.write_string(0, 1, review.title)
    wb.close()
    return path


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def _clean(obj: Any) -> Any:
    """Empty texts as absent, no extensions; an object with nothing set as absent."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name in ("extensions", "evidence"):
            changes[f.name] = {}
        elif f.name == "ci_level" and isinstance(value, float) and not value.is_integer():
            changes[f.name] = parse_reported(repr(value))  # a cell holds the printed level
        elif f.name == "ci_level" and isinstance(value, Reported) and _INTEGER.match(value.text):
            changes[f.name] = int(value.text)  # a level printed "27" is the whole number 27 in a cell
        elif isinstance(value, (Arm, Effect, Source)):
            inner = _clean(value)
            empty = all(getattr(inner, g.name) in (None, {}) for g in dataclasses.fields(inner))
            changes[f.name] = None if empty else inner
        elif isinstance(value, str):
            changes[f.name] = _text(value)
    return dataclasses.replace(obj, **changes)


def flat_form(review: Review) -> Review:
    """What a workbook carries of ``review`` (the documented losses: see :mod:`curator.formats.flat`)."""
    comparisons = [
        dataclasses.replace(_clean(c), rows=[_clean(r) for r in c.rows]) for c in review.comparisons if c.rows
    ]
    return Review(
        title=_text(review.title),
        references=[_clean(r) for r in review.references],
        comparisons=comparisons,
    )


def carried(review: Review) -> bool:
    """Whether a flat table can carry ``review`` (after :func:`flat_form`):
    every row keeps an arm or effect, and no text has U+FFFE or U+FFFF,
    the two non-characters XML cannot hold."""
    text = dumps_exchange(review)
    return (
        "\ufffe" not in text
        and "\uffff" not in text
        and all(row_has_values(r) for c in review.comparisons for r in c.rows)
    )


def row_has_values(row: Row) -> bool:
    return any(x is not None for x in (row.intervention, row.comparator, row.effect))


def raw_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with exactly these cells: str as text, numbers as numbers,
    ``(number, format)`` as a number with that number format."""
    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    formats: dict[str, Any] = {}
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, tuple):
                    number, fmt = value
                    if fmt not in formats:
                        formats[fmt] = wb.add_format({"num_format": fmt})
                    ws.write_number(r, c, number, formats[fmt])
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, value)
    wb.close()
    return path
