"""Each reader on hand-written files in its format's published layout: every mapped field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.errors import InputError
from curator.formats.references import is_reference_file, read_reference_file
from curator.formats.references.encoding import decode
from curator.review import Reference

FIXTURES = Path(__file__).parent / "fixtures"
TITLE = "Efficacy and safety of pimecrolimus cream in the long-term management of atopic dermatitis in children"
AUTHORS = ["Müller, Hans", "Łukasz, Nowak", "Øster, Anne"]
JAAD = "Journal of the American Academy of Dermatology"


def fields(ref: Reference) -> dict[str, object]:
    return {
        name: getattr(ref, name)
        for name in (
            "key",
            "title",
            "authors",
            "journal",
            "volume",
            "issue",
            "pages",
            "year",
            "pmid",
            "pmcid",
            "doi",
            "url",
        )
    }


def test_ris_from_zotero() -> None:
    rf = read_reference_file(FIXTURES / "zotero.ris")
    assert (rf.format, rf.encoding, rf.problems, rf.where) == (
        "ris",
        "utf-8",
        [],
        ["line 1", "line 27", "line 35", "line 43"],
    )
    first, letter, again, book = rf.references
    assert fields(first) == {
        "key": "mueller2004", "title": TITLE, "authors": AUTHORS, "journal": JAAD, "volume": "50", "issue": "3",
        "pages": "345-352", "year": 2004, "pmid": "14988675", "pmcid": "PMC1234567",
        "doi": "10.1016/J.JAAD.2003.09.001",
        "url": "https://www.sciencedirect.com/science/article/pii/S0190962203023012",
    }  # fmt: skip
    assert first.note == (
        "Read in full on 2024-05-01\nJournal abbreviation: J Am Acad Dermatol\nDate: 2004/03/15/\n"
        "Keywords: atopic dermatitis; pimecrolimus\n"
        "Abstract: Background: Pimecrolimus cream 1% is a nonsteroid treatment of atopic dermatitis."
    )
    assert fields(letter) == {
        "key": "", "title": "A letter with no year", "authors": ["Doe, John"], "journal": "Br J Dermatol",
        "volume": "151", "issue": None, "pages": "12-13", "year": None, "pmid": None, "pmcid": None, "doi": None,
        "url": None,
    }  # fmt: skip
    assert again.doi == "10.1016/j.jaad.2003.09.001" and again.year == 2004
    assert (book.doi, book.url) == ("10.1002/9781444317633", "https://doi.org/10.1002/9781444317633")
    assert book.note == "Publisher: Wiley-Blackwell\nPlace published: Oxford\nType: BOOK"


def test_ris_latin1_crlf_from_endnote() -> None:
    rf = read_reference_file(FIXTURES / "endnote_latin1_crlf.ris")
    assert rf.encoding == "cp1252" and rf.problems == []
    (ref,) = rf.references
    assert fields(ref) == {
        "key": "Muller1999", "title": "Eczéma de l'enfant: étude ouverte",
        "authors": ["Müller, Hans", "Øster, Anne", "Françoise, Lefèvre"],
        "journal": "Annales de Dermatologie et de Vénéréologie", "volume": "126", "issue": "2", "pages": "101-105",
        "year": 1999, "pmid": None, "pmcid": None, "doi": "10.1000/ann.1999.126", "url": None,
    }  # fmt: skip
    assert ref.note is None


def test_medline_from_pubmed() -> None:
    rf = read_reference_file(FIXTURES / "pubmed.nbib")
    assert (rf.format, rf.problems, rf.where) == ("medline", [], ["line 1", "line 42"])
    first, ahead = rf.references
    assert fields(first) == {
        "key": "", "title": TITLE, "authors": AUTHORS, "journal": JAAD, "volume": "50", "issue": "3",
        "pages": "345-52", "year": 2004, "pmid": "14988675", "pmcid": "PMC1234567",
        "doi": "10.1016/j.jaad.2003.09.001", "url": None,
    }  # fmt: skip
    note = (first.note or "").split("\n")
    assert "Abstract: BACKGROUND: Pimecrolimus cream 1% is a nonsteroid treatment of atopic dermatitis." in note
    assert "Affiliation: Department of Dermatology, Universität Zürich, Switzerland." in note
    assert "Publication type: Journal Article; Randomized Controlled Trial" in note
    assert "Article id: S0190962203023012 [pii]" in note
    assert not any(line.startswith(("OWN", "STAT", "SO", "EDAT")) for line in note)
    assert fields(ahead) == {
        "key": "", "title": "An ahead-of-print article without a date",
        "authors": ["Ødegård, Kari", "Nordic Eczema Group"], "journal": "Acta dermato-venereologica",
        "volume": None, "issue": None, "pages": None, "year": None, "pmid": "99999999", "pmcid": None,
        "doi": "10.2340/00015555-9999", "url": None,
    }  # fmt: skip


def test_medline_with_bom_and_crlf_as_txt() -> None:
    rf = read_reference_file(FIXTURES / "pubmed_bom_crlf.txt")
    assert (rf.format, rf.encoding) == ("medline", "utf-8 with BOM")
    (ref,) = rf.references
    assert ref.title == "Étude multicentrique de la dermatite atopique chez l'enfant (DAE)"
    assert (ref.pmid, ref.year, ref.doi, ref.authors) == (
        "10000001",
        2001,
        "10.1000/ADV.2001.1",
        ["Lefèvre, Françoise"],
    )
    assert ref.journal == "Ann Dermatol Venereol"


def test_bibtex() -> None:
    rf = read_reference_file(FIXTURES / "library.bib")
    assert rf.format == "bibtex" and rf.where == ["line 4", "line 21", "line 29", "line 42"]
    (problem,) = rf.problems
    assert problem.where == "line 37" and "closing" in problem.message
    first, letter, again, book = rf.references
    assert fields(first) == {
        "key": "mueller2004", "title": TITLE, "authors": AUTHORS, "journal": JAAD, "volume": "50", "issue": "3",
        "pages": "345-352", "year": 2004, "pmid": "14988675", "pmcid": "PMC1234567",
        "doi": "10.1016/j.jaad.2003.09.001", "url": "https://example.org/paper%20one",
    }  # fmt: skip
    assert first.note == "Read in full\nkeywords: atopic dermatitis, pimecrolimus"
    assert (letter.year, letter.pages, letter.volume) == (None, "12-13", "151")
    assert (again.doi, again.title) == ("10.1016/J.JAAD.2003.09.001", "Efficacy and safety of pimecrolimus cream")
    assert (book.pmid, book.note) == ("12345", "type: book\npublisher: Wiley-Blackwell")


def test_csl_json_from_zotero() -> None:
    rf = read_reference_file(FIXTURES / "zotero.json")
    assert rf.format == "csl-json" and rf.where == ["record 1", "record 2", "record 4"]
    (problem,) = rf.problems
    assert (problem.where, problem.message) == ("record 3 (id 'bad')", "'author' should be a list of names")
    first, letter, book = rf.references
    assert fields(first) == {
        "key": "mueller2004", "title": TITLE,
        "authors": [*AUTHORS, "van den Berg, Jan", "Nordic Eczema Group"], "journal": JAAD, "volume": "50",
        "issue": "3", "pages": "345-352", "year": 2004, "pmid": "14988675", "pmcid": "PMC1234567",
        "doi": "10.1016/j.jaad.2003.09.001", "url": "https://example.org/paper",
    }  # fmt: skip
    assert first.note == (
        "Read in full\ncontainer-title-short: J Am Acad Dermatol\nsource: PubMed\n"
        "abstract: Background: Pimecrolimus cream 1% is a nonsteroid treatment."
    )
    assert (letter.key, letter.year, letter.volume) == ("doe-nodate", None, "151")
    assert (book.year, book.note) == (2010, "type: book\npublisher: Wiley-Blackwell")


def test_curator_json_is_not_a_reference_file(tmp_path: Path) -> None:
    own = tmp_path / "review.json"
    own.write_text(json.dumps({"format": "curator/1", "references": [{"key": "1", "title": "x"}]}))
    csl = tmp_path / "refs.json"
    csl.write_text(json.dumps([{"type": "article-journal", "title": "x"}]))
    assert not is_reference_file(own)
    assert is_reference_file(csl)
    assert is_reference_file(FIXTURES / "pubmed_bom_crlf.txt")
    assert is_reference_file(tmp_path / "missing.ris")  # by extension; reading it reports the problem
    assert not is_reference_file(tmp_path / "table.xlsx")
    with pytest.raises(InputError, match="not a reference manager's file"):
        read_reference_file(own)


def test_malformed_ris_names_the_record_line() -> None:
    rf = read_reference_file(FIXTURES / "malformed.ris")
    assert [r.title for r in rf.references] == ["First record, well formed", "Third record, well formed"]
    (problem,) = rf.problems
    assert str(problem) == (
        f"{FIXTURES / 'malformed.ris'}: line 7: the record has no ER line before the next record (line 12)"
    )


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("a.ris", "TY  - JOUR\nTI  - x\n", "line 1"),
        ("a.nbib", "PMID- 1\nthis is not a tag line\n", "line 2"),
        ("a.json", '[{"type": "article-journal", "title": "x",\n "author": 3', "line 2"),
        ("a.bib", "@article{a,\n title = {never closed\n", "line 1"),
    ],
)
def test_unreadable_files_raise_with_place(tmp_path: Path, name: str, text: str, where: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_reference_file(path)
    assert err.value.file == str(path) and err.value.where == where


def test_missing_file() -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_reference_file(FIXTURES / "nope.ris")


def test_ris_orphan_tags_and_truncated_record() -> None:
    from curator.formats.references.ris import read_ris

    text = "AU  - Doe, J\nTI  - no TY\nER  - \nTY  - JOUR\nTI  - fine\nER  - \nTY  - JOUR\nTI  - cut"
    parsed = read_ris(text, "f.ris")
    assert [r.title for r in parsed.references] == ["fine"]
    assert [(p.where, p.message) for p in parsed.problems] == [
        ("line 1", "the record has no TY line at its start"),
        ("line 7", "the record has no ER line: the file ends inside it"),
    ]


def test_decode() -> None:
    assert decode("Müller\r\nx\ry".encode()) == ("Müller\nx\ny", "utf-8")
    assert decode(b"\xef\xbb\xbfA") == ("A", "utf-8 with BOM")
    assert decode("Øster".encode("latin-1")) == ("Øster", "cp1252")
    assert decode(b"\x81\xd8") == ("\x81Ø", "latin-1")
    assert decode("\ufeffÅ".encode("utf-16-le")) == ("Å", "utf-16-le")


def test_a_curator_1_file_is_told_from_its_first_bytes_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """curator import routes files by is_reference_file: a big exchange file is not read (nor parsed) twice."""
    from curator.demo import demo_review
    from curator.formats.exchange import write_exchange
    from curator.formats.references import detect

    exchange = tmp_path / "review.json"
    write_exchange(demo_review(), exchange)
    reordered = tmp_path / "reordered.json"  # format not first: told from the whole file, as before
    reordered.write_text('{"comparisons": [], "format": "curator/1"}', encoding="utf-8")
    items = tmp_path / "library.json"
    items.write_text('{"items": [{"type": "book", "title": "A"}]}', encoding="utf-8")
    read: list[str] = []
    real = detect.read_text

    def spy(path: Path) -> tuple[str, str]:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(detect, "read_text", spy)
    assert not is_reference_file(exchange)
    assert not is_reference_file(reordered)
    assert is_reference_file(items)
    assert read == ["reordered.json", "library.json"]
