"""Files of the shapes real exports have (issue #18), written here from the formats' public descriptions:
Ovid's text between RIS records, Scopus's and Embase's PMIDs, CSL-JSON as Better BibTeX and manubot
write it, CSL title markup, dash forms of page ranges, Web of Science tagged files, and what a file
that is no reference file seems to be."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.errors import CuratorError, InputError
from curator.formats.references import detect_format, is_reference_file, read_reference_file
from curator.formats.references.csljson import plain_title
from curator.formats.references.fields import one_dash
from curator.formats.sniff import seems_to_be
from curator.services.references import read_reference_files
from tests.helpers import run


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def references(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "export", str(db), "-o", "-")
    assert code == 0
    return list(json.loads(out)["references"])


# -- RIS: Ovid's text between records ----------------------------------------------------------

OVID = """1.
TY  - JOUR
ID  - 2019-65183-001
T1  - First record.
A1  - Doe, Jane
Y1  - 2019//
ER  -
NL  - Clin Psychol Psychother

Link to the Ovid Full Text or citation: http://ovidsp.ovid.com/ovidweb.cgi?T=JS&CSC=Y&NEWS=N&PAGE=fulltext

2.
TY  - JOUR
T1  - Second record.
A1  - Roe, Richard
Y1  - 2020//
ER  -
NL  - J Health Psychol

Link to the Ovid Full Text or citation: http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=fulltext
"""


def test_text_between_ovid_records_is_not_a_record(tmp_path: Path) -> None:
    rf = read_reference_file(write(tmp_path, "ovid.ris", OVID))
    assert rf.problems == []
    assert [(r.title, r.authors, r.year) for r in rf.references] == [
        ("First record.", ["Doe, Jane"], 2019),
        ("Second record.", ["Roe, Richard"], 2020),
    ]


def test_tags_closed_by_an_er_are_still_a_record_without_its_ty(tmp_path: Path) -> None:
    text = OVID.replace("2.\nTY  - JOUR\n", "2.\n")  # the second record lost its TY: it ends with ER
    rf = read_reference_file(write(tmp_path, "ovid.ris", text))
    assert [r.title for r in rf.references] == ["First record."]
    assert [(p.where, p.message) for p in rf.problems] == [("line 8", "the record has no TY line at its start")]


def test_an_ovid_export_imports_without_skip_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    code, out, err = run(capsys, "import", str(db), str(write(tmp_path, "ovid.ris", OVID)))
    assert (code, err) == (0, "") and out.startswith("Imported 2 references")


# -- RIS: PMIDs of Scopus (C2) and Embase (C5) -------------------------------------------------

SCOPUS = """TY  - JOUR
TI  - Hypothesis: a Scopus record
AU  - Uno, Y.
PY  - 2019
C7  - 109324
DB  - Scopus
C2  - 31421429
ER  -

TY  - JOUR
TI  - A record with its PMID said in words
AU  - Doe, J.
C3  - PubMed ID: 12345678
ER  -

TY  - JOUR
TI  - A record whose C2 is no PMID
AU  - Roe, R.
C2  - CODEN: MEHYD
C7  - 31421429
ER  -
"""

EMBASE = """TY  - JOUR
T1  - An Embase record
A1  - Eloubeidi M.A.
Y1  - 2004
U2  - L39097156
C5  - 15368318
DB  - Embase
DB  - Medline
ER  -
"""


def test_scopus_c2_and_embase_c5_are_pmids(tmp_path: Path) -> None:
    scopus = read_reference_file(write(tmp_path, "scopus.ris", SCOPUS)).references
    assert [r.pmid for r in scopus] == ["31421429", "12345678", None]
    assert "Custom2" not in (scopus[0].note or "") and "Custom7: 109324" in (scopus[0].note or "")
    assert "Custom2: CODEN: MEHYD" in (scopus[2].note or "")  # not a PMID: kept in the note
    assert "Custom7: 31421429" in (scopus[2].note or "")  # C7 is Scopus's article number, never a PMID
    (embase,) = read_reference_file(write(tmp_path, "embase.ris", EMBASE)).references
    assert embase.pmid == "15368318" and "Custom5" not in (embase.note or "")


# -- CSL-JSON: known by its shape, every item read ---------------------------------------------

EDITOR_ONLY = {"id": "Wordsworth1883", "type": "book", "editor": [{"family": "Wordsworth", "given": "John"}]}


def csl_items() -> list[dict[str, object]]:
    """An editor-only item first (as the detector used to look at the first 20), an item without a type,
    a web page with no author and no id, and an article."""
    return [
        EDITOR_ONLY,
        {"id": "untyped", "title": "An item without a type", "author": [{"family": "Doe", "given": "J"}]},
        {"type": "webpage", "title": "A web page", "URL": "https://example.org"},
        {"id": "a1", "type": "article-journal", "title": "An article", "DOI": "10.1000/x", "page": "1–9"},
    ]


def test_csl_json_is_known_by_its_shape_and_every_item_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "library.json", json.dumps(csl_items()))
    assert is_reference_file(path) and detect_format(path, path.read_text()) == "csl-json"
    rf = read_reference_file(path)
    assert rf.problems == []
    editor, untyped, page, article = rf.references
    assert (editor.key, editor.authors, editor.note) == ("Wordsworth1883", [], "type: book\neditor: Wordsworth, John")
    assert (untyped.title, untyped.authors) == ("An item without a type", ["Doe, J"])
    assert (page.title, page.url) == ("A web page", "https://example.org")
    assert (article.doi, article.pages) == ("10.1000/x", "1-9")


@pytest.mark.parametrize("shape", ["items", "one item"])
def test_csl_json_as_an_object_of_items_or_one_item(tmp_path: Path, shape: str) -> None:
    data: object = {"items": csl_items()} if shape == "items" else csl_items()[3]
    rf = read_reference_file(write(tmp_path, "library.json", json.dumps(data)))
    assert [r.title for r in rf.references][-1] == "An article" and rf.problems == []


def test_an_item_that_cannot_be_a_reference_is_named_by_place_and_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [*csl_items(), {"id": "raw:blank", "type": "entry"}, 7]
    path = write(tmp_path, "library.json", json.dumps(items))
    rf = read_reference_file(path)
    assert len(rf.references) == 4
    assert [(p.where, p.message) for p in rf.problems] == [
        ("record 5 (id 'raw:blank')", "the item has no title, author, editor, journal or identifier: it describes no work"),
        ("record 6", "an item should be an object (a reference), not 7"),
    ]  # fmt: skip
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    code, out, err = run(capsys, "import", str(db), str(path))
    assert code == 2 and out == ""
    assert "2 records cannot be read; nothing was imported" in err and "record 5 (id 'raw:blank')" in err
    assert db.read_bytes() == before  # nothing half-written


def test_a_csl_list_never_reaches_the_curator_1_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A .json list whose items are not references is refused by the CSL-JSON reader, naming the item."""
    path = write(tmp_path, "numbers.json", "[1, 2]")
    with pytest.raises(InputError, match=r"record 1: .*an item should be an object \(a reference\), not 1"):
        read_reference_file(path)
    db = tmp_path / "r.sqlite"
    code, _out, err = run(capsys, "import", str(db), str(path))
    assert code == 2 and "curator/1" not in err and "an item should be an object" in err
    assert not db.exists()


def test_a_better_bibtex_export_imports_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    path = write(tmp_path, "library.json", json.dumps(csl_items()))
    code, out, err = run(capsys, "import", str(db), str(path))
    assert (code, err) == (0, "") and out.startswith("Imported 4 references")


# -- CSL-JSON: titles' markup ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        ("The eruption of <b>Huaynaputina</b>, Peru", "The eruption of Huaynaputina, Peru"),
        ("Die Bücher <i>Prouerbia</i> und <i>Ecclesiastes</i>", "Die Bücher Prouerbia und Ecclesiastes"),
        ('Notes. <span class="nocase">Collecta ex diuersis</span>', "Notes. Collecta ex diuersis"),
        ("the St. Germain ms. (g<sub>1</sub>)", "the St. Germain ms. (g₁)"),
        ("Area in m<sup>2</sup> and CO<sub>2</sub>", "Area in m² and CO₂"),
        ("The 20<sup>th</sup> century", "The 20ᵗʰ century"),  # letters too, as BibTeX's (test_scripts.py)
        ("Order p<sup>q</sup>", "Order pq"),  # no superscript q in Unicode: plain text
        ("<sc>Small caps</sc> title", "Small caps title"),
        ("When a < b and c > d", "When a < b and c > d"),  # not markup: kept
    ],
)
def test_csl_title_markup_is_dropped(title: str, plain: str) -> None:
    assert plain_title(title) == plain


def test_csl_title_and_journal_are_plain_text(tmp_path: Path) -> None:
    item = {"type": "article-journal", "title": "On <i>E. coli</i>", "container-title": "<i>Nature</i>"}
    (ref,) = read_reference_file(write(tmp_path, "a.json", json.dumps([item]))).references
    assert (ref.title, ref.journal) == ("On E. coli", "Nature")


# -- page ranges: one form for every reader ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.json", json.dumps([{"type": "article-journal", "title": "t", "page": "797–810", "issue": "7–8"}])),
        ("a.ris", "TY  - JOUR\nTI  - t\nSP  - 797—810\nIS  - 7–8\nER  - \n"),
        ("a.nbib", "PMID- 1\nTI  - t\nPG  - 797--810\nIP  - 7 – 8\n"),
    ],
)
def test_page_and_issue_ranges_have_a_hyphen_whatever_the_reader(tmp_path: Path, name: str, text: str) -> None:
    (ref,) = read_reference_file(write(tmp_path, name, text)).references
    assert (ref.pages, ref.issue) == ("797-810", "7-8")


def test_a_shortened_last_page_is_kept_as_printed(tmp_path: Path) -> None:
    (ref,) = read_reference_file(write(tmp_path, "a.ris", "TY  - JOUR\nTI  - t\nSP  - 349–69\nER  - \n")).references
    assert ref.pages == "349-69"


# -- Web of Science tagged files ---------------------------------------------------------------

WOS = """FN Thomson Reuters Web of Science™
VR 1.0
PT J
AU Li, W
   Dou, Z
AF Li, Wei
   Dou, Zhiguo
TI Soil fauna diversity at different stages of reed restoration in a
   lakeshore wetland
SO ECOSYSTEM HEALTH AND SUSTAINABILITY
VL 6
IS 1
AR UNSP 1722034
DI 10.1080/20964129.2020.1722034
PD DEC 16 2020
PY 2020
UT WOS:000514379300001
ER

PT J
AU Zhang, X
TI miR-324-5p inhibits gallbladder carcinoma
SO ARTIFICIAL CELLS NANOMEDICINE AND BIOTECHNOLOGY
PY 2020
VL 48
IS 1
BP 315
EP 324
DI 10.1080/21691401.2019.1703724
PM 31858815
ER

EF
"""


@pytest.mark.parametrize("name", ["savedrecs.txt", "savedrecs.ciw", "named-as.ris"])
def test_a_web_of_science_tagged_file_is_imported(tmp_path: Path, name: str) -> None:
    rf = read_reference_file(write(tmp_path, name, WOS))
    assert rf.format == "wos" and rf.problems == []
    first, second = rf.references
    assert (first.title, first.authors, first.journal) == (
        "Soil fauna diversity at different stages of reed restoration in a lakeshore wetland",
        ["Li, Wei", "Dou, Zhiguo"],  # AF, the names in full, rather than AU's initials
        "ECOSYSTEM HEALTH AND SUSTAINABILITY",
    )
    assert (first.year, first.volume, first.issue, first.pages, first.doi, first.pmid) == (
        2020, "6", "1", "UNSP 1722034", "10.1080/20964129.2020.1722034", None,
    )  # fmt: skip
    assert "Web of Science id: WOS:000514379300001" in (first.note or "")
    assert (second.authors, second.pages, second.pmid) == (["Zhang, X"], "315-324", "31858815")


def test_a_web_of_science_record_without_er_is_named(tmp_path: Path) -> None:
    text = WOS.replace("UT WOS:000514379300001\nER\n", "UT WOS:000514379300001\n")
    rf = read_reference_file(write(tmp_path, "savedrecs.txt", text))
    assert [r.pmid for r in rf.references] == ["31858815"]
    assert [(p.where, p.message) for p in rf.problems] == [
        ("line 3", "the record has no ER line before the next record (line 19)")
    ]


# -- what a file that is not a reference file seems to be --------------------------------------


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


@pytest.mark.parametrize(
    ("name", "content", "seems"),
    [
        ("paper.pdf", b"%PDF-1.7\n%...", "a PDF document"),
        ("export.txt", b"<!DOCTYPE html>\n<html><body>Results</body></html>", "a web page (HTML)"),
        ("library.xml", b'<?xml version="1.0"?><xml><records><record><titles/></record></records></xml>',
         "an EndNote XML file (export RIS from EndNote instead"),
        ("library.enw", b"%0 Journal Article\n%T A title\n%A Doe, J\n", "an EndNote tagged (.enw) file"),
        ("savedrecs.txt", b"PT\tAU\tBA\tTI\nJ\tLi, W\t\tSoil\n", "a Web of Science tab-delimited file"),
        ("cut.txt", b"PT J\nAU Li, W\nTI Soil\nER\n", "a Web of Science tagged file without its first lines"),
        ("utf16.txt", "TY  - JOUR\nTI  - x\nER  - \n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        ("review.json", json.dumps({"format": "curator/1", "references": []}).encode(), "a Curator review file (curator/1)"),
    ],
)  # fmt: skip
def test_what_a_file_seems_to_be(tmp_path: Path, name: str, content: bytes, seems: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert (seems_to_be(path) or "").startswith(seems)


def test_a_workbook_and_plain_text_seem_what_they_are(tmp_path: Path) -> None:
    assert seems_to_be(_xlsx(tmp_path / "sheet.xlsx")) == "an Excel workbook"
    assert seems_to_be(write(tmp_path, "notes.txt", "just some notes\n")) is None  # nothing certain to say


def test_refusing_a_file_says_what_it_seems_to_be(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "export.txt"
    html.write_bytes(b"<!DOCTYPE html>\n<html><body>Results</body></html>")
    with pytest.raises(InputError, match=r"not a reference manager's file .*: it seems to be a web page \(HTML\)"):
        read_reference_file(html)
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(
        CuratorError, match=r"paper\.pdf: not a reference manager's file .*it seems to be a PDF document"
    ):
        read_reference_files([pdf])
    own = write(tmp_path, "review.ris", json.dumps({"format": "curator/1", "references": []}))
    with pytest.raises(InputError, match=r"no RIS record found in the file: it seems to be a Curator review file"):
        read_reference_file(own)
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    code, out, err = run(capsys, "import", str(db), str(html))
    assert (code, out) == (2, "") and "it seems to be a web page (HTML)" in err
    assert db.read_bytes() == before


# -- importing the same file twice -------------------------------------------------------------


def test_importing_a_file_again_says_its_references_were_already_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.sqlite"
    path = write(tmp_path, "embase.ris", EMBASE + SCOPUS)
    code, out, err = run(capsys, "import", str(db), str(path))
    assert (code, err) == (0, "") and out.startswith("Imported 4 references into ")
    stored = references(capsys, db)
    code, out, err = run(capsys, "import", str(db), str(path))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"Imported nothing new into {db}; 4 references were already in the review"
    assert references(capsys, db) == stored


def test_a_numbered_reference_list_is_not_taken_for_json(tmp_path: Path) -> None:
    listed = write(tmp_path, "refs.txt", "[1] Doe J. A title. J Dermatol. 2004;12:45-67.\n")
    assert not is_reference_file(listed)
    with pytest.raises(
        InputError, match=r"refs.txt: not a reference manager's file \(RIS, PubMed/MEDLINE, BibTeX, CSL-JSON or Web "
    ):
        read_reference_file(listed)
    broken = write(tmp_path, "refs.json", '[{"type": "book", "title": "x",')
    with pytest.raises(InputError, match="not valid JSON"):
        read_reference_file(broken)


_DASHES = "-–—−‐ "


@given(st.text(alphabet="12ab-–—−‐ e\n", max_size=16))
def test_one_dash_changes_only_dashes_and_the_spaces_around_them(text: str) -> None:
    once = one_dash(text)
    assert once is not None and one_dash(once) == once  # a second pass changes nothing
    kept = [c for c in once if c not in _DASHES and not c.isspace()]
    assert kept == [c for c in text if c not in _DASHES and not c.isspace()]
