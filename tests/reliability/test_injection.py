"""Formula injection through import: the classic payloads in every text field an import can fill, and
not one cell of the exported workbook a formula, each payload there as its text (issue 15).
``benchmarks/reliability_long.py`` runs every payload in every field."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from tests.helpers import stored_demo
from tests.reliability.injection import FIELDS, PAYLOADS, read_back, try_turn
from tests.reliability.kills import quietly


@pytest.mark.parametrize("turn", [0, 7, 14])
def test_no_payload_in_any_imported_field_becomes_a_formula(tmp_path: Path, turn: int) -> None:
    demo = stored_demo(tmp_path / "demo.sqlite")
    sound = tmp_path / "demo.json"
    assert quietly("export", str(demo), "-o", str(sound))[0] == 0
    result = try_turn(tmp_path, sound, turn)
    assert result.problems == ()
    assert result.formulas == 0 and result.cells > 500
    assert len(FIELDS) > 25 and len(PAYLOADS) == 19


def test_the_reading_back_sees_a_formula_and_a_carriage_return(tmp_path: Path) -> None:
    """The check itself: a workbook that does hold a formula is caught, and ``_x000D_`` is read as Excel reads it."""
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    sheet.write_formula("A1", "=1+1")
    sheet.write_string("A2", "\r=1+1")
    book.close()
    cells, formulas, texts, problems = read_back(path)
    assert (cells, formulas, texts) == (2, 1, ["\r=1+1"])
    assert problems == ["S!A1 is a formula: '=1+1'", "xl/worksheets/sheet1.xml holds a formula element"]
