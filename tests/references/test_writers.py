"""RIS and BibTeX out and back in; Vancouver formatting."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.formats.references import format_vancouver, read_reference_file, to_bibtex, to_ris
from curator.formats.references.bibtex import read_bibtex
from curator.formats.references.ris import read_ris
from curator.review import Reference

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES.parent / "real" / "bibtex"
#: The real BibTeX files small enough to write out and read again here (all of them do, by hand).
REAL_BIBTEX = sorted(p.name for p in REAL.glob("*.bib") if p.stat().st_size < 80_000)

AWKWARD = [
    Reference(
        "7",
        title="Tom & Jerry: 50% {braces} $5 a_b ~ ^ -- é \\ back",
        authors=["Müller, Hans", "Doe JR", "Łukasz, Nowak", "King, Martin Luther, Jr.", "Øster, Anne", "et al."],
        journal="J Dermatol",
        volume="12",
        issue="3",
        pages="45-67",
        year=2004,
        pmid="12345678",
        pmcid="PMC3456789",
        doi="10.1000/xyz_(a)%20",
        url="https://example.org/a?x=1&y=%20",
        note="line one\nAbstract: 100% {sure}",
    ),
    Reference("Doe2001", title="Only a title"),
    Reference("9", authors=["Cochrane Skin Group"], year=1999, pages="e12"),
]


@pytest.mark.parametrize(("write", "read"), [(to_ris, read_ris), (to_bibtex, read_bibtex)])
def test_round_trip(write, read) -> None:  # type: ignore[no-untyped-def]
    parsed = read(write(AWKWARD), "x")
    assert parsed.problems == []
    assert parsed.references == AWKWARD


@pytest.mark.parametrize("name", ["zotero.ris", "pubmed.nbib", "library.bib", "zotero.json"])
@pytest.mark.parametrize(("write", "read"), [(to_ris, read_ris), (to_bibtex, read_bibtex)])
def test_imported_files_round_trip(name: str, write, read) -> None:  # type: ignore[no-untyped-def]
    refs = read_reference_file(FIXTURES / name).references
    for i, r in enumerate(refs):
        r.key = r.key or str(i + 1)
    assert read(write(refs), "x").references == refs


@pytest.mark.parametrize("name", REAL_BIBTEX)
def test_real_bibtex_files_round_trip_through_bibtex(name: str) -> None:
    """Names family-first (with Jr), decoded titles and DOIs come back as they were stored."""
    refs = read_reference_file(REAL / name).references
    for i, r in enumerate(refs):
        r.key = r.key or str(i + 1)
    assert read_bibtex(to_bibtex(refs), "x").references == refs


def test_empty_lists() -> None:
    assert to_ris([]) == "" and to_bibtex([]) == ""


def test_bibtex_keys_are_made_valid() -> None:
    assert "@article{Smith_2004," in to_bibtex([Reference("Smith 2004", title="x")])


def test_vancouver() -> None:
    ref = Reference(
        "1", title="Title of the paper", authors=["Doe, John", "Roe, R."], journal="J Dermatol", year=2004,
        volume="12", issue="3", pages="45-67", doi="https://doi.org/10.1000/xyz", pmid="12345678",
    )  # fmt: skip
    assert format_vancouver(ref) == (
        "Doe J, Roe R. Title of the paper. J Dermatol. 2004;12(3):45-67. doi:10.1000/xyz. PMID: 12345678."
    )


@pytest.mark.parametrize(
    ("ref", "text"),
    [
        (Reference("1"), ""),
        (Reference("1", title="Why?", journal="J Dermatol.", volume="12"), "Why? J Dermatol. 12."),
        (Reference("1", title="T", year=2001), "T. 2001."),
        (Reference("1", title="T", journal="BMJ"), "T. BMJ."),
        (Reference("1", title="T", url="https://x.org"), "T. Available from: https://x.org"),
        (Reference("1", title="T", pmid="1", pmcid="PMC2"), "T. PMID: 1; PMCID: PMC2."),
        (
            Reference("1", authors=["Müller, Hans-Peter", "Łukasz, Nowak", "Cochrane Skin Group", "Doe, John, Jr."]),
            "Müller HP, Łukasz N, Cochrane Skin Group, Doe J Jr.",
        ),
        (
            Reference("1", title="T", authors=[f"Author{i}, A" for i in range(7)]),
            "Author0 A, Author1 A, Author2 A, Author3 A, Author4 A, Author5 A, et al. T.",
        ),
        (
            Reference("1", authors=[f"Author{i}, A" for i in range(6)]),
            ", ".join(f"Author{i} A" for i in range(6)) + ".",
        ),
    ],
)
def test_vancouver_copes_with_missing_fields(ref: Reference, text: str) -> None:
    assert format_vancouver(ref) == text
