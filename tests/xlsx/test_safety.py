"""No review text becomes a formula or a link; hostile files are refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from curator.demo import demo_review
from curator.errors import InputError
from curator.formats import xlsx_read
from curator.formats.flat import DATA_HEADER
from curator.formats.xlsx_read import read_workbook
from curator.review import Reference
from tests.xlsx.helpers import write_sheets

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_stays_text(tmp_path: Path, text: str) -> None:
    review = demo_review()
    review.extensions = {}
    review.title = text
    review.comparisons[0].title = text
    row = review.comparisons[0].rows[0]
    row.endpoint = row.finding = row.note = text
    review.references[0].title = text
    review.references[0].url = "http://evil.example/"
    path = write_sheets(review, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    data = wb["Data"]
    for name in ("comparison.title", "endpoint", "finding", "note"):
        cell = data.cell(2, DATA_HEADER.index(name) + 1)
        assert (cell.value, cell.data_type) == (text, "s"), name
    refs = wb["References"]
    headers = [c.value for c in refs[1]]
    title = refs.cell(2, headers.index("title") + 1)
    assert (title.value, title.data_type, title.hyperlink) == (text, "s", None)
    url = refs.cell(2, headers.index("url") + 1)
    assert url.hyperlink is None
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    assert read_workbook(path).comparisons[0].rows[0].finding == text


def test_links_only_for_well_formed_identifiers(tmp_path: Path) -> None:
    review = demo_review()
    review.references = [
        Reference(key="1", pmid="12345678", doi='10.1000/a<b>"(c)'),
        Reference(key="2", pmid="123456789", doi="not-a-doi"),
        Reference(key="3", pmid="=1+1", doi='10.1000/x "),HYPERLINK("http://evil'),
    ]
    path = write_sheets(review, tmp_path / "l.xlsx")
    ws = openpyxl.load_workbook(path)["References"]
    names = [c.value for c in ws[1]]
    pmid, doi = names.index("pmid") + 1, names.index("doi") + 1
    assert ws.cell(2, pmid).hyperlink.target == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert ws.cell(2, doi).hyperlink.target == "https://doi.org/10.1000/a%3Cb%3E%22%28c%29"
    assert ws.cell(2, doi).value == '10.1000/a<b>"(c)'
    for r in (3, 4):
        assert ws.cell(r, pmid).hyperlink is None and ws.cell(r, doi).hyperlink is None
    assert ws.cell(4, pmid).value == "=1+1" and ws.cell(4, pmid).data_type == "s"
    citation = ws.cell(2, names.index("citation") + 1).value
    assert citation == 'doi:10.1000/a<b>"(c). PMID: 12345678.'
    assert [r.doi for r in read_workbook(path).references] == [r.doi for r in review.references]


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _rewrite(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as z:
        members = {name: z.read(name) for name in z.namelist()}
    members.update(change)
    return _zip(target, members)


def test_a_dtd_is_refused_as_a_possible_xml_bomb(tmp_path: Path) -> None:
    good = write_sheets(demo_review(), tmp_path / "g.xlsx")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    bomb = _rewrite(good, tmp_path / "b.xlsx", {"xl/sharedStrings.xml": laughs})
    with pytest.raises(InputError) as err:
        read_workbook(bomb)
    assert str(err.value) == (
        f"{bomb}: refused: the part xl/sharedStrings.xml declares a DTD, which workbooks do not use "
        "(a possible XML bomb)"
    )


def test_oversized_and_overcompressed_parts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write_sheets(demo_review(), tmp_path / "g.xlsx")
    zeros = _rewrite(good, tmp_path / "z.xlsx", {"xl/media/zeros.bin": bytes(2_000_000)})
    monkeypatch.setattr(xlsx_read, "_RATIO_FLOOR", 1_000_000)
    monkeypatch.setattr(xlsx_read, "MAX_RATIO", 100)
    with pytest.raises(InputError, match=r"refused: the part xl/media/zeros.bin is compressed [0-9,]+ times"):
        read_workbook(zeros)
    monkeypatch.setattr(xlsx_read, "MAX_MEMBER_BYTES", 1_000_000)
    with pytest.raises(InputError, match="refused: the part xl/media/zeros.bin is too big to be a workbook"):
        read_workbook(zeros)


def test_other_files_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    cases = {
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old-style Excel file (.xls)"),
        "data.csv": (b"a,b,c\n1,2,3\n", "looks like a CSV or text file, not an xlsx workbook"),
        "review.json": (b'{"format": "curator/1"}', "this is a JSON file, not an xlsx workbook"),
        "noise.xlsx": (bytes(range(256)) * 4, "not an xlsx workbook (an xlsx file is a zip archive"),
        "empty.xlsx": (b"", "the file is empty, not an xlsx workbook"),
        "broken.xlsx": (b"PK\x03\x04" + bytes(50), "a damaged zip file, not a readable xlsx workbook"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError) as err:
            read_workbook(path)
        assert str(err.value).startswith(f"{path}: ") and message in str(err.value), name
    plain = _zip(tmp_path / "plain.zip", {"a.txt": b"x"})
    with pytest.raises(InputError, match=r"a zip file, but not an xlsx workbook \(it has no xl/workbook.xml\)"):
        read_workbook(plain)
    ods = _zip(tmp_path / "s.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    with pytest.raises(InputError, match=r"OpenDocument spreadsheet \(.ods\); save it as .xlsx"):
        read_workbook(ods)
    with pytest.raises(InputError, match="no such file"):
        read_workbook(tmp_path / "absent.xlsx")
