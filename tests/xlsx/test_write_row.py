"""The workbook's fast paths: cells.write_row writes the cells XlsxWriter's per-cell calls write;
flat.row_to_cells gives each field's cell."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter import Workbook

from curator.fields import value_at
from curator.formats.cells import EXCEL_TEXT_LIMIT, collecting_cuts, write_row, write_text
from curator.formats.flat import COMPARISON_COLUMNS, ROW_COLUMNS, row_to_cells
from curator.review import Review
from tests.strategies import reviews

#: Texts XlsxWriter escapes or marks: XML specials, control characters, its own
#: ``_xHHHH_`` escapes, non-characters, spaces at either end, lines, a text past a
#: cell's limit (cut), characters beyond the BMP near the limit.
TRICKY = [
    "plain",
    "a < b & c > d \"quoted\" 'single'",
    "\x01 bell \x07 and \x1f",
    "_x0041_ looks escaped",
    "non-characters \ufffe \uffff",
    "  leading spaces",
    "trailing space ",
    "line\nbreak",
    "ends with a line\n",
    "=1+2",
    "-1.5",
    "http://example.org",
    "x" * 40_000,
    "\U0001f600" * 20_000,
    "¹²³ – − ·",
]

ROWS = [
    TRICKY,
    [None, "", 1.5, 0.0, -3, 12345678901234567, 1e-300, True, False, None],
    [None, None, None],
    ["one", None, "", "three"],
]


def _per_cell(ws, row, values, formats, height) -> None:  # type: ignore[no-untyped-def]
    """The same row with XlsxWriter's own calls, as the export wrote it before."""
    if height is not None:
        ws.set_row(row, height)
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
        if isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        else:
            write_text(ws, row, col, value, fmt)


def _workbook(path: Path, rows: list[list[str | float | bool | None]], fast: bool) -> list[str]:
    wb = Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False})  # fmt: skip
    ws = wb.add_worksheet("Sheet")
    ws.set_column(0, 30, 12, wb.add_format({"num_format": "@"}))
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    number = wb.add_format({"num_format": "0.0", "bg_color": "#FFF2CC"})
    write_text(ws, 0, 0, "Header", wb.add_format({"bold": True}))  # a row written cell by cell before
    ws.write_comment(0, 0, "header comment")
    with collecting_cuts() as cuts:
        for r, values in enumerate(rows, start=1):
            formats = [number if isinstance(v, float) else wrap if r % 2 else None for v in values]
            height = 45.0 if r % 2 else None
            ws.write_comment(r, 0, f"comment {r}")  # before the row: see write_row
            if fast:
                write_row(ws, r, values, formats, height)
            else:
                _per_cell(ws, r, values, formats, height)
        write_text(ws, len(rows) + 1, 0, "after", wrap)  # and one after
    wb.close()
    return [cut.cell for cut in cuts]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


def test_a_row_at_once_is_what_the_per_cell_calls_write_byte_for_byte(tmp_path: Path) -> None:
    fast_cuts = _workbook(tmp_path / "fast.xlsx", ROWS, fast=True)
    slow_cuts = _workbook(tmp_path / "slow.xlsx", ROWS, fast=False)
    assert fast_cuts == slow_cuts == ["Sheet!M2"]
    assert _parts(tmp_path / "fast.xlsx") == _parts(tmp_path / "slow.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "fast.xlsx")["Sheet"]
    assert sheet["B2"].value == TRICKY[1]
    assert sheet["F2"].value == "  leading spaces"
    assert sheet["J2"].value == "=1+2" and sheet["J2"].data_type == "s"  # text, never a formula
    assert len(sheet["M2"].value) == EXCEL_TEXT_LIMIT and sheet["M2"].value.endswith("JSON export]")
    assert sheet["C3"].value == 1.5 and sheet["H3"].value is True and sheet["I3"].value is False
    assert sheet.row_dimensions[2].height == 45.0
    assert sheet["A2"].comment.text == "comment 1" and sheet["A5"].comment.text == "comment 4"
    assert sheet["A6"].value == "after"


_CELL = st.one_of(st.none(), st.text(max_size=30), st.booleans(), st.floats(allow_nan=False, allow_infinity=False))


# Each row has a cell: XlsxWriter itself loses the height of a row that has none
# (set_row alone) when a later row is written; write_row keeps it.
@settings(max_examples=30)
@given(st.lists(st.builds(lambda first, rest: [first, *rest], st.text(min_size=1, max_size=30),
                          st.lists(_CELL, max_size=5)), min_size=1, max_size=4))  # fmt: skip
def test_any_row_is_written_as_the_per_cell_calls_write_it(rows: list[list[str | float | bool | None]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _workbook(Path(folder) / "fast.xlsx", rows, fast=True)
        _workbook(Path(folder) / "slow.xlsx", rows, fast=False)
        assert _parts(Path(folder) / "fast.xlsx") == _parts(Path(folder) / "slow.xlsx")


def test_a_row_goes_in_once_in_order_and_only_finite_numbers(tmp_path: Path) -> None:
    wb = Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet()
    write_row(ws, 3, ["a"], [None])
    with pytest.raises(ValueError, match="row 3 is written already"):
        write_row(ws, 2, ["b"], [None])
    with pytest.raises(ValueError, match="row 4 is written already"):
        write_row(ws, 3, ["b"], [None])
    with pytest.raises(ValueError, match="not a number"):
        write_row(ws, 5, [float("inf")], [None])
    wb.close()


def test_outside_constant_memory_the_cells_go_in_one_by_one(tmp_path: Path) -> None:
    wb = Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet("S")
    write_row(ws, 0, ["a", 2.5, True, None], [None] * 4, 30.0)
    wb.close()
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["S"]
    assert [c.value for c in sheet[1]] == ["a", 2.5, True]
    assert sheet.row_dimensions[1].height == 30.0


@settings(max_examples=40)
@given(reviews(format_1_1=True))
def test_a_data_line_s_cells_are_each_field_s_cell_of_its_value(review: Review) -> None:
    """row_to_cells (a part of a row at a time) gives what each column's kind makes of the value
    value_at finds."""
    for comparison in review.comparisons:
        for row in comparison.rows:
            expected = [c.kind.to_cell(getattr(comparison, c.path[1])) for c in COMPARISON_COLUMNS]
            expected += [c.kind.to_cell(value_at(row, c.path)) for c in ROW_COLUMNS]
            assert row_to_cells(comparison, row) == expected
