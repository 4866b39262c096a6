"""The workbook's Analyses sheet (issue 17): each endpoint pooling two studies or more, its numbers as
cells and its forest plot as a picture; the About sheet says how many."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from curator.formats.xlsx_export import write_workbook
from curator.numbers import parse_reported
from tests.analysis.bcg import BCG, bcg_review


def _about(wb: openpyxl.Workbook) -> dict[str, object]:
    return {row[0].value: row[1].value for row in wb["About"].iter_rows()}


def test_the_bcg_analysis_is_on_its_sheet_with_its_plot(tmp_path: Path) -> None:
    path = tmp_path / "bcg.xlsx"
    write_workbook(bcg_review(), path, exported_by="Ana")
    wb = openpyxl.load_workbook(path)
    ws = wb["Analyses"]
    assert wb.sheetnames.index("Analyses") == wb.sheetnames.index("Findings") + 1
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0][0] == "bcg · Tuberculosis" and cells[1][0] == "Risk Ratio, IV, REML; 13 studies"
    header, pooled = cells[2], cells[3]
    assert header[1:11] == ["Estimate", "CI low", "CI high", "P", "Tau²", "I² (%)", "Q", "Q p", "Prediction low",
                            "Prediction high"]  # fmt: skip
    assert pooled[0] == "Pooled" and math.log(pooled[1]) == pytest.approx(-0.7145, abs=5e-5)
    assert round(pooled[5], 4) == 0.3132 and round(pooled[7], 3) == 152.233
    first = cells.index(["Study", "Row", "Estimate", "CI low", "CI high", "Weight (%)", *[None] * (len(header) - 6)])
    studies = cells[first + 1 : first + 1 + len(BCG)]
    assert [s[0] for s in studies] == [f"{author} {year}" for author, year, *_n in BCG]
    assert [s[1] for s in studies] == list(range(1, 14)) and math.isclose(sum(s[5] for s in studies), 100)
    assert len(ws._images) == 1  # the forest plot
    assert (
        _about(wb)["Analyses"]
        == "1 endpoint pooling two studies or more (random effects, REML), on the Analyses sheet, 1 forest plot drawn"
    )


def test_a_left_out_row_is_named_under_its_analysis(tmp_path: Path) -> None:
    review = bcg_review()
    review.comparisons[0].rows[1].intervention.value = parse_reported("50.0")  # type: ignore[union-attr]
    write_workbook(review, tmp_path / "b.xlsx", exported_by="Ana")
    texts = [c.value for row in openpyxl.load_workbook(tmp_path / "b.xlsx")["Analyses"].iter_rows() for c in row]
    assert (
        "Left out: row 2 (Ferguson & Simes 1949): a finding of severity error: Vaccinated arm: value: 50.0% does not match 6/306 = 2.0%"
        in texts
    )


def test_a_review_without_an_endpoint_of_two_rows_has_no_such_sheet_and_says_so(tmp_path: Path) -> None:
    from curator.demo import demo_review

    write_workbook(demo_review(), tmp_path / "d.xlsx", exported_by="Ana")
    wb = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert "Analyses" not in wb.sheetnames  # no page of nothing in every print
    assert _about(wb)["Analyses"] == "none: no endpoint of a comparison has two rows or more"
