"""The files that crashed or hung the importers, each run by the real command in its own process.

Each import must end with exit 0, 1 or 2 (never 3, an internal error), one
line naming the file and what is wrong, and within a bound that only says
"it did not hang": the process is killed after HANG seconds. After a
refusal the review is byte-identical to what it was.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.helpers import stored_demo
from tests.reliability.bounded import curator

#: Seconds after which an import is taken to hang. Generous: each of these takes about a second.


def snapshot(db: Path) -> dict[str, bytes]:
    """The review's file and its side files (-wal, -shm), byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(db.parent.glob(db.name + "*"))}


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_demo(tmp_path / "review.sqlite")


def refused(review: Path, file: Path, *, because: str, extra: tuple[str, ...] = ()) -> str:
    """Import ``file`` into ``review``: exit 2, one line naming the file and ``because``, review unchanged."""
    before = snapshot(review)
    proc = curator("import", *extra, review, file)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert proc.stderr.startswith(f"curator: {file}") and because in proc.stderr, proc.stderr
    assert snapshot(review) == before
    return proc.stderr


# -- deep nesting -----------------------------------------------------------------

DEPTH = 100_000


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_a_json_file_nested_100000_deep_is_refused(review: Path, tmp_path: Path) -> None:
    file = tmp_path / "deep.json"
    file.write_text(nested(DEPTH))
    err = refused(review, file, because="nested too deeply")
    assert err.count("\n") == 1


def test_a_csl_json_item_with_a_value_nested_100000_deep_is_refused(review: Path, tmp_path: Path) -> None:
    file = tmp_path / "items.json"
    file.write_text('[{"type": "article-journal", "title": "A", "note": ' + nested(DEPTH) + "}]")
    refused(review, file, because="nested too deeply")


def test_a_csl_json_value_nested_just_below_json_s_limit_is_a_record_problem(review: Path, tmp_path: Path) -> None:
    file = tmp_path / "items.json"
    file.write_text('[{"type": "article-journal", "title": "A", "author": ' + nested(900) + "}]")
    refused(review, file, because="record 1")


@pytest.mark.parametrize("depth", [DEPTH, 600])
def test_a_curator_1_file_nested_too_deeply_is_refused(review: Path, tmp_path: Path, depth: int) -> None:
    """At 100,000 levels JSON itself gives up; at a few hundred the reader would have."""
    doc = json.loads((Path(__file__).parents[2] / "resources" / "demo-review.json").read_text())
    doc["comparisons"][0]["x-deep"] = "@@"
    file = tmp_path / "deep-review.json"
    file.write_text(json.dumps(doc).replace('"@@"', nested(depth)))
    refused(review, file, because="nested too deeply")


def test_a_curator_1_extension_nested_300_deep_is_kept(review: Path, tmp_path: Path) -> None:
    doc = json.loads((Path(__file__).parents[2] / "resources" / "demo-review.json").read_text())
    doc["comparisons"][0]["x-deep"] = "@@"
    file = tmp_path / "deep-review.json"
    file.write_text(json.dumps(doc).replace('"@@"', nested(300)))
    proc = curator("import", "--replace", review, file)
    assert proc.returncode == 0, proc.stderr


# -- a damaged workbook -------------------------------------------------------------


def damaged(workbook: Path, part: str, out: Path) -> Path:
    """``workbook`` with the first compressed bytes of ``part`` flipped: its deflate stream is broken."""
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as z:
        info = z.getinfo(part)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    at = info.header_offset
    start = (
        at + 30 + int.from_bytes(data[at + 26 : at + 28], "little") + int.from_bytes(data[at + 28 : at + 30], "little")
    )
    for k in range(start, start + min(info.compress_size, 64)):
        data[k] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workbook")
    db = stored_demo(folder / "demo.sqlite")
    out = folder / "demo.xlsx"
    proc = curator("export", db, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml"]
)
def test_a_workbook_with_a_damaged_compressed_part_is_refused(
    review: Path, tmp_path: Path, workbook: Path, part: str
) -> None:
    file = damaged(workbook, part, tmp_path / "damaged.xlsx")
    err = refused(review, file, because=f"a damaged zip file: the part {part} cannot be decompressed")
    assert err.count("\n") == 1


def data_sheet_part(workbook: Path) -> str:
    """The zip part that holds the workbook's Data sheet (``xl/worksheets/sheet5.xml``)."""
    with zipfile.ZipFile(workbook) as z:
        sheets = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    (rid,) = re.findall(r'<sheet name="Data" [^>]*r:id="(rId\d+)"', sheets)
    (target,) = re.findall(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels)
    return "xl/" + target


def test_a_workbook_whose_data_sheet_is_damaged_past_its_beginning_is_refused(
    review: Path, tmp_path: Path, workbook: Path
) -> None:
    """Damage the container check does not read (it reads 4 KB of each part): calamine finds it."""
    part = data_sheet_part(workbook)
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as z:
        info = z.getinfo(part)
    at = info.header_offset
    start = (
        at + 30 + int.from_bytes(data[at + 26 : at + 28], "little") + int.from_bytes(data[at + 28 : at + 30], "little")
    )
    middle = start + info.compress_size * 3 // 4
    for k in range(middle, middle + 32):
        data[k] ^= 0xFF
    file = tmp_path / "damaged-late.xlsx"
    file.write_bytes(bytes(data))
    refused(review, file, because="cannot be read as an xlsx workbook")


def test_a_workbook_cell_of_brackets_nested_16000_deep_is_refused(review: Path, tmp_path: Path, workbook: Path) -> None:
    """A list cell (authors) starting with [ is read as JSON: a full cell of brackets is too deep for it."""
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    sheet = wb["References"]
    column = [c.value for c in sheet[1]].index("authors") + 1
    sheet.cell(row=2, column=column).value = nested(16_000)
    file = tmp_path / "deep-cell.xlsx"
    wb.save(file)
    refused(review, file, because="References!F2 (authors)")


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("pad", [0, 5000])
def test_a_workbook_with_an_entity_bomb_in_its_data_sheet_is_refused(
    review: Path, tmp_path: Path, workbook: Path, pad: int
) -> None:
    """A billion laughs, at the top of the Data sheet or after a 5 KB comment (past what the
    container check reads): refused, never expanded."""
    part = data_sheet_part(workbook)
    file = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(workbook) as zin, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                head, rest = data.decode().split("?>", 1)
                text = head + "?>" + ("<!--" + " " * pad + "-->" if pad else "") + LAUGHS + rest
                data = text.replace("</t>", "&lol9;</t>", 1).encode()
            zout.writestr(info, data)
    err = refused(review, file, because="declares a DTD" if pad == 0 else "cannot be read as an xlsx workbook")
    assert err.count("\n") == 1


# -- repeated records and huge fields --------------------------------------------------

RECORD = (
    "TY  - JOUR\nTI  - Pimecrolimus cream in atopic dermatitis\nAU  - Smith, J\nPY  - 2001\nJO  - J Test\nER  - \n\n"
)


def test_4000_identical_ris_records_import_as_one(review: Path, tmp_path: Path) -> None:
    file = tmp_path / "same.ris"
    file.write_text(RECORD * 4000)
    proc = curator("import", review, file)
    assert proc.returncode == 0, proc.stderr
    assert "1 reference" in proc.stdout


def test_a_bibtex_title_of_a_megabyte_is_refused_at_once(review: Path, tmp_path: Path) -> None:
    file = tmp_path / "big.bib"
    file.write_text("@article{a,\n title={" + "x" * 1_048_576 + "},\n author={Smith, J},\n year={2001}\n}\n")
    refused(
        review,
        file,
        because="line 1: no record could be read: the title is 1,048,576 characters long; "
        "no reference needs more than 65,536",
    )


def test_skip_bad_imports_the_records_beside_a_huge_one(review: Path, tmp_path: Path) -> None:
    file = tmp_path / "big.bib"
    file.write_text(
        "@article{a,\n title={" + "x" * 1_048_576 + "},\n year={2001}\n}\n\n"
        "@article{b,\n title={Pimecrolimus in children},\n author={Smith, J},\n year={2001}\n}\n"
    )
    before = snapshot(review)
    proc = curator("import", review, file)
    assert proc.returncode == 2 and "1 record cannot be read; nothing was imported" in proc.stderr, proc.stderr
    assert "line 1: the title is 1,048,576 characters long" in proc.stderr
    assert snapshot(review) == before
    proc = curator("import", "--skip-bad", review, file)
    assert proc.returncode == 0, proc.stderr
    assert "1 reference" in proc.stdout


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("big.ris", "TY  - JOUR\nTI  - " + "x" * 1_048_576 + "\nER  - \n"),
        ("big.nbib", "PMID- 1\nTI  - a\n" + "\n".join(["      " + "word " * 14] * 15_000) + "\n\n"),
        ("big.json", json.dumps([{"type": "article-journal", "title": "x" * 1_048_576}])),
    ],
)
def test_a_huge_field_in_any_reference_format_is_refused(review: Path, tmp_path: Path, name: str, text: str) -> None:
    file = tmp_path / name
    file.write_text(text)
    refused(review, file, because="characters long; no reference needs more than 65,536")
