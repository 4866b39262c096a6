"""The stakeholder workbook as it prints: set up for landscape A4 pages a
person can read, and saying what a reader needs on paper.

The page setup is read back with openpyxl, as a spreadsheet program reads
it; when LibreOffice is installed, the demo workbook and a one-row review's
are printed to PDF and their pages counted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from curator.formats.xlsx_data import BOOLEAN_NUMBER_FORMAT
from curator.formats.xlsx_export import DATA_NOTE, FINDINGS_COLUMNS, LEGEND_SWATCHES
from curator.formats.xlsx_read import read_workbook
from curator.naming import Arms, field_label
from curator.services.exporting import export_review
from tests.helpers import DEMO, run

DOCS = Path(__file__).parents[2] / "docs"
DEMO_TITLE = json.loads(DEMO.read_text(encoding="utf-8"))["title"]
COMPARISON_SHEETS = ["Pimecrolimus vs Topical", "Pimecrolimus vs Tacrolimus"]
PRINTED = [*COMPARISON_SHEETS, "References", "Findings", "About"]
DISPUTED_FILL = dict(LEGEND_SWATCHES)["Disputed"].lstrip("#")


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The demo review, its second row's Pimecrolimus value disputed by Ben."""
    db = tmp_path / "demo.sqlite"
    assert run(capsys, "--reviewer", "Ana", "demo", str(db))[0] == 0
    code, _, err = run(
        capsys, "--reviewer", "Ben", "dispute", str(db), "pime-vs-tcs[1]", "--field", "intervention.value",
        "--comment", "Table 2 says 8 days",
    )  # fmt: skip
    assert code == 0, err
    return db


@pytest.fixture
def one_row_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A review of one row and no title, as one made in the window is."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data.pop("title")
    first = data["comparisons"][0]
    first["rows"] = first["rows"][:1]
    data["comparisons"] = [first]
    source = tmp_path / "one.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "one.sqlite"
    code, _, err = run(capsys, "--reviewer", "Ana", "import", str(db), str(source))
    assert code == 0, err
    return db


def export(db: Path, name: str = "book.xlsx") -> Path:
    """The workbook as the app exports it (File > Export)."""
    target = db.with_name(name)
    export_review(db, target, "xlsx", "Ana")
    return target


def wrapped(text: str, width: float) -> int:
    """Lines of a bold label in a column of ``width``, in the widest font a
    printer may put in Calibri's place (DejaVu Sans Bold fits about one
    character a unit of width; 0.95 to be safe)."""
    return len(textwrap.wrap(text, max(1, int(width * 0.95)), break_on_hyphens=False)) or 1


def width(ws: Worksheet, column: int) -> float:
    """A column's width as stored (XlsxWriter gives columns of one width one entry)."""
    found = [d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max]
    return found[0] if found else 8.43


def header_row(ws: Worksheet) -> int:
    return int(re.fullmatch(r"\$(\d+):\$\d+", ws.print_title_rows or "$1:$1").group(1))  # type: ignore[union-attr]


def test_every_sheet_for_reading_prints_landscape_on_a4_fitted_to_the_width(demo_db: Path) -> None:
    wb = openpyxl.load_workbook(export(demo_db))
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == PRINTED
    for ws in (wb[name] for name in PRINTED):
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title  # 1 is the default
        # The review's title above every page, "Page x of y" below.
        assert ws.oddHeader.left.text == DEMO_TITLE, ws.title
        assert ws.oddFooter.center.text == "Page &P of &N", ws.title
        assert ws.print_area, ws.title
    for name in COMPARISON_SHEETS:
        ws = wb[name]
        assert ws.print_title_rows == "$3:$3"  # the header on every page
        assert ws.print_area.endswith(f"!$A$1:$I${ws.max_row}")
        assert ws.oddHeader.right.text == ws["A1"].value  # the comparison's full title
    findings = wb["Findings"]
    assert findings.print_title_rows == "$1:$1"
    assert findings.print_area.endswith(f"!$A$1:$L${findings.max_row}")
    assert wb["References"].print_area.endswith(f"!$A$1:$D${wb['References'].max_row}")  # key, citation, links
    assert wb["About"].print_area.endswith(f"!$A$1:$B${wb['About'].max_row}")


def test_tables_are_narrow_enough_to_print_legibly(demo_db: Path) -> None:
    """Fitted to the width of A4 landscape (10.9 inches inside the margins),
    a table wider than about 180 characters would print smaller than 80%."""
    wb = openpyxl.load_workbook(export(demo_db))
    for ws in (wb[name] for name in [*COMPARISON_SHEETS, "Findings"]):
        widths = [width(ws, col) for col in range(1, ws.max_column + 1)]
        pixels = sum(w * 7 for w in widths)  # as stored, a width holds the cell's padding
        assert 10.9 * 96 / pixels >= 0.78, (ws.title, pixels)


def test_header_rows_are_high_enough_for_their_wrapped_labels(demo_db: Path) -> None:
    wb = openpyxl.load_workbook(export(demo_db))
    for ws in (wb[name] for name in [*COMPARISON_SHEETS, "Findings"]):
        r = header_row(ws)
        cells = [c for c in ws[r] if c.value]
        assert all(c.alignment.wrap_text and c.font.b for c in cells), ws.title
        lines = max(wrapped(str(c.value), width(ws, c.column)) for c in cells)
        assert (ws.row_dimensions[r].height or 15) >= 15 * lines, (ws.title, lines)
    # "Control (Conventional Treatment/Vehicle + TCS for flares)" needs 3 or 4 lines.
    assert wb[COMPARISON_SHEETS[0]].row_dimensions[3].height >= 45
    # The machine tables' headers are one line of names, in columns wide enough for them.
    for ws in (wb["Data"], wb["References"]):
        for c in ws[1]:
            assert not c.alignment.wrap_text and width(ws, c.column) >= len(c.value) + 2, (ws.title, c.value)


def test_data_sheet_is_for_machines_hidden_from_print_and_read_back(demo_db: Path) -> None:
    book = export(demo_db)
    wb = openpyxl.load_workbook(book)
    data = wb["Data"]
    assert data.sheet_state == "hidden"  # neither Excel nor LibreOffice prints a hidden sheet
    assert data.oddHeader.left.text == DATA_NOTE  # says so if shown and printed anyway
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
    assert about["Data sheet"].startswith("Hidden, and so never printed")
    # Booleans are TRUE/FALSE, in LibreOffice too (not 1/0), as curator import reads them.
    column = [c.value for c in data[1]].index("higher_is_better")
    cells = [row[column] for row in data.iter_rows(min_row=2)]
    assert {c.value for c in cells} == {True, False}
    assert all(c.number_format == BOOLEAN_NUMBER_FORMAT for c in cells)
    # The workbook still comes back as the review it was.
    assert read_workbook(book) == read_workbook(export(demo_db, "again.xlsx"))
    assert read_workbook(book).row_count == 8 and read_workbook(book).title == DEMO_TITLE


def test_booleans_for_people_read_yes_or_no(demo_db: Path) -> None:
    wb = openpyxl.load_workbook(export(demo_db))
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
    assert about["Verified rows only"] == "no"
    for name in PRINTED:
        for row in wb[name].iter_rows():
            assert not any(isinstance(c.value, bool) for c in row), name


def test_every_printed_reference_says_what_it_is(demo_db: Path) -> None:
    """A reference with no title or authors (the guide's web sources) is named on paper by its note,
    not printed as a blank line; reading the workbook back still gives the references as they were."""
    book = export(demo_db)
    ws = openpyxl.load_workbook(book)["References"]
    header = [c.value for c in ws[1]]
    key, citation = header.index("key"), header.index("citation")
    printed = {str(r[key].value): r[citation].value for r in ws.iter_rows(min_row=2)}
    assert all(printed.values()), [k for k, v in printed.items() if not v]
    assert printed["2"] == "As listed in the guide: droracle.ai [droracle.ai]"
    assert printed["7"].startswith("Efficacy and safety of pimecrolimus cream")
    stored = json.loads(DEMO.read_text(encoding="utf-8"))["references"]
    assert [r.note for r in read_workbook(book).references] == [r.get("note") for r in stored]


def test_findings_number_rows_from_1_as_the_comparison_sheet_shows_them(demo_db: Path) -> None:
    wb = openpyxl.load_workbook(export(demo_db))
    findings = wb["Findings"]
    header = [c.value for c in findings[1]]
    assert header == [name for name, _width in FINDINGS_COLUMNS]
    lines = [dict(zip(header, (c.value for c in r), strict=True)) for r in findings.iter_rows(min_row=2)]
    by_key = {"pime-vs-tcs": wb[COMPARISON_SHEETS[0]], "pime-vs-tac": wb[COMPARISON_SHEETS[1]]}
    row_lines = [line for line in lines if line["Row"] is not None]
    assert row_lines and min(line["Row"] for line in row_lines) == 1
    for line in row_lines:
        sheet = by_key[line["Comparison"]]
        assert sheet.cell(3 + line["Row"], 1).value == line["Endpoint"]  # row n is the table's n-th line
    # Fields by their labels, an arm's under the arm's label, in the window's words (the sheet said
    # "Control (...flares): n" where the window and the CLI say "Control (...flares) arm: n").
    assert "Pimecrolimus Group: n" in {line["Field"] for line in lines}
    assert "Control (Conventional Treatment/Vehicle + TCS for flares) arm: n" in {line["Field"] for line in lines}
    window_words = {
        field_label(f, Arms("Pimecrolimus Group", "Control (Conventional Treatment/Vehicle + TCS for flares)"))
        for f in ("intervention.n", "comparator.n", "intervention.value")
    }
    assert window_words <= {line["Field"] for line in lines if line["Comparison"] == "pime-vs-tcs"}
    assert not any(re.fullmatch(r"[a-z_]+\.[a-z_]+", line["Field"] or "") for line in lines)


def test_a_disputed_value_is_marked_like_the_other_states(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = tmp_path / "cli.xlsx"
    assert run(capsys, "--reviewer", "Ana", "export", str(demo_db), "-o", str(cli))[0] == 0
    for book in (export(demo_db), cli):  # the app's export and the command's
        ws = openpyxl.load_workbook(book)[COMPARISON_SHEETS[0]]
        cell = ws["B5"]  # Days on TCS (Median), the Pimecrolimus arm
        assert ws["A5"].value == "Days on TCS (Median)"
        assert cell.fill.fgColor.rgb.endswith(DISPUTED_FILL), book.name
        assert "DISPUTED (Pimecrolimus Group: value) by Ben: Table 2 says 8 days" in cell.comment.text
        legend = [c.value for c in ws[2]]
        assert "Disputed" in legend
        assert ws.cell(2, legend.index("Disputed") + 1).fill.fgColor.rgb.endswith(DISPUTED_FILL)
        # The other arm of the row is not marked.
        assert not ws["C5"].fill.fgColor.rgb.endswith(DISPUTED_FILL) and ws["C5"].comment is None
        # Comments do not print: the Findings sheet says it on paper too.
        findings = openpyxl.load_workbook(book)["Findings"]
        disputed = [[c.value for c in r] for r in findings.iter_rows(min_row=2) if r[0].value == "disputed"]
        assert [line[3:9] for line in disputed] == [
            ["pime-vs-tcs", 2, "Days on TCS (Median)", None, "Pimecrolimus Group: value",
             "Ben disputed '7': Table 2 says 8 days"],
        ]  # fmt: skip


def test_each_column_has_one_alignment(demo_db: Path) -> None:
    wb = openpyxl.load_workbook(export(demo_db))
    for name in COMPARISON_SHEETS:
        ws = wb[name]
        for col in range(1, ws.max_column + 1):
            cells = [ws.cell(r, col) for r in range(4, ws.max_row + 1)]
            assert len({c.alignment.horizontal for c in cells}) == 1, (name, col)
        # The arms hold numbers (42.6%) and words (Higher): both aligned right.
        arms = [ws.cell(r, c) for r in range(4, ws.max_row + 1) for c in (2, 3)]
        assert {c.alignment.horizontal for c in arms} == {"right"}
    tac = wb[COMPARISON_SHEETS[1]]
    assert isinstance(tac["B4"].value, float) and tac["B5"].value == "Higher"
    findings = wb["Findings"]
    assert {findings.cell(r, 5).alignment.horizontal for r in range(2, findings.max_row + 1)} == {"center"}


def test_an_untitled_review_is_named_by_its_file(one_row_db: Path) -> None:
    wb = openpyxl.load_workbook(export(one_row_db))
    for name in ["Pimecrolimus vs Topical", "References", "Findings", "About"]:
        assert wb[name].oddHeader.left.text == "one.sqlite (untitled review)"
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
    assert about["Review title"] is None  # curator import reads it back: no invented title
    assert about["Title on the printed pages"] == "one.sqlite (untitled review): the review has no title"
    assert wb.properties.title == "one.sqlite (untitled review)"
    assert read_workbook(export(one_row_db, "again.xlsx")).title is None


def test_a_title_with_an_ampersand_is_printed_as_typed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["title"] = "Eczema & itch: pimecrolimus"
    source = tmp_path / "amp.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    book = tmp_path / "amp.xlsx"
    export_review(source, book, "xlsx", "Ana")
    ws = openpyxl.load_workbook(book)["About"]
    assert ws.oddHeader.left.text == "Eczema && itch: pimecrolimus"  # && prints as &


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_few_pages(demo_db: Path, one_row_db: Path, tmp_path: Path) -> None:
    """What LibreOffice prints: the demo on 6 pages, a one-row review on 4
    (was 14 and 12, the Data sheet alone 8, a few columns a page)."""
    assert SOFFICE is not None
    books = [export(demo_db, "demo.xlsx"), export(one_row_db, "one.xlsx")]
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path / "pdf"), *map(str, books)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pages = {}
    for book in books:
        pdf = (tmp_path / "pdf" / book.name).with_suffix(".pdf")
        pages[book.stem] = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages["demo"] <= 6 and pages["one"] <= 4, pages
    # CURATOR_SCREENSHOTS=1: the README's picture, the top of the demo's first page (look at it).
    if os.environ.get("CURATOR_SCREENSHOTS") and shutil.which("pdftoppm"):
        pdf = tmp_path / "pdf" / "demo.pdf"
        crop = ["-x", "0", "-y", "0", "-W", "1169", "-H", "300"]
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", *crop, str(pdf),
                        str(DOCS / "workbook-printed")], check=True, timeout=60)  # fmt: skip


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or pdftotext missing")
def test_libreoffice_prints_continuous_readings(tmp_path: Path) -> None:
    """A review of mean and median rows (format 1.1) prints its readings as
    the comparison sheet holds them, on one page a sheet."""
    from curator.formats.xlsx_export import write_workbook
    from tests.xlsx.continuous import continuous_review

    assert SOFFICE is not None
    book = tmp_path / "continuous.xlsx"
    write_workbook(continuous_review(), book, exported_by="Ana", source="continuous.json")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = book.with_suffix(".pdf")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 4  # the table, References, Findings, About
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    words = " ".join(first.split())
    for reading in ("MD −2.1 (−3.4 to −0.8), p =", "adjusted HR 0·55 (90% CI", "Cox model, p NR", "n = 3,145",
                    "median 20 days (IQR 15–28;", "NR (n = 237)", "IRR 0.8 (0.6–1.1), other contrast"):  # fmt: skip
        assert reading in words, reading
    # CURATOR_SCREENSHOTS=1: the top of the printed continuous table (look at it).
    if os.environ.get("CURATOR_SCREENSHOTS") and shutil.which("pdftoppm"):
        crop = ["-x", "0", "-y", "0", "-W", "1169", "-H", "280"]
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", *crop, str(pdf),
                        str(DOCS / "workbook-continuous")], check=True, timeout=60)  # fmt: skip
