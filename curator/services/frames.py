"""A review as pandas DataFrames, for scripts and notebooks (issue 17: ``curator.frame`` and
``curator.analyses``).

:func:`review_frame` is the flat Data table (:mod:`curator.formats.flat`: its columns come from the
field table, named by the contract's dotted paths) with, after the comparison's key, the row's number
in its comparison (from 1), and beside each reported number's printed text its parsed value as a float
(``intervention.n`` ``"61"``, ``intervention.n_num`` ``61.0``). A number printed with a relation
(``"<0.001"``), or ``NR``, has no single value: its ``_num`` is NaN, its text says what was printed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from curator.fields import value_at
from curator.formats.flat import DATA_COLUMNS, review_rows
from curator.review import Review
from curator.services.analysing import analyses_of
from curator.services.sources import read_source

__all__ = ["review_frame", "analyses_frame", "rows_frame"]


def _number(value: Any) -> float:
    if value is None or getattr(value, "relation", None) is not None or value.not_reported:
        return math.nan
    return float(value.number)


def rows_frame(review: Review) -> pd.DataFrame:
    """The frame of a review in memory (see the module)."""
    columns: list[str] = []
    for column in DATA_COLUMNS:
        columns.append(column.name)
        if column.reported:
            columns.append(f"{column.name}_num")
    lines = []
    placed = [(position, row) for comparison in review.comparisons for position, row in enumerate(comparison.rows)]
    for (position, row), cells in zip(placed, review_rows(review), strict=True):
        line: list[Any] = []
        for cell, column in zip(cells, DATA_COLUMNS, strict=True):
            line.append(cell)
            if column.reported:
                line.append(_number(value_at(row, column.name)))
        line.insert(1, position + 1)
        lines.append(line)
    columns.insert(1, "row")
    frame = pd.DataFrame(lines, columns=columns)
    for name in columns:
        if name.endswith("_num"):
            frame[name] = frame[name].astype("float64")
    return frame


def review_frame(path: str | Path | None) -> pd.DataFrame:
    """The rows of the review at ``path`` (a review database or a curator/1 file; the embedded default
    review when None)."""
    return rows_frame(read_source(path))


def analyses_frame(path: str | Path | None, **options: Any) -> pd.DataFrame:
    """The analyses of the review at ``path``: one line per analysis, the keys of ``curator analyse
    --format json`` as columns (``studies`` and ``left_out`` as lists of dicts)."""
    found = analyses_of(read_source(path), **options)
    return pd.DataFrame([a.to_json() for a in found])
