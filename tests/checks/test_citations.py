"""citation-missing, citation-dangling, reference-unused, reference-duplicate, reference-identifier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.checks.rules.citations import NAMED, near_duplicate_titles, within_edits
from curator.references.matching import Duplicates, find_duplicates
from curator.review import Reference
from tests.checks.builders import arm, fires, ref, row


def test_citation_missing() -> None:
    (f,) = fires("citation-missing", row(intervention=arm("1"), citations=[]))
    assert (f.severity, f.field, f.reference) == ("warning", "citations", None)
    assert fires("citation-missing", row(intervention=arm("1"))) == []


def test_citation_dangling() -> None:
    (f,) = fires("citation-dangling", row(citations=["1", "99", "x"]))
    assert (f.severity, f.field) == ("error", "citations")
    assert "'99', 'x'" in f.message
    assert fires("citation-dangling", row(citations=["1"])) == []


def test_reference_unused() -> None:
    found = fires("reference-unused", row(citations=["1"]), references=[ref("1"), ref("2")])
    assert [(f.reference, f.severity, f.field, f.row, f.comparison) for f in found] == [("2", "info", None, None, None)]


T = "Efficacy and safety of pimecrolimus cream in the long-term management of atopic dermatitis in children"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"doi": "10.1000/ABC"}, {"doi": "https://doi.org/10.1000/abc"}),
        ({"pmid": "123456"}, {"pmid": "123456"}),
        ({"title": T, "doi": "10.1/a"}, {"title": T.upper() + ".", "doi": "10.1/b"}),  # equal titles
        ({"title": T, "doi": None}, {"title": T.replace("pimecrolimus", "pimecrolimos"), "doi": None}),
        ({"title": T, "pmid": "1"}, {"title": T.replace("cream", "craem"), "doi": None}),  # a transposition: 2 edits
        ({"title": T, "doi": None}, {"title": T.replace("long-term", "longterm "), "doi": None}),
    ],
)
def test_reference_duplicate_fires(a: dict, b: dict) -> None:
    refs = [ref("1", **a), ref("2", **b), ref("3", title="Unrelated")]
    found = fires("reference-duplicate", row(citations=["1", "2", "3"]), references=refs)
    assert [(f.reference, f.field) for f in found] == [("1", None), ("2", None)]
    assert "'2'" in found[0].message and "'1'" in found[1].message


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"title": T, "doi": None}, {"title": T.replace("cream", "gel"), "doi": None}),  # three edits
        (
            {"title": "Trial part 1 of a long-running series of studies", "doi": None},
            {"title": "Trial part 2 of a long-running series of studies", "doi": None},
        ),
        ({"title": "Short title A"}, {"title": "Short title B"}),
        ({"title": T, "doi": "10.1000/a"}, {"title": T.replace("cream", "craem"), "doi": "10.1000/b"}),
        ({"doi": "10.1000/a"}, {"doi": "10.1000/b"}),
    ],
)
def test_reference_duplicate_clean(a: dict, b: dict) -> None:
    refs = [ref("1", **a), ref("2", **b)]
    assert fires("reference-duplicate", row(citations=["1", "2"]), references=refs) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"doi": "10.123/abc"}, "doi"),
        ({"doi": "11.1000/abc"}, "doi"),
        ({"doi": "10.1000"}, "doi"),
        ({"doi": "10.1000/"}, "doi"),
        ({"doi": "10.1234567890/x"}, "doi"),
        ({"pmid": "123456789"}, "pmid"),
        ({"pmid": "PMID 123"}, "pmid"),
        ({"title": "Only a title", "doi": None}, None),
        ({"doi": " ", "url": ""}, None),
    ],
)
def test_reference_identifier_fires(fields: dict, field: str | None) -> None:
    found = fires("reference-identifier", row(), references=[ref("1", **fields)])
    assert [(f.field, f.severity) for f in found] == [(field, "warning")]


@pytest.mark.parametrize(
    "fields",
    [
        {"doi": "10.1000/xyz"},
        {"doi": "https://doi.org/10.1016/j.jaad.2005.01.123"},
        {"doi": "10.1000.10/abc(1)"},
        {"pmid": "12345678"},
        {"pmid": "1"},
        {"pmcid": "PMC3456789"},
        {"url": "https://example.org/paper"},
    ],
)
def test_reference_identifier_clean(fields: dict) -> None:
    assert fires("reference-identifier", row(), references=[ref("1", **fields)]) == []


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@given(st.text("abc", max_size=12), st.text("abc", max_size=12), st.integers(0, 3))
def test_within_edits_matches_levenshtein(a: str, b: str, k: int) -> None:
    assert within_edits(a, b, k) == (_levenshtein(a, b) <= k)


@given(
    st.text("abcde", min_size=30, max_size=45),
    st.lists(st.tuples(st.integers(0, 50), st.sampled_from("abcdeX"), st.sampled_from("sid")), max_size=3),
)
def test_near_duplicate_index_finds_every_close_pair(base: str, edits: list) -> None:
    other = base
    for pos, ch, kind in edits:
        pos = pos % (len(other) + 1)
        if kind == "s" and pos < len(other):
            other = other[:pos] + ch + other[pos + 1 :]
        elif kind == "i":
            other = other[:pos] + ch + other[pos:]
        elif kind == "d" and pos < len(other):
            other = other[:pos] + other[pos + 1 :]
    expected = other != base and len(other) >= 30 and _levenshtein(base, other) <= 2
    assert (near_duplicate_titles([base, other]) == [(0, 1)]) == expected


# -- reference-duplicate on many copies: one finding each, of bounded length ------------------------

_LONG = "Pimecrolimus cream in atopic dermatitis of children"
_TITLES = [None, "", "Short one", _LONG, _LONG + "s", _LONG.replace("cream", "creem"), _LONG + " 2", _LONG.upper()]

drawn_references = st.builds(
    Reference,
    key=st.just("k"),
    title=st.sampled_from(_TITLES),
    doi=st.sampled_from([None, "", "10.1/a", "doi:10.1/A", "10.1/b"]),
    pmid=st.sampled_from([None, "", "111", "222"]),
)


@given(st.lists(drawn_references, max_size=14), st.integers(1, 4))
def test_duplicates_count_and_name_what_the_scan_of_all_pairs_finds(refs: list[Reference], k: int) -> None:
    """Duplicates (constant work per reference) agrees with find_duplicates (every pair) on drawn
    references whose DOIs, PMIDs and titles come from small pools, so that they collide."""
    pairs = find_duplicates(refs)
    dup = Duplicates(refs)
    for i in range(len(refs)):
        others = sorted((j if a == i else a, reasons) for (a, j), reasons in pairs.items() if i in (a, j))
        assert dup.count(i) == len(others)
        assert dup.first(i, k) == others[:k]


def copies(n: int) -> list[Reference]:
    return [ref(f"c{i}", title=T, doi="10.1000/abc", pmid="123456") for i in range(n)]


def test_reference_duplicate_names_up_to_NAMED_copies_in_full() -> None:
    found = fires("reference-duplicate", row(citations=["c0"]), references=[*copies(NAMED + 1), ref("x")])
    assert len(found) == NAMED + 1
    names = ", ".join(f"'c{i}' (DOI, PMID, title)" for i in range(1, NAMED + 1))
    assert found[0].message == f"reference 'c0' looks like a duplicate of {names}"


def test_reference_duplicate_of_4000_copies_names_five_and_counts_the_rest() -> None:
    """4,000 copies make 8 million pairs; each copy's finding names five of the others and counts the rest,
    so the report grows with the copies, not with their square (it was 110 MB for 2,000 copies)."""
    found = fires("reference-duplicate", row(citations=["c0"]), references=copies(4000))
    assert len(found) == 4000
    names = ", ".join(f"'c{i}' (DOI, PMID, title)" for i in range(NAMED))
    assert found[-1].message == f"reference 'c3999' looks like a duplicate of {names} and 3,994 more"
    assert max(len(f.message) for f in found) < 200


def test_an_unnamed_copy_changed_changes_the_fingerprint() -> None:
    """An acceptance holds until the data changes, the copies the message does not name included."""
    refs = copies(10)
    before = fires("reference-duplicate", row(citations=["c0"]), references=refs)
    refs[9] = ref("c9", title=T + " revisited", doi="10.1000/abc", pmid="123456")
    after = fires("reference-duplicate", row(citations=["c0"]), references=refs)
    assert before[0].message == after[0].message
    assert before[0].fingerprint != after[0].fingerprint
