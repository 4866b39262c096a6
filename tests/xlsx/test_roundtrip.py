"""An exported workbook imports back to the same review, field for field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings

from curator.demo import demo_review
from curator.formats.exchange import to_json
from curator.formats.xlsx_export import write_workbook
from curator.formats.xlsx_read import read_workbook
from curator.review import Review
from tests.strategies import reviews
from tests.xlsx.helpers import carried, flat_form, write_sheets


@settings(max_examples=150)
@given(review=reviews())
def test_sheets_read_back_field_for_field(tmp_path_factory: pytest.TempPathFactory, review: Review) -> None:
    review = flat_form(review)
    assume(carried(review))
    path = write_sheets(review, tmp_path_factory.mktemp("rt") / "r.xlsx")
    assert read_workbook(path) == review


def test_stakeholder_workbook_reads_back(tmp_path: Path) -> None:
    review = demo_review()
    review.extensions = {}
    review.comparisons[0].rows[0].intervention.value = None  # type: ignore[union-attr]
    review.comparisons[0].rows[0].intervention.text = '=HYPERLINK("http://x","y")'  # type: ignore[union-attr]
    path = tmp_path / "w.xlsx"
    write_workbook(review, path, exported_by="tester")
    assert to_json(read_workbook(path)) == to_json(review)


def test_a_comparison_without_rows_is_not_carried(tmp_path: Path) -> None:
    review = demo_review()
    review.extensions = {}
    review.comparisons[1].rows = []
    again = read_workbook(write_sheets(review, tmp_path / "e.xlsx"))
    assert [c.key for c in again.comparisons] == [review.comparisons[0].key]
