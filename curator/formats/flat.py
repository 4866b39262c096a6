"""The flat Data table: one line per endpoint row, one column per field.

The Data sheet of a workbook, the extraction template and the CSV export
share this table. Its columns come from the field table, :mod:`curator.fields`
(never listed by hand), named by the contract's dotted paths:

* ``comparison.key``, ``comparison.title``, ``comparison.intervention``,
  ``comparison.comparator``, ``comparison.note``, repeated on each line;
* every row field in the contract's order, nested objects flattened:
  ``endpoint``, ``measure``, ``analysis``, ``unit``, ``integer_items``,
  ``higher_is_better``, ``intervention.value`` ... ``intervention.max``,
  ``comparator.*``, ``effect.measure`` ... ``effect.method``, ``finding``, ``favours``,
  ``duration``, ``population``, ``citations``, ``source.location``,
  ``source.quote``, ``status``, ``extracted_by``, ``verified_by``, ``note``.

Cells hold text (``str``), a boolean (``higher_is_better``) or ``None``.
Reported numbers are their printed text (``"42.60"``, ``"<0.001"``,
``"−1.5"``). A list (``citations``, a reference's ``authors``) goes in one
cell, see :func:`encode_list`.

Format 1.1's fields are columns like the others (``analysis``,
``integer_items``, ``intervention.se`` ... ``intervention.max``,
``effect.se``, ``effect.adjusted``, ``effect.contrast``,
``effect.method``), and its printed forms are kept as printed: ``0·55``,
``− 4.6``, ``3,145`` in a count, ``NR`` (not reported), a CI level printed
as ``95.02``.

What a flat table cannot carry, by design: ``x-`` extensions, accepted
findings, comparisons without rows, the source documents and the rows'
evidence (1.1; they travel in the exchange file, and a workbook adds them
in columns of its own after these: :mod:`curator.formats.evidence_cells`), an empty text (``""`` or
only white space: the cell is empty, so it reads back as absent), and an
arm, effect or source object with no field set (it reads back as absent).
A CI level given as a JSON number with decimals (``95.5``) reads back as
the printed ``"95.5"`` (the same level; a whole number stays a number). In a
workbook, the Unicode non-characters U+FFFE and U+FFFF (which XML cannot
hold) do not survive either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from curator import fields
from curator.fields import (
    PART_CLASSES,
    PARTS,
    REFERENCE_FIELDS,
    REPORTED_CACHE,
    WHOLE_CACHE,
    Cell,
    Identifier,
    Integer,
    Kind,
    NestedList,
    ReportedNumber,
    Text,
    decode_list,
    encode_list,
)
from curator.formats.fields import OBJECTS
from curator.numbers import Reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row, Source

__all__ = [
    "Cell",
    "Column",
    "CellError",
    "COMPARISON_COLUMNS",
    "ROW_COLUMNS",
    "field_texts",
    "DATA_COLUMNS",
    "DATA_HEADER",
    "REFERENCE_COLUMNS",
    "REQUIRED_DATA_COLUMNS",
    "encode_list",
    "decode_list",
    "row_to_cells",
    "cells_to_row",
    "decode_table",
    "Table",
    "reference_to_cells",
    "cells_to_reference",
    "review_rows",
    "flat_table",
    "parse_field",
]


class CellError(ValueError):
    """A cell that does not fit its column; ``index`` is the column's position,
    ``line`` the line's (0-based, in the cells given)."""

    def __init__(self, index: int, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.index = index
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Column:
    """One column of a flat table: its dotted header and what it holds."""

    name: str
    path: tuple[str, ...]
    kind: Kind

    @property
    def reported(self) -> bool:
        return isinstance(self.kind, ReportedNumber)

    @property
    def whole(self) -> bool:
        """A column of whole numbers (``n``, ``events``, ``year``)."""
        return isinstance(self.kind, Integer) or (isinstance(self.kind, ReportedNumber) and self.kind.whole)


def _column(f: fields.Field) -> Column:
    return Column(f.path, tuple(f.path.split(".")), f.kind)


#: ``comparison.key`` ... ``comparison.note`` (``comparison.rows`` are the lines of the table themselves).
COMPARISON_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"comparison.{k.name}", ("comparison", k.name), k)
    for k in OBJECTS["comparison"].keys
    if not isinstance(k, NestedList)
)
#: Every row field, nested objects flattened, in the contract's order.
ROW_COLUMNS: tuple[Column, ...] = tuple(_column(f) for f in fields.ROW_FIELDS)
DATA_COLUMNS: tuple[Column, ...] = COMPARISON_COLUMNS + ROW_COLUMNS
DATA_HEADER: tuple[str, ...] = tuple(c.name for c in DATA_COLUMNS)
#: The columns a Data sheet must have (the contract's required fields).
REQUIRED_DATA_COLUMNS: tuple[str, ...] = tuple(c.name for c in DATA_COLUMNS if c.kind.required)
#: Every reference field, in the contract's order.
REFERENCE_COLUMNS: tuple[Column, ...] = tuple(_column(f) for f in REFERENCE_FIELDS)

_NESTED = PARTS
_MAKERS: dict[str, Callable[..., Any]] = dict(PART_CLASSES)


# -- one value to and from a cell -------------------------------------------
# (encode_list and decode_list, re-exported here, live in curator.fields.)


def _empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# -- data rows ---------------------------------------------------------------


def _row_plan() -> list[tuple[str | None, list[tuple[str, Callable[[Any], Cell], bool]]]]:
    """:data:`ROW_COLUMNS` as runs of columns of one part of a row (None: the row itself), each
    column its attribute, its kind's ``to_cell`` and whether that gives a printed number its text."""
    plan: list[tuple[str | None, list[tuple[str, Callable[[Any], Cell], bool]]]] = []
    for column in ROW_COLUMNS:
        *parents, name = column.path
        if len(parents) > 1:  # pragma: no cover - fields are at most two deep
            raise AssertionError(column.path)
        parent = parents[0] if parents else None
        if not plan or plan[-1][0] != parent:
            plan.append((parent, []))
        as_text = type(column.kind).to_cell in (Kind.to_cell, fields.Level.to_cell)
        plan[-1][1].append((name, column.kind.to_cell, as_text))
    return plan


_ROW_PLAN = _row_plan()
_COMPARISON_PLAN = tuple((c.path[1], c.kind.to_cell) for c in COMPARISON_COLUMNS)


def row_to_cells(comparison: Comparison, row: Row) -> list[Cell]:
    """The cells of one line of the Data table, in :data:`DATA_COLUMNS` order: each field's
    ``to_cell`` of its value (as :func:`curator.fields.value_at` finds it), a part at a time
    (the Data sheet of a big review makes millions of them)."""
    cells: list[Cell] = [to_cell(getattr(comparison, name)) for name, to_cell in _COMPARISON_PLAN]
    add = cells.append
    for parent, columns in _ROW_PLAN:
        part = row if parent is None else getattr(row, parent, None)
        if part is None:
            cells.extend([None] * len(columns))
            continue
        for name, to_cell, as_text in columns:
            value = getattr(part, name, None)
            if value is None:
                add(None)  # (every kind's cell of nothing)
            elif as_text and value.__class__ is Reported:
                add(value.text)
            else:
                add(to_cell(value))
    return cells


_value_at = fields.value_at


def field_texts(row: Row) -> dict[str, str]:
    """Each field of a row as a reviewer types it (``""`` when empty), by
    dotted name: the text :func:`parse_field` reads back to the same value."""
    return fields.texts(row)


def cells_to_row(cells: Sequence[Cell], columns: Sequence[Column] = DATA_COLUMNS) -> tuple[Comparison, Row]:
    """One line of a Data table back to its comparison (without rows) and row.

    ``columns`` says which column each cell is (a sheet may have its columns
    in any order, or leave optional ones out). The comparison's required
    fields may be empty (``""``): the caller takes them from an earlier line
    of the same comparison. Raises :class:`CellError` naming the column.
    """
    table = decode_table(columns, [[cell] for cell in cells])
    row = table.rows[0]
    if row is None:
        raise CellError(_index(columns, "endpoint"), "missing; a row needs its endpoint")
    return table.head(0), row


@dataclass
class Table:
    """A decoded Data table: per line its row (None for an empty line) and
    its comparison fields (``key``, ``title``, ``intervention``,
    ``comparator``, ``note``; None where the cell is empty)."""

    rows: list[Row | None]
    comparison: dict[str, list[Any]]

    def head(self, line: int) -> Comparison:
        """The comparison fields of one line, as a comparison without rows."""
        get = {name: values[line] for name, values in self.comparison.items()}
        return Comparison(
            key=get["key"] or "",
            title=get["title"] or "",
            intervention=get["intervention"] or "",
            comparator=get["comparator"] or "",
            note=get["note"],
        )


def _is_blank(value: Any) -> bool:
    return value is None or (type(value) is str and (not value or value.isspace()))


def _decode_column(kind: Kind, cells: Sequence[Cell]) -> tuple[list[Any], tuple[int, str] | None]:
    """One column's values, each distinct cell decoded once; or the first bad cell."""
    distinct = set(cells)
    text = isinstance(kind, (Text, Identifier))
    mapping: dict[Cell, Any] = {}
    errors: dict[Cell, str] = {}
    todo = [v for v in distinct if type(v) is not str or v.isspace() or not v] if text else distinct
    cache = (WHOLE_CACHE if kind.whole else REPORTED_CACHE) if isinstance(kind, ReportedNumber) else None
    for value in todo:
        if _is_blank(value):
            mapping[value] = None
            continue
        hit = cache.get(value) if type(value) is str and cache is not None else None
        if hit is not None:
            mapping[value] = hit
            continue
        try:
            mapping[value] = kind.from_cell(value)  # type: ignore[arg-type]
        except ValueError as exc:
            errors[value] = str(exc)
    if errors:
        line = min(cells.index(v) for v in errors)
        return [], (line, errors[cells[line]])
    if not mapping:
        return list(cells), None
    return list(map(mapping.get, cells, cells)), None


#: A row's keys that the table carries, from the field table (not the row's
#: source-document evidence, which a flat table does not carry).
_ROW_ARGS = list(dict.fromkeys(f.top for f in fields.ROW_FIELDS))
assert [f.name for f in dataclasses.fields(Row)][: len(_ROW_ARGS)] == _ROW_ARGS
for _cls, _obj in ((Arm, "arm"), (Effect, "effect"), (Source, "source")):
    # Objects are made positionally, in the contract's order, which must be the classes' order.
    assert [f.name for f in dataclasses.fields(_cls)][: len(OBJECTS[_obj].keys)] == [k.name for k in OBJECTS[_obj].keys]


def decode_table(columns: Sequence[Column], values: Sequence[Sequence[Cell]]) -> Table:
    """Lines of a Data table, given column by column (``values[i]`` holds the
    cells of ``columns[i]``, one per line).

    Works a column at a time, decoding each distinct cell once, so that a
    100,000-line sheet reads in about a second. Raises :class:`CellError`
    (with ``line``) for a bad cell, a line without endpoint, or a line with
    neither arm nor effect.
    """
    lines = len(values[0]) if values else 0
    decoded: dict[str, list[Any]] = {}
    bad: list[tuple[int, int, str]] = []
    for index, (column, cells) in enumerate(zip(columns, values, strict=True)):
        out, error = _decode_column(column.kind, cells)
        if error is not None:
            bad.append((error[0], index, error[1]))
        decoded[column.name] = out
    if bad:
        line, index, message = min(bad)
        raise CellError(index, message, line)
    empty_column: list[Any] = [None] * lines
    nested: dict[str, list[Any]] = {}
    for field, obj in _NESTED.items():
        parts = [decoded.get(f"{field}.{k.name}", empty_column) for k in OBJECTS[obj].keys]
        # (t == nothing compares by identity first, never calling Reported.__eq__ for a None.)
        make, nothing = _MAKERS[obj], (None,) * len(parts)
        nested[field] = [None if t == nothing else make(*t) for t in zip(*parts, strict=True)]
    every = list(decoded.values())
    nothing = (None,) * len(every)
    blank = [t == nothing for t in zip(*every, strict=True)] if every else [True] * lines
    endpoints = decoded.get("endpoint", empty_column)
    endpoint_at = _index(columns, "endpoint")
    arms = zip(nested["intervention"], nested["comparator"], nested["effect"], strict=True)
    for line, (is_blank, endpoint, values3) in enumerate(zip(blank, endpoints, arms, strict=True)):
        if is_blank:
            continue
        if endpoint is None:
            raise CellError(endpoint_at, "missing; a row needs its endpoint", line)
        if values3 == (None, None, None):
            raise CellError(endpoint_at, 'a row needs at least one of "intervention", "comparator" and "effect"', line)
    args: list[list[Any]] = []
    for name in _ROW_ARGS:
        if name in nested:
            args.append(nested[name])
        elif name == "citations":
            args.append([list(c) if c else [] for c in decoded.get(name, empty_column)])
        elif name == "status":
            args.append(["draft" if s is None else s for s in decoded.get(name, empty_column)])
        else:
            args.append(decoded.get(name, empty_column))
    rows: list[Row | None] = [None if b else Row(*t) for b, t in zip(blank, zip(*args, strict=True), strict=True)]
    comparison = {c.path[1]: decoded.get(c.name, empty_column) for c in COMPARISON_COLUMNS}
    return Table(rows, comparison)


def _index(columns: Sequence[Column], name: str) -> int:
    return next((i for i, c in enumerate(columns) if c.name == name), 0)


def review_rows(
    review: Review,
    include: Callable[[Comparison, Row], bool] | None = None,
    *,
    labels_once: bool = False,
) -> Iterator[list[Cell]]:
    """The lines of the Data table, comparison by comparison, row by row.

    ``include`` keeps only the rows for which it returns True (e.g. verified
    rows only). Comparisons without rows give no line. With ``labels_once``
    a comparison's title, labels and note are given on its first line only
    (the key on every line), as the reader allows: a tenth fewer cells in a
    big workbook.
    """
    for comparison in review.comparisons:
        first = True
        for row in comparison.rows:
            if include is None or include(comparison, row):
                cells = row_to_cells(comparison, row)
                if labels_once and not first:
                    cells[1 : len(COMPARISON_COLUMNS)] = [None] * (len(COMPARISON_COLUMNS) - 1)
                first = False
                yield cells


def flat_table(review: Review) -> tuple[list[str], list[list[Cell]]]:
    """The whole Data table: its header and its lines."""
    return list(DATA_HEADER), list(review_rows(review))


# -- references --------------------------------------------------------------


def reference_to_cells(reference: Reference) -> list[Cell]:
    """The cells of one reference, in :data:`REFERENCE_COLUMNS` order."""
    return [c.kind.to_cell(getattr(reference, c.name)) for c in REFERENCE_COLUMNS]


def cells_to_reference(cells: Sequence[Cell], columns: Sequence[Column] = REFERENCE_COLUMNS) -> Reference:
    """One line of the References table back to a reference; raises :class:`CellError`."""
    values: dict[str, Any] = {}
    for index, (column, cell) in enumerate(zip(columns, cells, strict=True)):
        if _empty(cell):
            continue
        assert cell is not None
        try:
            values[column.name] = column.kind.from_cell(cell)
        except ValueError as exc:
            raise CellError(index, str(exc)) from None
    if "key" not in values:
        raise CellError(_index(columns, "key"), "missing; a reference needs its key")
    return Reference(**values)


def parse_field(name: str, text: str) -> Any:
    """A row field's value from text a reviewer typed, by the same path as a
    spreadsheet cell (:func:`curator.fields.parse`, where it lives)."""
    return fields.parse(name, text)
