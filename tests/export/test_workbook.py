"""The stakeholder workbook, opened as a stakeholder (and a script) would."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from curator.demo import demo_review
from curator.formats.xlsx_export import LEGEND, LEGEND_SWATCHES, content_sha256, write_workbook
from curator.numbers import parse_reported as P
from curator.progress import Cancelled
from curator.review import Review


def demo_with_work() -> Review:
    review = demo_review()
    first = review.comparisons[0].rows[0]
    first.status, first.extracted_by, first.verified_by = "verified", "Ana", "Ben"
    flare = review.comparisons[0].rows[2]
    assert flare.intervention is not None
    flare.intervention.value, flare.intervention.n = P("50.9"), P("474")  # GRIM error
    flare.intervention.events = None
    return review


@pytest.fixture
def workbook(tmp_path: Path) -> tuple[openpyxl.Workbook, Path]:
    path = tmp_path / "demo.xlsx"
    write_workbook(demo_with_work(), path, exported_by="Ana Tester", source="demo.sqlite")
    return openpyxl.load_workbook(path), path


def test_sheets_in_order(workbook: tuple[openpyxl.Workbook, Path]) -> None:
    wb, _ = workbook
    assert wb.sheetnames == [
        "Pimecrolimus vs Topical",
        "Pimecrolimus vs Tacrolimus",
        "References",
        "Findings",
        "Data",
        "About",
    ]
    assert wb.properties.title == demo_review().title
    assert wb.properties.creator == "Ana Tester"


def test_comparison_sheet_is_laid_out_like_the_seed(workbook: tuple[openpyxl.Workbook, Path]) -> None:
    wb, _ = workbook
    ws = wb["Pimecrolimus vs Topical"]
    assert ws["A1"].value == "Pimecrolimus vs Topical Corticosteroids (TCS)" and ws["A1"].font.b
    assert [c.value for c in ws[2]][: len(LEGEND_SWATCHES)] == [name for name, _fill in LEGEND_SWATCHES]
    assert ws.cell(2, len(LEGEND_SWATCHES) + 1).value == LEGEND
    header = [c.value for c in ws[3]]
    assert header == [
        "Endpoint",
        "Pimecrolimus Group",
        "Control (Conventional Treatment/Vehicle + TCS for flares)",
        "Effect",
        "Finding",
        "Duration",
        "Population",
        "Citation",
        "Status",
    ]
    assert all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "B4"
    assert ws.auto_filter.ref == "A3:I7"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 is the default
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == [
        "Patients Requiring TCS",
        "Days on TCS (Median)",
        "Flare-Free Patients",
        "Days on TCS (Severe AD)",
    ]
    assert [r[5] for r in rows] == ["12 months", "5 years", "12 months", "24 weeks"]
    assert [r[7] for r in rows] == ["[7]", "[9] [10]", "[7]", "[8]"]
    assert rows[2][1] == "50.9% (n = 474)"
    assert rows[0][8] == "verified (Ben)"


def test_lone_values_are_numbers_that_show_their_printed_decimals(workbook: tuple[openpyxl.Workbook, Path]) -> None:
    wb, _ = workbook
    ws = wb["Pimecrolimus vs Topical"]
    assert (ws["B4"].value, ws["B4"].number_format) == (42.6, '0.0"%"')
    assert (ws["C5"].value, ws["C5"].number_format) == (178, '0" days"')
    assert (ws["B7"].value, ws["B7"].number_format) == (28, '0"% of study days"')
    tac = wb["Pimecrolimus vs Tacrolimus"]
    assert tac["D4"].value == "p < .001 vs vehicle"
    assert tac["D5"].value == "RR 0.65 vs Pimecrolimus"
    assert tac["B5"].value == "Higher"


def test_unverified_rows_and_findings_are_marked(workbook: tuple[openpyxl.Workbook, Path]) -> None:
    wb, _ = workbook
    ws = wb["Pimecrolimus vs Topical"]
    verified, unverified = ws["A4"], ws["A5"]
    assert verified.fill.fgColor.rgb != unverified.fill.fgColor.rgb
    assert unverified.fill.fgColor.rgb.endswith("FFF2CC")
    grim = ws["B6"]
    assert grim.fill.fgColor.rgb.endswith("F8CBAD")
    assert "50.9% is not possible with n = 474" in grim.comment.text
    assert "ERROR (grim-percent)" in grim.comment.text
    tac = wb["Pimecrolimus vs Tacrolimus"]
    assert "vehicle" in tac["D4"].comment.text and tac["D4"].fill.fgColor.rgb.endswith("FFE699")


def test_findings_and_about(workbook: tuple[openpyxl.Workbook, Path]) -> None:
    wb, _ = workbook
    findings = [[c.value for c in r] for r in wb["Findings"].iter_rows(min_row=2)]
    # Rows numbered from 1, as the comparison sheet shows them (the JSON's row counts from 0).
    assert ("open", "error", "grim-percent", "pime-vs-tcs", 3) in [tuple(f[:5]) for f in findings]
    assert [f[3] for f in findings if f[3]] == sorted(
        (f[3] for f in findings if f[3]), key=["pime-vs-tcs", "pime-vs-tac"].index
    )
    assert {f[2] for f in findings} >= {
        "grim-percent",
        "versus-mismatch",
        "missing-denominator",
        "reference-identifier",
    }
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
    assert about["Review title"] == demo_review().title
    assert about["Exported by"] == "Ana Tester"
    assert about["Rows verified"] == 1 and about["Rows extracted"] == 7 and about["Rows unverified"] == 7
    assert about["Content SHA-256"] == content_sha256(demo_with_work())
    assert about["Curator version"]


def test_digest_tells_snapshots_apart(tmp_path: Path) -> None:
    review = demo_review()
    assert content_sha256(review) == content_sha256(demo_review())
    review.comparisons[0].rows[0].duration = "13 months"
    assert content_sha256(review) != content_sha256(demo_review())


def test_verified_rows_only(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    summary = write_workbook(demo_with_work(), path, exported_by="x", verified_only=True)
    assert summary.rows == 1
    ws = openpyxl.load_workbook(path)["Pimecrolimus vs Topical"]
    assert [c.value for c in ws[4]][0] == "Patients Requiring TCS" and ws.max_row == 4


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"])
def test_formula_like_text_stays_text(tmp_path: Path, text: str) -> None:
    review = demo_review()
    review.title = text
    review.comparisons[0].title = text
    review.comparisons[0].rows[0].endpoint = text
    review.comparisons[0].rows[0].finding = text
    path = tmp_path / "f.xlsx"
    write_workbook(review, path, exported_by=text)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws["A1"].value == text and ws["A1"].data_type == "s"
    assert ws["A4"].value == text and ws["A4"].data_type == "s"
    assert ws["E4"].value == text and ws["E4"].data_type == "s"
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_cancelled_export_writes_nothing(tmp_path: Path) -> None:
    class Cancel:
        cancelled = True

        def update(self, done: int, total: int, what: str) -> None:
            raise AssertionError("not reached")

    path = tmp_path / "c.xlsx"
    with pytest.raises(Cancelled):
        write_workbook(demo_review(), path, exported_by="x", progress=Cancel())
    assert list(tmp_path.iterdir()) == []


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []

    class Watch:
        cancelled = False

        def update(self, done: int, total: int, what: str) -> None:
            seen.append((done, total, what))

    write_workbook(demo_review(), tmp_path / "p.xlsx", exported_by="x", progress=Watch())
    assert seen[0] == (0, 8, "comparison tables") and seen[-1] == (8, 8, "saving")
