"""Documents and evidence in the workbook (issue 14, item 6): each value's page in its cell's comment, the
row's pages in a Pages column, and on the Data sheet (with a Documents sheet) evidence that reads back."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, given, settings

from curator.demo import demo_review
from curator.errors import InputError
from curator.formats.evidence_cells import boxes_text, evidence_header, parse_boxes
from curator.formats.exchange import dumps_exchange
from curator.formats.flat import DATA_HEADER
from curator.formats.xlsx_export import PAGES_HEADER, write_workbook
from curator.formats.xlsx_read import read_workbook
from curator.review import Document, Evidence, Review
from curator.services import ReviewService
from tests.documents.pdfs import paper
from tests.helpers import run, stored, stored_demo
from tests.strategies import reviews
from tests.xlsx.helpers import carried, flat_form, raw_workbook, write_sheets

KEY = "pime-vs-tcs"


def _review_with_evidence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, bytes]:
    """A review database whose first row's values were read from page 3 of a real PDF attached to its
    reference: the evidence is where Curator locates the printed numbers (boxes from the PDF itself)."""
    first = stored_demo(tmp_path / "first.sqlite")
    papers = tmp_path / "papers"
    papers.mkdir()
    pdf = papers / "wahn-2002.pdf"
    pdf.write_bytes(paper([[(72, 100, "Methods")], [(72, 100, "Results")], [(72, 200, "42.6%"), (300, 200, "68.4%")]]))
    with ReviewService.open(first, "Ana") as service:
        service.documents.attach("7", pdf)
        (placed,) = service.documents.locate(KEY, 0)
    review = stored(first)
    row = review.comparisons[0].rows[0]
    for located in placed.fields:
        if located.hits:
            hit = located.hits[0]
            row.evidence[located.field] = Evidence(
                placed.document.sha256, hit.page, hit.text, [list(b) for b in hit.boxes]
            )
    assert set(row.evidence) == {"intervention.value", "comparator.value"}
    (papers / "r.json").write_text(dumps_exchange(review), encoding="utf-8")
    db = tmp_path / "a.sqlite"
    code, _, err = run(capsys, "import", str(db), str(papers / "r.json"))
    assert (code, err) == (0, "")
    return db, pdf.read_bytes()


def _evidence(review: Review) -> list[dict[str, Evidence]]:
    return [row.evidence for comparison in review.comparisons for row in comparison.rows]


def test_documents_and_evidence_go_through_the_workbook_and_import_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, data = _review_with_evidence(tmp_path, capsys)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, "export", str(db), "-o", str(out / "w.xlsx"), "--with-documents")
    assert code == 0 and "wahn-2002.pdf: written" in err
    code, _, err = run(capsys, "import", str(tmp_path / "b.sqlite"), str(out / "w.xlsx"))
    assert (code, err) == (0, "")
    before, after = stored(db), stored(tmp_path / "b.sqlite")
    assert after.documents == before.documents
    assert after.documents[0].stored  # found beside the workbook
    assert _evidence(after) == _evidence(before)
    evidence = after.comparisons[0].rows[0].evidence["intervention.value"]
    assert (evidence.page, evidence.text) == (3, "42.6")
    assert evidence.boxes and evidence.boxes == before.comparisons[0].rows[0].evidence["intervention.value"].boxes
    with ReviewService.open(tmp_path / "b.sqlite") as service:
        assert service.documents.content(after.documents[0].sha256) == data


def test_a_document_not_beside_the_workbook_is_kept_by_name_with_its_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = _review_with_evidence(tmp_path, capsys)
    run(capsys, "export", str(db), "-o", str(tmp_path / "w.xlsx"))
    code, _, err = run(capsys, "import", str(tmp_path / "b.sqlite"), str(tmp_path / "w.xlsx"))
    assert code == 0
    assert err == (
        "curator: w.xlsx: document wahn-2002.pdf (reference '7') was not found beside it; "
        "it is kept by name, without its file\n"
    )
    after = stored(tmp_path / "b.sqlite")
    assert after.documents == stored(db).documents and not after.documents[0].stored
    assert _evidence(after) == _evidence(stored(db))


def test_a_value_s_comment_gives_its_page_and_the_pages_column_the_row_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = _review_with_evidence(tmp_path, capsys)
    run(capsys, "export", str(db), "-o", str(tmp_path / "w.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    ws = wb.worksheets[0]
    header = [c.value for c in ws[3]]
    assert header[-1] == PAGES_HEADER
    pages = header.index(PAGES_HEADER) + 1
    assert ws.cell(4, pages).value == "p. 3"
    assert ws.cell(5, pages).value is None  # a row without evidence
    intervention, comparator = ws.cell(4, 2), ws.cell(4, 3)
    assert intervention.value == 42.6  # still a number
    assert intervention.comment is not None and comparator.comment is not None
    # The page first, then what the cell's finding says (merged, not replaced).
    assert intervention.comment.text.startswith("p. 3\n\nINFO (missing-denominator): 42.6% has no n")
    assert comparator.comment.text.startswith("p. 3\n\n")
    assert "p. 3" in str(ws.cell(2, 7).value)  # the legend says what the comment and the column are
    assert wb.sheetnames == ["Pimecrolimus vs Topical", "Pimecrolimus vs Tacrolimus", "References",
                             "Documents", "Findings", "Data", "About"]  # fmt: skip
    documents = wb["Documents"]
    assert [c.value for c in documents[1]] == ["File", "Reference", "Citation", "Pages", "Media type", "SHA-256"]
    citation = "Efficacy and safety of pimecrolimus cream in the long-term management of atopic dermatitis in children."
    assert [c.value for c in documents[2]][:5] == ["wahn-2002.pdf", "7", citation, 3, "application/pdf"]


def test_the_data_sheet_names_evidence_columns_in_people_s_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = _review_with_evidence(tmp_path, capsys)
    run(capsys, "export", str(db), "-o", str(tmp_path / "w.xlsx"))
    data = openpyxl.load_workbook(tmp_path / "w.xlsx")["Data"]
    header = [c.value for c in data[1]]
    assert header[: len(DATA_HEADER)] == list(DATA_HEADER)
    assert header[len(DATA_HEADER) :] == [
        "Intervention value (page)", "Intervention value (document)", "Intervention value (text on the page)",
        "Intervention value (boxes)", "Comparator value (page)", "Comparator value (document)",
        "Comparator value (text on the page)", "Comparator value (boxes)",
    ]  # fmt: skip
    line = [c.value for c in data[2]][len(DATA_HEADER) :]
    assert line[:3] == ["3", "wahn-2002.pdf", "42.6"]
    assert parse_boxes(line[3]) == stored(db).comparisons[0].rows[0].evidence["intervention.value"].boxes
    assert all(c.value is None for c in data[3][len(DATA_HEADER) :])  # a row without evidence


def _two_documents() -> Review:
    review = demo_review()
    review.extensions = {}
    review.references[6].authors = ["Wahn, U", "Bos, JD"]
    review.references[6].year = 2002
    review.documents = [
        Document("ab" * 32, "wahn-2002.pdf", "7", "application/pdf", 12),
        Document("cd" * 32, "eichenfield.pdf"),
    ]
    row = review.comparisons[0].rows[0]
    row.evidence = {
        "intervention.value": Evidence("ab" * 32, 3, "42.6%", [[72, 100.5, 96.25, 112.0]]),
        "intervention.n": Evidence("ab" * 32, 5, "474"),
        "effect.p": Evidence("cd" * 32, 2, None, [[1, 2, 3, 4], [5, 6.5, 7, 8e-05]]),
    }
    return review


def test_a_row_read_from_several_documents_says_which_page_of_which(tmp_path: Path) -> None:
    review = _two_documents()
    write_workbook(review, tmp_path / "w.xlsx", exported_by="tester")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").worksheets[0]
    assert ws.cell(4, 10).value == "Wahn 2002: pp. 3, 5\neichenfield.pdf: p. 2"
    assert ws.cell(4, 2).comment.text.startswith(  # type: ignore[union-attr]
        "p. 3 of Wahn 2002: Pimecrolimus Group: value\np. 5 of Wahn 2002: Pimecrolimus Group: n\n\n"
    )
    assert ws.cell(4, 4).comment.text == "p. 2 of eichenfield.pdf"  # type: ignore[union-attr]
    again = read_workbook(tmp_path / "w.xlsx")
    assert again.documents == review.documents
    assert _evidence(again) == _evidence(review)


def test_a_review_without_evidence_gives_the_workbook_it_gave_before(tmp_path: Path) -> None:
    review = demo_review()
    write_workbook(review, tmp_path / "w.xlsx", exported_by="tester")
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert "Documents" not in wb.sheetnames
    ws = wb.worksheets[0]
    assert PAGES_HEADER not in [c.value for c in ws[3]] and ws.max_column == 9
    assert "page" not in str(ws.cell(2, 7).value)
    assert [c.value for c in wb["Data"][1]] == list(DATA_HEADER)
    assert all("Source documents" != c.value for c in wb["About"]["A"])


def test_documents_without_evidence_get_their_sheet_and_no_pages_column(tmp_path: Path) -> None:
    review = demo_review()
    review.documents = [Document("ab" * 32, "wahn-2002.pdf", "7")]
    write_workbook(review, tmp_path / "w.xlsx", exported_by="tester")
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert "Documents" in wb.sheetnames and wb.worksheets[0].max_column == 9
    assert read_workbook(tmp_path / "w.xlsx").documents == review.documents


# -- bad cells: refused, naming sheet, cell (row from 1), column and value; nothing written ----------------


def _edited(source: Path, target: Path, sheet: str, header: str, row: int, value: object) -> Path:
    wb = openpyxl.load_workbook(source)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row, col).value = value
    wb.save(target)
    return target


@pytest.mark.parametrize(
    ("sheet", "header", "value", "message"),
    [
        ("Data", "Intervention value (page)", "x",
         'Data!BG2 (Intervention value (page)): "x" is not a page number (a whole number from 1)'),
        ("Data", "Intervention value (page)", "0",
         'Data!BG2 (Intervention value (page)): "0" is not a page number (a whole number from 1)'),
        ("Data", "Comparator value (document)", "smith-2004.pdf",
         'Data!BL2 (Comparator value (document)): "smith-2004.pdf" is not a document on the Documents sheet '
         "(it names wahn-2002.pdf)"),
        ("Data", "Intervention value (boxes)", "72 100 96",
         'Data!BJ2 (Intervention value (boxes)): box 1, "72 100 96", is not four numbers x0 y0 x1 y1 (boxes are '
         "separated by ;, e.g. 72 100.5 96.3 112)"),
        ("Documents", "SHA-256", "abc",
         'Documents!F2 (SHA-256): "abc" is not a SHA-256 (64 hex digits)'),
        ("Documents", "Pages", "many", 'Documents!D2 (Pages): "many" is not a whole number'),
    ],
)  # fmt: skip
def test_a_bad_evidence_or_document_cell_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sheet: str, header: str, value: str, message: str
) -> None:
    db, _ = _review_with_evidence(tmp_path, capsys)
    run(capsys, "export", str(db), "-o", str(tmp_path / "w.xlsx"))
    bad = _edited(tmp_path / "w.xlsx", tmp_path / "bad.xlsx", sheet, header, 2, value)
    target = stored_demo(tmp_path / "target.sqlite")
    before = dumps_exchange(stored(target))
    code, out, err = run(capsys, "import", str(target), str(bad))
    assert code != 0 and out == ""
    assert err == f"curator: {bad}: {message}\n"
    assert dumps_exchange(stored(target)) == before


def test_evidence_without_its_page_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = _review_with_evidence(tmp_path, capsys)
    run(capsys, "export", str(db), "-o", str(tmp_path / "w.xlsx"))
    bad = _edited(tmp_path / "w.xlsx", tmp_path / "bad.xlsx", "Data", "Intervention value (page)", 2, None)
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(bad))
    assert code != 0
    assert err == (
        f"curator: {bad}: Data!BG2 (Intervention value (page)): missing; Intervention value (document) is given, "
        "and evidence needs its page\n"
    )
    assert not (tmp_path / "new.sqlite").exists()


# -- every review's documents and evidence read back ------------------------------------------------------


def _carried_evidence(original: Review) -> Review:
    """What a workbook carries of ``original``: its flat form (:func:`flat_form`) with its documents and its
    rows' evidence, less their extensions and an evidence text that is empty or only white space."""
    review = flat_form(original)
    review.documents = [dataclasses.replace(d, extensions={}) for d in original.documents]
    rows = [row for comparison in original.comparisons for row in comparison.rows]
    for row, source in zip((r for c in review.comparisons for r in c.rows), rows, strict=True):
        row.evidence = {
            path: dataclasses.replace(e, extensions={}, text=e.text if e.text and e.text.strip() else None)
            for path, e in source.evidence.items()
        }
    return review


@settings(max_examples=60)
@given(review=reviews(format_1_1=True))
def test_documents_and_evidence_read_back_exactly(tmp_path_factory: pytest.TempPathFactory, review: Review) -> None:
    review = dataclasses.replace(review, comparisons=[c for c in review.comparisons if c.rows])
    review = _carried_evidence(review)
    assume(carried(review))
    path = write_sheets(review, tmp_path_factory.mktemp("ev") / "r.xlsx")
    again = read_workbook(path)
    assert again.documents == review.documents
    assert _evidence(again) == _evidence(review)
    assert again == review


@pytest.mark.parametrize(
    ("boxes", "text"),
    [
        ([[72, 100.5, 96.25, 112.0]], "72 100.5 96.25 112"),
        ([[-0.0, 1e-05, 2**31, 1.5e300], [1, 2, 3, 4]], "0 1e-05 2147483648 1.5e+300; 1 2 3 4"),
        ([], None),
    ],
)
def test_boxes_are_a_compact_text_that_reads_back_exactly(boxes: list[list[float]], text: str | None) -> None:
    assert boxes_text(boxes) == text
    assert parse_boxes(text) == boxes if text else boxes == []


def test_every_field_has_evidence_columns_in_people_s_words() -> None:
    assert evidence_header("effect.ci_low", "page") == "Effect: CI low (page)"
    assert evidence_header("intervention.n", "text") == "Intervention n (text on the page)"


# -- sheets made by hand --------------------------------------------------------------------------------

SHA = "ab" * 32
_LINE = {"comparison.key": "a-vs-b", "comparison.title": "A vs B", "comparison.intervention": "A",
         "comparison.comparator": "B", "endpoint": "Responders", "intervention.value": "42.6"}  # fmt: skip
_DOCUMENTS = [["File", "Reference", "Pages", "SHA-256"], ["wahn-2002.pdf", "7", 12, SHA]]


def _sheets(tmp_path: Path, evidence: dict[str, object], documents: list[list[object]] | None = None) -> Path:
    header = [*DATA_HEADER, *evidence]
    line = [_LINE.get(name) for name in DATA_HEADER] + list(evidence.values())
    return raw_workbook(tmp_path / "w.xlsx", {"Data": [header, line], "Documents": documents or _DOCUMENTS})


def _refused(path: Path) -> str:
    with pytest.raises(InputError) as err:
        read_workbook(path)
    return str(err.value).removeprefix(f"{path}: ")


def test_a_page_typed_as_a_number_and_a_document_named_by_its_hash_read(tmp_path: Path) -> None:
    path = _sheets(tmp_path, {"Intervention value (page)": 3, "Intervention value (document)": SHA.upper()})
    review = read_workbook(path)
    assert review.documents == [Document(SHA, "wahn-2002.pdf", "7", None, 12)]
    assert review.comparisons[0].rows[0].evidence == {"intervention.value": Evidence(SHA, 3)}


@pytest.mark.parametrize(
    ("evidence", "documents", "message"),
    [
        ({"Intervention value (page)": 3.5, "Intervention value (document)": "wahn-2002.pdf"}, None,
         'Data!BG2 (Intervention value (page)): "3.5" is not a page number (a whole number from 1)'),
        ({"Intervention value (page)": "3"}, None,
         "Data!2:2 (Intervention value (document)): missing; Intervention value (page) is given, and evidence "
         "needs its document"),
        ({"Intervention value (page)": "3", "Intervention value (document)": "wahn-2002.pdf"},
         [["File", "SHA-256"], ["wahn-2002.pdf", SHA], ["copy.pdf", SHA]],
         f'Documents!B3 (SHA-256): "{SHA}" is already the SHA-256 of the document on row 2'),
        ({"Intervention value (page)": "3", "Intervention value (document)": "wahn-2002.pdf"},
         [["File", "Hash"], ["wahn-2002.pdf", SHA]], 'Documents!B1: unknown column "Hash"'),
        ({"Intervention value (page)": "3", "Intervention value (document)": "wahn-2002.pdf"},
         [["File", "Pages"], ["wahn-2002.pdf", 3]], 'Documents!1:1: missing required column "SHA-256"'),
        ({"Intervention value (page)": "3", "Intervention value (document)": "a.pdf"},
         [["File", "SHA-256"], ["a.pdf", SHA], ["a.pdf", "cd" * 32]],
         'Data!BH2 (Intervention value (document)): "a.pdf" is the file name of 2 documents: give the SHA-256 '
         "of one"),
        ({"Intervention value (pages)": "3"}, None,
         'Data!BG1: unknown column "Intervention value (pages)" (did you mean "Intervention value (page)"?)'),
    ],
)  # fmt: skip
def test_bad_sheets_made_by_hand_are_refused(
    tmp_path: Path, evidence: dict[str, object], documents: list[list[object]] | None, message: str
) -> None:
    assert _refused(_sheets(tmp_path, evidence, documents)) == message


def test_evidence_on_an_empty_line_is_refused(tmp_path: Path) -> None:
    header = [*DATA_HEADER, "Intervention value (page)", "Intervention value (document)"]
    good = [_LINE.get(name) for name in DATA_HEADER] + ["3", "wahn-2002.pdf"]
    stray = [None] * len(DATA_HEADER) + ["4", "wahn-2002.pdf"]
    path = raw_workbook(tmp_path / "w.xlsx", {"Data": [header, good, stray], "Documents": _DOCUMENTS})
    assert (
        _refused(path) == "Data!BG3 (Intervention value (page)): evidence on a line without a row (it has no endpoint)"
    )


# -- on paper ---------------------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or pdftotext missing")
def test_libreoffice_prints_the_pages_column_and_the_documents(tmp_path: Path) -> None:
    """Printed, the Pages column holds each document's line whole, and the Documents sheet each file,
    citation and SHA-256 whole (comments do not print: the column says it on paper)."""
    assert SOFFICE is not None
    review = _two_documents()
    review.comparisons[0].rows[2].evidence = {"intervention.value": Evidence("ab" * 32, 4, "50.8")}
    book = tmp_path / "pages.xlsx"
    write_workbook(review, book, exported_by="Ana", source="demo.sqlite")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = book.with_suffix(".pdf")

    def page(number: int) -> str:
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
            check=True, capture_output=True, timeout=60,
        ).stdout.decode()  # fmt: skip
        return " ".join(text.split())

    first = page(1)
    for text in ("Pages", "Wahn 2002: pp. 3, 5", "eichenfield.pdf: p. 2", "p. 4", "(p. 3); Pages, the row's pages."):
        assert text in first, text
    documents = page(4)
    assert documents.split()[-1] == "pages.xlsx" and "Documents" in documents
    for text in ("wahn-2002.pdf 7 Wahn U, Bos J. Efficacy", "ab" * 32, "eichenfield.pdf", "cd" * 32):
        assert text in documents, text
    # CURATOR_SCREENSHOTS=1: the top of the first page, with its Pages column (look at it).
    if os.environ.get("CURATOR_SCREENSHOTS") and shutil.which("pdftoppm"):
        crop = ["-x", "0", "-y", "0", "-W", "1169", "-H", "260"]
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", *crop, str(pdf),
                        str(DOCS / "workbook-pages")], check=True, timeout=60)  # fmt: skip
