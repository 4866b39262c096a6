"""Real BibTeX files from public projects' test fixtures (tests/references/real/SOURCES.md, "BibTeX").

Each file is imported whole, without skipping anything: no record may be a problem. Its
record count is the number of entries in it (less biblatex ``@set`` and empty entries,
skipped with a note), and at least one record per file has the fields a librarian checks
(title decoded, first author's family name, year, DOI, volume, pages) as read from the file
by hand. ``None`` means the entry has no such field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from curator.formats.references import read_reference_file
from curator.review import Reference

REAL = Path(__file__).parent / "real" / "bibtex"


@dataclass(frozen=True)
class Expected:
    key: str
    title: str | None
    family: str | None  # the first author's family name, or a corporate author whole
    year: int | None
    doi: str | None = None
    volume: str | None = None
    pages: str | None = None


TURKEY = Expected(
    "Verwilghen+vanGalen+Wilke2011",
    "Investigation of the best suture pattern to close a stuffed Christmas turkey",
    "Verwilghen",
    2011,
    "10.1136/vr.d6221",
    "169",
    "685-686",
)

#: file -> (records, notes, the records checked field by field)
FILES: dict[str, tuple[int, int, list[Expected]]] = {
    "bbt-009.bib": (
        2,
        1,  # an empty @misc{emptyreference,}
        [
            Expected(
                "Adams2001",
                "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru",
                "Adams",
                2001,
                None,
                "62",
                "493-518",
            )
        ],
    ),
    "bbt-015.bib": (
        1,
        0,
        [Expected("robinson2007theoriesglobalization", "Theories of globalization", "Robinson", 2007, pages="125-143")],
    ),
    "bbt-author-splitter.bib": (
        1,
        0,
        [
            Expected(
                "Abu-Zeid_1986",
                "Determination of the Thickness and Refractive Index of Cu₂O Thin Film Using Thermal and Optical "
                "Interferometry",
                "Abu-Zeid",
                1986,
                "10.1002/pssa.2210930226",
                "93",
                "613-620",
            )
        ],
    ),
    "bbt-biblatex-549.bib": (
        9,
        0,
        [
            Expected(
                "Bennett2003",
                "Xenonika: medical texts associated with xenones in the late Byzantine period",
                "Bennett",
                2003,
            ),
            Expected("1b", "Blah mkbibemph and “mkbibquote”.", "01b", None),
        ],
    ),
    "bbt-collaborators.bib": (
        1,
        0,
        [
            Expected(
                "berger_vom_2020",
                "Vom Kalten Krieg zum europäischen Umbruch. Das Institut für Europäische Geschichte 1950–1990",
                "Berger",
                2020,
            )
        ],
    ),
    "bbt-doi-2555.bib": (
        1,
        0,
        [
            Expected(
                "minock-kraus-LIAI02",
                "Z-log: Applying System-Z",
                "Minock",
                2002,
                "10.1007/3-540-45757-7_52",
                "2424",
                "545-548",
            )
        ],
    ),
    "bbt-endnote-keyless.bib": (
        1,
        0,
        [Expected("", "Alzheimer mechanisms and therapeutic strategies", "Huang", 2012, None, "148", "1204-22")],
    ),
    "bbt-library-873.bib": (
        988,
        0,
        [
            Expected("Biermann:75", "Approaches to automatic programming", "Biermann", 1975, None, "15"),
            Expected(
                "journals/expert/NauAIKMMWY05",
                "Applications of SHOP and SHOP2",
                "Nau",
                2005,
                "10.1109/MIS.2005.20",  # from its URL, http://doi.ieeecomputersociety.org/...
                "20",
                "34-41",
            ),
        ],
    ),
    "bbt-math-markup-472.bib": (
        2,
        0,
        [
            Expected(
                "test_citation1",
                "Test Title With 100 μJ, 200 μJ Energy, and ±0.1% Accuracy, 0.2 mm² Size, and -50 dB Attenuation",
                "Doe",
                2016,
                "10.1109/JPROC.2016.2526118",
                None,
                "300-301",
            )
        ],
    ),
    "bbt-name-suffix-2744.bib": (1, 0, [Expected("apa-test.9.46:8", None, "Costa", 2013)]),
    "bbt-qiqqa.bib": (
        2,
        0,
        [Expected("kuhne2006matters", "Matters of (meta-) modeling", "Kühne", 2006, None, "5", "369-385")],
    ),
    "bbt-ring-above-1115.bib": (
        1,
        0,
        [
            Expected(
                "rehurek_lrec",
                "Software Framework for Topic Modelling with Large Corpora",
                "Řehůřek",
                2010,
                pages="45-50",
            )
        ],
    ),
    "bbt-unparsed-names-92.bib": (
        1,
        0,
        [
            Expected(
                "Madelung_1998_LB_10681727_56",
                "Cuprous oxide (Cu₂O) crystal structure, lattice parameters",
                "Madelung",
                1998,
                "10.1007/10681727_56",
                "III/41c",
            )
        ],
    ),
    "biblatex-examples.bib": (
        90,
        1,  # two @set entries, skipped with one note
        [
            Expected(
                "aksin",
                "Effect of immobilization on catalytic characteristics of saturated Pd-N-heterocyclic carbenes "
                "in Mizoroki-Heck reactions",
                "Aksın",
                2006,
                None,
                "691",
                "3027-3036",
            ),
            Expected("gaonkar", "Alternative Modernities", None, 2001),  # a @collection: editor only
            Expected(
                "westfahl:space",
                "The True Frontier: Confronting and Avoiding the Realities of Space in American Science Fiction Films",
                "Westfahl",
                2000,  # from the @collection its crossref names
                None,
                None,
                "55-65",
            ),
        ],
    ),
    "bibtexparser-example.bib": (
        1,
        0,
        [Expected("Cesar2013", "An amazing title", "César", 2013, None, "12", "12-23")],
    ),
    "jabref-authors.bib": (
        212,
        0,
        [
            Expected(
                "GarridoKallstromKummEtAl2016",
                "CORDIC II: A New Improved CORDIC Algorithm",
                "Garrido",
                2016,
                "10.1109/TCSII.2015.2483422",
                "63-II",
                "186-190",
            )
        ],
    ),
    "jabref-chocolate.bib": (
        15,
        0,
        [
            Expected(
                "Corti_2009",
                "Cocoa and Cardiovascular Health",
                "Corti",
                2009,
                "10.1161/circulationaha.108.827022",
                "119",
                "1433-1441",
            )
        ],
    ),
    "jabref-complex.bib": (
        20,
        0,
        [
            Expected(
                "deBraga2001",
                "The postcranial anatomy of Procolophon (Parareptilia: Procolophonidae) and its implications "
                "for the origin of turtles",
                "deBraga",
                2001,
            )
        ],
    ),
    "jabref-paper-references.bib": (
        3,
        0,
        [
            Expected(
                "AlZubidy2018",
                "Identification and prioritization of SLR search tool requirements: an SLR and a survey",
                "Al-Zubidy",
                2018,
                "10.1007/s10664-018-9626-5",
                "24",
                "139-169",
            )
        ],
    ),
    "jabref-test.bib": (
        19,
        0,
        [
            Expected(
                "1102917",
                "The trouble with login: on usability and computer security in ubiquitous computing",
                "Bardram",
                2005,
                "10.1007/s00779-005-0347-6",  # given as http://dx.doi.org/...
                "9",
                "357-367",
            )
        ],
    ),
    "jabref-testjabref.bib": (
        156,
        0,
        [
            Expected(
                "Aziz2009256-ChannelNeuralRecordingandDeltaCompressionMicrosystemWith3DElectrodes"
                "IEEEJOURNALOFSOLID-STATECIRCUITS",
                "256-Channel Neural Recording and Delta Compression Microsystem With 3D Electrodes And @ Symbol",
                "Aziz",
                2009,
                "10.1109/JSSC.2008.2010997",
                "44",
                "995-1005",
            )
        ],
    ),
    "jabref-twente.bib": (
        1,
        0,
        [Expected("Patterson06", "RAMP: Research Accelerator for Multiple Processors", "Patterson", 2006)],
    ),
    "jabref-utf16be-bom.bib": (1, 0, [TURKEY]),
    "jabref-utf16be-nobom.bib": (1, 0, [TURKEY]),
    "jabref-utf16le-nobom.bib": (1, 0, [TURKEY]),
}

FIELDS = ("title", "family", "year", "doi", "volume", "pages")


def family(ref: Reference) -> str | None:
    """The first author's family name: what comes before the first comma (a corporate name whole);
    an author list left unsplit ("Doe, J. and Smith, R.") is wrong as a whole."""
    if not ref.authors:
        return None
    first = ref.authors[0]
    return first if " and " in first else first.split(",")[0].strip()


def found(ref: Reference) -> dict[str, object]:
    return {
        "title": ref.title,
        "family": family(ref),
        "year": ref.year,
        "doi": ref.doi,
        "volume": ref.volume,
        "pages": ref.pages,
    }


def test_every_file_is_here() -> None:
    assert sorted(p.name for p in REAL.glob("*.bib")) == sorted(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_bibtex_file_imports_whole(name: str) -> None:
    count, notes, checked = FILES[name]
    rf = read_reference_file(REAL / name)
    assert rf.format == "bibtex"
    assert [str(p) for p in rf.problems] == []  # whole: nothing to skip
    assert len(rf.references) == count
    assert len(rf.notes) == notes
    by_key = {ref.key: ref for ref in rf.references}
    for expected in checked:
        ref = by_key[expected.key]
        assert found(ref) == {f: getattr(expected, f) for f in FIELDS}, expected.key


def test_names_are_family_first_in_the_real_files() -> None:
    """Every personal name is stored "Family, Given": the ones without a comma are corporate
    names, single names (Aristotle) or what the file itself leaves unsplit."""
    names = [a for name in FILES for ref in read_reference_file(REAL / name).references for a in ref.authors]
    without = [a for a in names if "," not in a]
    assert len(names) > 3000
    assert len(without) / len(names) < 0.02, sorted(set(without))
