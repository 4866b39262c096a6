"""A text longer than an Excel cell holds is cut to fit, said, and kept whole elsewhere (issue 15, item 5).

A 40,000-character quote made the workbook export refuse the whole review.
Now the cell holds its first characters and a visible mark, the About sheet
and the command's output say which cells, the JSON export keeps it whole,
and importing such a workbook is refused (a review must not take in a cut
text as if it were whole).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest

from curator.demo import demo_review
from curator.formats.cells import EXCEL_TEXT_LIMIT, collecting_cuts, cut_mark, is_cut, write_text
from curator.formats.exchange import write_exchange
from curator.formats.xlsx_export import write_workbook
from tests.helpers import run

LONG = 40_000


def _long_review(tmp_path: Path) -> Path:
    review = demo_review()
    source = review.comparisons[0].rows[0].source
    assert source is not None
    source.quote = "".join(f"{i:05d} " for i in range(LONG // 6)) + "x" * (LONG % 6)
    assert len(source.quote) == LONG
    path = tmp_path / "long.json"
    write_exchange(review, path)
    return path


def test_a_long_quote_is_cut_in_the_workbook_said_and_kept_whole_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _long_review(tmp_path)
    db, book, again = tmp_path / "r.sqlite", tmp_path / "r.xlsx", tmp_path / "again.json"
    assert run(capsys, "import", str(db), str(source))[0] == 0
    code, stdout, stderr = run(capsys, "export", str(db), "-o", str(book))
    assert code == 0, stderr
    wrote, cut = stderr.strip().splitlines()
    assert wrote.startswith("Wrote 8 rows in 2 comparison sheets")
    assert cut == (
        "Cut: 1 text longer than an Excel cell holds (32,767 characters) cut to fit, each ending with "
        "“… [cut: N characters; the full text is in the JSON export]”: Data!BB2 (40,000 characters). "
        "The review and its JSON export keep them whole; curator import refuses a workbook with a cut text"
    )
    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        cell = wb["Data"]["BB2"].value
        about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    finally:
        wb.close()
    original = json.loads(source.read_text(encoding="utf-8"))["comparisons"][0]["rows"][0]["source"]["quote"]
    mark = "… [cut: 40,000 characters; the full text is in the JSON export]"
    assert len(cell) == EXCEL_TEXT_LIMIT and cell.endswith(mark)
    assert cell == original[: EXCEL_TEXT_LIMIT - len(mark)] + mark
    assert "Data!BB2 (40,000 characters)" in about["Texts cut"]
    # The JSON export is lossless.
    assert run(capsys, "export", str(db), "-o", str(again))[0] == 0
    assert json.loads(again.read_text(encoding="utf-8"))["comparisons"][0]["rows"][0]["source"]["quote"] == original


def test_a_workbook_with_a_cut_text_is_refused_on_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from curator.formats.exchange import read_exchange

    book = tmp_path / "r.xlsx"
    write_workbook(read_exchange(_long_review(tmp_path)), book, exported_by="Ana")
    db = tmp_path / "into.sqlite"
    code, stdout, stderr = run(capsys, "import", str(db), str(book))
    assert code == 2 and stdout == ""
    assert stderr.strip() == (
        f"curator: {book}: Data!BB2: a text of 40,000 characters, cut to fit an Excel cell when the workbook was "
        "written: the workbook cannot bring it back whole; import the review's JSON export instead"
    )
    assert not db.exists()
    # and into an existing review: byte for byte as it was
    existing = tmp_path / "existing.sqlite"
    assert run(capsys, "demo", str(existing))[0] == 0
    before = hashlib.sha256(existing.read_bytes()).hexdigest()
    assert run(capsys, "import", str(existing), str(book))[0] == 2
    assert hashlib.sha256(existing.read_bytes()).hexdigest() == before


class _Sheet:
    name = "S"

    def __init__(self) -> None:
        self.written: dict[tuple[int, int], str] = {}

    def write_string(self, row: int, col: int, text: str, fmt: object = None) -> None:
        self.written[(row, col)] = text


@pytest.mark.parametrize("length", [EXCEL_TEXT_LIMIT - 1, EXCEL_TEXT_LIMIT, EXCEL_TEXT_LIMIT + 1])
def test_cut_only_beyond_the_limit(length: int) -> None:
    ws = _Sheet()
    text = "a" * length
    with collecting_cuts() as cuts:
        write_text(ws, 0, 2, text)  # type: ignore[arg-type]
    written = ws.written[(0, 2)]
    if length <= EXCEL_TEXT_LIMIT:
        assert written == text and cuts == [] and is_cut(written) is None
    else:
        assert len(written) == EXCEL_TEXT_LIMIT and written.endswith(cut_mark(length))
        assert [(c.cell, c.length) for c in cuts] == [("S!C1", length)]
        assert is_cut(written) == length


def test_a_text_that_only_looks_cut_at_another_length_is_not() -> None:
    looks = "a" * 10 + cut_mark(40_000)
    assert is_cut(looks) is None
