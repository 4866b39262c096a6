"""BibTeX as people write it (issue 18, item 4): each shape on a small file of that shape."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.errors import InputError
from curator.formats.references import format_vancouver, read_reference_file
from curator.formats.references.latex import latex_to_text
from tests.helpers import run


def bib(tmp_path: Path, text: str, name: str = "library.bib", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_capitalised_field_names_are_read_like_lower_case(tmp_path: Path) -> None:
    # JabRef 2 and Mendeley write "Author =", some hand-written files "EDITOR", "DOI".
    path = bib(
        tmp_path,
        "@InProceedings{doe2016,\n"
        "  Title = {Low-Power {ADC}s},\n"
        "  Author = {Doe, J. and Smith, R.},\n"
        "  EDITOR = {Roe, Richard and Poe, Edgar},\n"
        "  Booktitle = {Proc. IEEE},\n"
        "  Year = {2016},\n"
        "  Pages = {300--301},\n"
        "  DOI = {10.1109/JPROC.2016.2526118}\n"
        "}\n",
    )
    (ref,) = read_reference_file(path).references
    assert ref.authors == ["Doe, J.", "Smith, R."]
    assert (ref.title, ref.year, ref.pages, ref.doi) == (
        "Low-Power ADCs",
        2016,
        "300-301",
        "10.1109/JPROC.2016.2526118",
    )
    assert ref.note == "type: inproceedings\neditor: Roe, Richard; Poe, Edgar\nbooktitle: Proc. IEEE"
    assert format_vancouver(ref).startswith("Doe J, Smith R. Low-Power ADCs. 2016;")


def test_names_are_stored_family_first(tmp_path: Path) -> None:
    path = bib(
        tmp_path,
        "@article{a,\n"
        "  author = {Radim \\v{R}eh{\\r{u}}\\v{r}ek and von Neumann, John and Ludwig van Beethoven and "
        'King, Jr., Martin Luther and Doe, Jr., John and {World Health Organization} and Aks{\\i}n, {\\"O}zge '
        "and others},\n"
        "  title = {Names},\n"
        "}\n",
    )
    (ref,) = read_reference_file(path).references
    assert ref.authors == [
        "Řehůřek, Radim",
        "von Neumann, John",
        "van Beethoven, Ludwig",
        "King, Martin Luther, Jr.",
        "Doe, John, Jr.",
        "World Health Organization",  # braced: one corporate name, kept whole
        "Aksın, Özge",
        "et al.",  # BibTeX's "and others"
    ]
    assert format_vancouver(ref).startswith("Řehůřek R, von Neumann J, van Beethoven L, King ML Jr, Doe J Jr, ")


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("200\\,{\\mbox{$\\mu$}}{J} {E}nergy", "200 μJ Energy"),  # \mbox{$\mu$} was dropped
        ("non\\hyphen{}linear", "non-linear"),  # \hyphen was removed
        ("$\\Sigma$-protocols", "Σ-protocols"),
        ("Mn\\({}^{\\mbox{k}}\\)", "Mnᵏ"),
        ("0.2\\,mm$^2$ and H$_2$O and $^{13}$C", "0.2 mm² and H₂O and ¹³C"),
        ("10\\textsuperscript{th} ed.", "10ᵗʰ ed."),
        ("M{\\\"u}ller, \\'{E}cole, Ni{\\~n}o", "Müller, École, Niño"),
        ("1990--2000---a {DNA} {R}eview", "1990–2000—a DNA Review"),
        ("x$^{q}$ and y\\textsubscript{bq}", "x^q and y_{bq}"),  # no Unicode form: visible as written
        ("The \\foo{bar} and \\baz\\ effect", "The \\foo{bar} and \\baz effect"),  # unknown macro kept
        ("The {\\sc CONNIVER} \\emph{Manual}", "The CONNIVER Manual"),  # a font switch is a look
        ("\\enquote{Quoted} \\mkbibemph{term}", "“Quoted” term"),
        ("\\href{https://x.org}{A link}, \\textgreater 5 {\\em and} $\\mathrm{IC}_{50}$", "A link, >5 and IC₅₀"),
        ("Pimecrolimus 1% in children, 5\\% of them", "Pimecrolimus 1% in children, 5% of them"),  # not a comment
        ("Total Order vs.\\/ Partial, AND\\slash OR, The {\\TeX book}", "Total Order vs. Partial, AND/OR, The TeXbook"),
    ],
)
def test_latex_is_decoded_or_kept_visibly(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


@given(st.text(st.characters(codec="ascii", categories=["L", "N", "Zs"]) | st.sampled_from(".,;:!?()/"), max_size=40))
def test_plain_text_passes_unchanged(text: str) -> None:
    assert latex_to_text(text) == text


@given(st.from_regex(r"[a-zA-Z]{3,8}", fullmatch=True), st.from_regex(r"[a-z ]{0,10}", fullmatch=True))
def test_an_unknown_macro_is_never_dropped(name: str, arg: str) -> None:
    macro = f"\\zz{name}"  # no LaTeX macro begins with zz
    assert latex_to_text(f"A {macro}{{{arg}}} B") == f"A {macro}{{{arg}}} B"


def test_latex_title_through_the_reader(tmp_path: Path) -> None:
    path = bib(tmp_path, "@article{a, title = {{T}est with 200\\,{\\mbox{$\\mu$}}{J} in 0.2\\,mm$^2$}, year=2016}\n")
    (ref,) = read_reference_file(path).references
    assert ref.title == "Test with 200 μJ in 0.2 mm²"


def test_keyless_entry_set_and_collection_import_whole(tmp_path: Path) -> None:
    path = bib(
        tmp_path,
        "@set{both,\n  entryset = {huang,proc},\n}\n"
        "\t@article{\n\t  author = {Huang, Y. and Mucke, L.},\n\t  title = {Alzheimer mechanisms},\n"
        "\t  journal = {Cell},\n\t  volume = {148},\n\t  pages = {1204-22},\n\t  year = {2012}\n\t}\n"
        "@Collection{proc,\n  editor = {Roe, R.},\n  booktitle = {Proceedings of Things},\n  year = {2001},\n}\n"
        "@misc{empty,\n}\n",
    )
    rf = read_reference_file(path)
    assert rf.problems == []
    keyless, collection = rf.references
    assert (keyless.key, keyless.title, keyless.authors) == ("", "Alzheimer mechanisms", ["Huang, Y.", "Mucke, L."])
    assert (keyless.journal, keyless.volume, keyless.pages, keyless.year) == ("Cell", "148", "1204-22", 2012)
    assert rf.where == ["line 4", "line 12"]
    assert (collection.key, collection.title, collection.year) == ("proc", "Proceedings of Things", 2001)
    assert rf.notes == [
        "skipped 1 biblatex @set entry (both): a set only groups other entries",
        "skipped 1 empty entry: empty (line 17)",
    ]


def test_a_file_of_sets_only_is_refused_with_its_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = bib(tmp_path, "@set{s, entryset = {a,b}}\n")
    message = (
        f"{path}: line 1: no BibTeX record found in the file; "
        "skipped 1 biblatex @set entry (s): a set only groups other entries"
    )
    with pytest.raises(InputError) as err:
        read_reference_file(path)
    assert str(err.value) == message
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    code, out, err_text = run(capsys, "import", str(db), str(path))
    assert (code, out) == (2, "") and message in err_text
    assert db.read_bytes() == before  # nothing half-written


def test_crossref_and_repeated_fields(tmp_path: Path) -> None:
    path = bib(
        tmp_path,
        "@string{aij = {Artificial Intelligence}}\n"
        "@Article{alias, crossref = {main}}\n"
        '@Article{main, title = "Diverse plans", author = "Tuan Anh Nguyen and Minh Binh Do", '
        'journal = aij, year = "2012", volume = "190", keywords = {a}, keywords = {b}}\n'
        "@InProceedings{talk, title = {A Talk}, author = {Roe, R.}, crossref = {proc}}\n"
        "@Proceedings{proc, title = {Proceedings of Things}, year = {2001}}\n",
    )
    rf = read_reference_file(path)
    assert rf.problems == []
    alias, main, talk, proc = rf.references
    for ref in (alias, main):  # the alias takes every field of the entry it names
        assert (ref.title, ref.authors) == ("Diverse plans", ["Nguyen, Tuan Anh", "Do, Minh Binh"])
        assert (ref.journal, ref.year, ref.volume) == ("Artificial Intelligence", 2012, "190")
    assert main.note == "keywords: b"  # a repeated field: the last value, as bibtexparser keeps it
    assert (talk.title, talk.year) == ("A Talk", 2001)
    assert "booktitle: Proceedings of Things" in (talk.note or "")
    assert proc.title == "Proceedings of Things"


def test_a_string_defined_twice_is_a_note_not_a_problem(tmp_path: Path) -> None:
    path = bib(tmp_path, "@string{j = {Cell}}\n@string{j = {Nature}}\n@article{a, title = {T}, journal = j}\n")
    rf = read_reference_file(path)
    assert rf.problems == [] and rf.references[0].journal == "Cell"
    assert rf.notes == ["@string 'j' (line 2) is defined again; the first definition is used"]


def test_values_joined_with_hash(tmp_path: Path) -> None:
    path = bib(
        tmp_path,
        "@string{mcd = {McDermott, Drew}}\n@string{ai = {MIT Artificial}}\n"
        "@techreport(McDermott:72,\n  author = mcd # { and Gerald J. Sussman},\n"
        '  title = {The {\\sc CONNIVER} Manual},\n  institution = ai # " Intelligence Lab",\n'
        "  note = undefined # {, kept}\n)\n",
    )
    (ref,) = read_reference_file(path).references
    assert ref.authors == ["McDermott, Drew", "Sussman, Gerald J."]
    assert ref.title == "The CONNIVER Manual"
    assert ref.note == "undefined, kept\ntype: techreport\ninstitution: MIT Artificial Intelligence Lab"


@pytest.mark.parametrize(
    ("fields", "doi", "url"),
    [
        ("doi = {http://doi.acm.org/10.1145/1327452.1327492}", "10.1145/1327452.1327492", None),
        ("doi = {https://doi.org/10.1000/x}", "10.1000/x", None),
        ("doi = {http://dx.doi.org/10.1000/x}", "10.1000/x", None),
        ("url = {https://doi.org/10.1000/x}", "10.1000/x", "https://doi.org/10.1000/x"),
        ("url = {https://example.org/paper}", None, "https://example.org/paper"),
    ],
)
def test_doi_given_as_url(tmp_path: Path, fields: str, doi: str | None, url: str | None) -> None:
    (ref,) = read_reference_file(bib(tmp_path, f"@article{{a, title = {{T}}, {fields}}}\n")).references
    assert (ref.doi, ref.url) == (doi, url)


ENTRY = "@article{turkey,\n  author = {Verwilghen, D. and van Galen, G.},\n  title = {Suture patterns},\n}\n"


@pytest.mark.parametrize(
    ("encoding", "bom", "named"),
    [
        ("utf-16-le", b"", "utf-16-le without BOM"),
        ("utf-16-be", b"", "utf-16-be without BOM"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-32-le", b"", "utf-32-le without BOM"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_utf16_with_and_without_bom(tmp_path: Path, encoding: str, bom: bytes, named: str) -> None:
    path = tmp_path / "wide.bib"
    path.write_bytes(bom + ENTRY.encode(encoding))
    rf = read_reference_file(path)
    assert rf.encoding == named
    (ref,) = rf.references
    assert (ref.title, ref.authors) == ("Suture patterns", ["Verwilghen, D.", "van Galen, G."])


def test_binary_file_is_refused_saying_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "library.bib"
    path.write_bytes(b"@article{a,\x00\x00\x07\x00\x00\x00\x01\x02 title={x}}\n" * 3)
    with pytest.raises(InputError, match="seems to be a binary file, not text") as err:
        read_reference_file(path)
    assert str(err.value).startswith(f"{path}: ")
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    code, out, err_text = run(capsys, "import", str(db), str(path))
    assert code == 2 and out == "" and "seems to be a binary file" in err_text and "Traceback" not in err_text
    assert db.read_bytes() == before  # nothing half-written


def test_import_prints_the_note_about_skipped_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = bib(tmp_path, "@set{s, entryset = {a}}\n@article{a, title = {Kept}, author = {Ann Lee}}\n")
    db = tmp_path / "r.sqlite"
    code, out, err = run(capsys, "import", str(db), str(path))
    assert code == 0, err
    assert f"curator: {path}: skipped 1 biblatex @set entry (s)" in err
    code, out, _ = run(capsys, "export", str(db), "-o", "-")
    assert '"Lee, Ann"' in out and '"Kept"' in out
