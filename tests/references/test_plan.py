"""Keys, duplicate matching on import, the plan's decisions; importing twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.formats.references import read_reference_file
from curator.references import plan_import
from curator.references.keys import KeyAllocator
from curator.review import Reference

FIXTURES = Path(__file__).parent / "fixtures"
T = "Efficacy and safety of pimecrolimus cream in the long-term management of atopic dermatitis in children"


def test_keys_number_and_source() -> None:
    numbers = KeyAllocator(["1", "2", "7", "Smith2004"])
    assert [numbers.key("x"), numbers.key(None)] == ["8", "9"]
    source = KeyAllocator(["1", "Smith2004", "Smith2004-2"], "source")
    assert [source.key("Smith2004"), source.key(""), source.key("Doe"), source.key("Doe")] == [
        "Smith2004-3", "2", "Doe", "Doe-2",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        KeyAllocator([], "title")


def _existing() -> list[Reference]:
    return [
        Reference("1", title=T, doi="https://doi.org/10.1016/J.JAAD.2003.09.001", year=2004),
        Reference("2", title="Another study", pmid="555"),
        Reference("3", title="A long title of a conference abstract about eczema", year=2003),
    ]


def test_matching_on_import() -> None:
    incoming = [
        Reference("a", title="Something else", doi="10.1016/j.jaad.2003.09.001"),  # same DOI
        Reference("b", title="x", pmid=" 555"),  # same PMID
        Reference("c", title="A long title of a conference abstract about eczema", year=2004),  # other year
        Reference("d", title="A long title of a conference abstrakt about eczema", year=None),  # near, no year
        Reference("e", title="Brand new", doi="10.1/new"),
        Reference("f", title="BRAND NEW.", doi=None),  # same title as e, in the same file
    ]
    plan = plan_import(_existing(), incoming, where=[f"line {i}" for i in range(6)])
    assert [(r.key, r.title) for r in plan.new] == [
        ("4", "A long title of a conference abstract about eczema"),
        ("5", "Brand new"),
    ]
    got = [(p.existing.key, p.incoming.key, p.why, p.in_file, p.where) for p in plan.pairs]
    assert got == [
        ("1", "a", "same DOI", False, "line 0"),
        ("2", "b", "same PMID", False, "line 1"),
        ("3", "d", "nearly the same title", False, "line 3"),
        ("5", "f", "same title", True, "line 5"),
    ]
    assert plan.pairs[0].conflicts() == {"title": (T, "Something else")}
    assert plan.pairs[3].fills() == {} and not plan.pairs[3].identical


def test_apply_merge_and_keep() -> None:
    existing = [Reference("1", title=T, doi="10.1/a", year=2004)]
    incoming = [
        Reference("", title=T, doi="10.1/A", journal="J Am Acad Dermatol", volume="50"),
        Reference("", title=T, doi="10.1/a", issue="3", pages="1-2", volume="51"),
        Reference("", title="New", doi="10.1/new"),
        Reference("", title="New", doi="10.1/new", url="https://x"),
    ]
    plan = plan_import(existing, incoming)
    assert [p.decision for p in plan.pairs] == [None, None, None]
    with pytest.raises(ValueError, match="3 duplicate"):
        plan.apply()
    plan.pairs[0].decision = "merge"
    plan.pairs[1].decision = "keep"
    plan.pairs[2].decision = "merge"
    to_add, to_update = plan.apply()
    assert [(r.key, r.title, r.url) for r in to_add] == [("2", "New", "https://x"), ("3", T, None)]
    assert to_update == [(existing[0], {"journal": "J Am Acad Dermatol", "volume": "50"})]
    assert existing[0].journal is None and plan.new[0].url is None  # nothing changed in place
    assert plan.apply() == (to_add, to_update)  # and apply can be asked again


def test_in_file_chain_goes_to_the_existing_reference() -> None:
    existing = [Reference("1", title=T, doi="10.1/a")]
    incoming = [Reference("", doi="10.1/a", volume="5"), Reference("", doi="10.1/a", issue="2")]
    plan = plan_import(existing, incoming)
    assert [(p.existing.key, p.in_file) for p in plan.pairs] == [("1", False), ("1", False)]
    plan.decide_all("merge")
    assert plan.apply() == ([], [(existing[0], {"volume": "5", "issue": "2"})])


@pytest.mark.parametrize(
    "name",
    ["zotero.ris", "pubmed.nbib", "library.bib", "zotero.json", "endnote_latin1_crlf.ris", "pubmed_bom_crlf.txt"],
)
def test_importing_twice_adds_nothing(name: str) -> None:
    rf = read_reference_file(FIXTURES / name)
    first = plan_import([], rf.references, keys="source")
    first.decide_all("merge")
    added, updated = first.apply()
    assert updated == [] and added
    again = plan_import(added, rf.references, keys="source")
    assert again.new == []
    again.decide_all("merge")
    assert again.apply() == ([], [])


def test_same_file_twice_is_decided_already() -> None:
    rf = read_reference_file(FIXTURES / "pubmed.nbib")
    first = plan_import([], rf.references)
    added, _ = first.apply()
    again = plan_import(added, rf.references)
    assert again.undecided == [] and [p.decision for p in again.pairs] == ["merge", "merge"]


def test_several_records_with_the_same_doi() -> None:
    rf = read_reference_file(FIXTURES / "zotero.ris")
    plan = plan_import([], rf.references)
    (pair,) = plan.pairs
    assert (pair.existing.key, pair.in_file, pair.why, pair.where) == ("1", True, "same DOI", None)
    pair.decision = "merge"
    added, _ = plan.apply()
    assert [r.key for r in added] == ["1", "2", "3"]


def test_key_numbers_skip_keys_that_only_look_like_digits() -> None:
    from curator.references.keys import KeyAllocator

    keys = KeyAllocator(["²", "3", "Smith2001"])  # "²".isdigit() is true, int("²") fails
    assert keys.number() == "4"


def test_only_a_shared_doi_or_pmid_is_certain_and_merged_unasked() -> None:
    plan = plan_import(_existing(), [
        Reference("a", title="Something else", doi="10.1016/j.jaad.2003.09.001", journal="J"),  # DOI: certain
        Reference("b", title="x", pmid="555", year=2001),  # PMID: certain
        Reference("d", title="A long title of a conference abstrakt about eczema", pages="1-2"),  # title: uncertain
    ])  # fmt: skip
    assert [(p.existing.key, p.certain) for p in plan.pairs] == [("1", True), ("2", True), ("3", False)]
    assert [p.incoming.key for p in plan.merge_certain()] == ["a", "b"]
    assert [p.incoming.key for p in plan.undecided] == ["d"]
    plan.decide_all("skip")
    assert [p.incoming.key for p in plan.left_out()] == ["d"]
    added, updated = plan.apply()
    assert added == []
    assert [(ref.key, changes) for ref, changes in updated] == [("1", {"journal": "J"}), ("2", {"year": 2001})]


def test_a_record_merged_into_one_left_out_is_left_out_too() -> None:
    existing = [Reference("1", title="A long title of a conference abstract about eczema")]
    incoming = [
        Reference("", title="A long title of a conference abstract about eczema", doi="10.1/x"),  # title: uncertain
        Reference("", title="Renamed", doi="10.1/x", volume="3"),  # the same DOI as the record before it
    ]
    plan = plan_import(existing, incoming)
    assert [(p.existing.key or "earlier", p.in_file, p.certain) for p in plan.pairs] == [
        ("1", False, False),
        ("earlier", True, True),
    ]
    plan.merge_certain()
    plan.pairs[0].decision = "skip"
    assert plan.left_out() == plan.pairs
    assert plan.apply() == ([], [])
