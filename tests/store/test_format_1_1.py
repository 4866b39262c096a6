"""The fields of format 1.1 in a stored review: verified, disputed, changed and merged like the others;
documents and evidence kept through the edits a review goes through."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.formats.exchange import write_exchange
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Document, Effect, Evidence, Review, Row
from curator.services.sources import open_review, read_theirs
from curator.store.adjudication import open_items
from curator.store.edits import set_row_field
from curator.store.merge import merge_review
from curator.store.repository import add_content, load_review, replace_content
from curator.store.rows import delete_comparison, delete_row, duplicate_row, insert_row, restore_comparison
from curator.store.verification import dispute_field, field_states, verify_field, verify_row
from tests.doublecheck import table
from tests.helpers import Where

SHA = "ab" * 32
OTHER = "cd" * 32


def R(text: str, whole: bool = False):  # noqa: N802
    return parse_reported(text, whole=whole)


def row_1_1(who: str = "Ana", **kw) -> Row:
    fields = dict(
        endpoint="Itch score",
        measure="mean",
        analysis="adjusted",
        integer_items=R("1"),
        intervention=Arm(value=R("12·1"), n=R("3,145", True), sd=R("4.0"), se=R("0.55")),
        comparator=Arm(value=R("− 4.6"), n=R("NR"), min=R("0"), max=R("40")),
        effect=Effect(
            measure="MD", value=R("-2.3"), ci_level=R("95.02"), se=R("0.8"), adjusted=True, contrast="change"
        ),
        citations=["7"],
        extracted_by=who,
        status="extracted",
        evidence={"intervention.value": Evidence(document=SHA, page=3, text="12·1", boxes=[[72, 100.5, 90, 110]])},
    )
    fields.update(kw)
    return Row(**fields)


def review_1_1(who: str = "Ana", **kw) -> Review:
    return Review(
        title="Continuous",
        documents=[Document(sha256=SHA, file="wahn-2002.pdf", reference="7", pages=12)],
        comparisons=[Comparison("c", "Pimecrolimus vs vehicle", "Pimecrolimus", "Vehicle", rows=[row_1_1(who, **kw)])],
    )


def stored(path: Where, review: Review, who: str = "Ana") -> Where:
    with open_review(path, who=who) as db, db.session() as session:
        add_content(session, review, who)
    return path


def loaded(path: Path) -> Review:
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return load_review(session)


# -- verification -----------------------------------------------------------------


def test_a_verifier_verifies_and_disputes_the_fields_1_1_added(review_target: Path | str) -> None:
    path = stored(review_target, review_1_1())
    with open_review(path, create=False) as db, db.session() as session:
        verify_field(session, "c", 0, "effect.adjusted", "Ben")
        verify_field(session, "c", 0, "comparator.n", "Ben")  # NR is a value: the reviewer looked
        dispute_field(session, "c", 0, "intervention.se", "Ben", "the paper prints 0.65")
        states = field_states(session, "c", 0)
    assert (states["effect.adjusted"].state, states["effect.adjusted"].checked) == ("verified", "true")
    assert (states["comparator.n"].state, states["comparator.n"].checked) == ("verified", "NR")
    assert (states["intervention.se"].state, states["intervention.se"].comment) == ("disputed", "the paper prints 0.65")
    assert states["effect.ci_level"].value == "95.02" and states["intervention.n"].value == "3,145"
    assert table(path, "SELECT status FROM endpoint_row") == [("disputed",)]


def test_verifying_a_row_takes_in_every_1_1_field_and_a_change_needs_verifying_again(review_target: Path | str) -> None:
    path = stored(review_target, review_1_1())
    with open_review(path, create=False) as db, db.session() as session:
        done = verify_row(session, "c", 0, "Ben")
    for name in (
        "analysis",
        "integer_items",
        "intervention.se",
        "comparator.min",
        "effect.ci_level",
        "effect.contrast",
    ):
        assert name in done
    assert table(path, "SELECT status, verified_by FROM endpoint_row") == [("verified", "Ben")]
    with open_review(path, create=False) as db, db.session() as session:
        set_row_field(session, "c", 0, "effect.contrast", "arms", "Ana")
        states = field_states(session, "c", 0)
    assert states["effect.contrast"].state == "changed"
    assert table(path, "SELECT status FROM endpoint_row") == [("extracted",)]


@pytest.mark.parametrize(
    ("name", "text", "exported"),
    [
        ("intervention.q1", "0·5", "0·5"),
        ("comparator.n", "10 096", "10 096"),
        ("integer_items", "NR", "NR"),
        ("effect.ci_level", "90", 90),  # typed: a plain number; the string it was is gone
        ("effect.adjusted", "false", False),
        ("analysis", "kaplan_meier", "kaplan_meier"),
    ],
)
def test_typing_a_1_1_field_stores_it_as_typed(
    review_target: Path | str, name: str, text: str, exported: object
) -> None:
    from curator.formats.exchange import to_json

    path = stored(review_target, review_1_1())
    with open_review(path, create=False) as db, db.session() as session:
        set_row_field(session, "c", 0, name, text, "Ana")
    row = to_json(loaded(path))["comparisons"][0]["rows"][0]
    assert _at(row, name) == exported
    assert loaded(path).comparisons[0].rows[0].evidence  # an edit leaves the evidence


def _at(document: dict, path: str) -> object:
    for part in path.split("."):
        document = document.get(part)  # type: ignore[assignment]
    return document


def test_a_typed_grouped_number_is_refused_where_it_is_not_a_count(review_target: Path | str) -> None:
    path = stored(review_target, review_1_1())
    with pytest.raises(CuratorError, match=r'"3,145" is not a number \(write it without a thousands separator'):
        with open_review(path, create=False) as db, db.session() as session:
            set_row_field(session, "c", 0, "intervention.se", "3,145", "Ana")
    assert loaded(path).comparisons[0].rows[0].intervention.se == R("0.55")  # type: ignore[union-attr]


# -- rows and their evidence --------------------------------------------------------


def test_evidence_goes_and_comes_back_with_its_row(review_target: Path | str) -> None:
    path = stored(review_target, review_1_1())
    before = loaded(path)
    with open_review(path, create=False) as db, db.session() as session:
        position = duplicate_row(session, "c", 0, "Ben")
    copy_ = loaded(path).comparisons[0].rows[position]
    assert copy_.evidence == before.comparisons[0].rows[0].evidence and copy_.extracted_by == "Ben"
    with open_review(path, create=False) as db, db.session() as session:
        gone = delete_row(session, "c", 1, "Ben")
        assert gone.evidence == copy_.evidence
        insert_row(session, "c", 1, gone, "Ben")  # undo
    assert loaded(path).comparisons[0].rows[1].evidence == copy_.evidence
    with open_review(path, create=False) as db, db.session() as session:
        position_, comparison = delete_comparison(session, "c", "Ana")
        restore_comparison(session, position_, comparison, "Ana")
    assert [r.evidence for r in loaded(path).comparisons[0].rows] == [copy_.evidence, copy_.evidence]
    assert table(path, "SELECT count(*) FROM evidence") == [(2,)]


def test_evidence_naming_a_document_the_review_lacks_is_refused_and_nothing_written(review_target: Path | str) -> None:
    from curator.store.repository import ContentConflict

    path = stored(review_target, Review(title="Empty"))
    bad = review_1_1()
    bad.documents = []
    with pytest.raises(
        ContentConflict, match=rf"row 'Itch score': the evidence of intervention.value names document {SHA}"
    ):
        with open_review(path, create=False) as db, db.session() as session:
            add_content(session, bad, "Ana")
    assert table(path, "SELECT count(*) FROM endpoint_row") == [(0,)]


def test_replacing_the_content_replaces_the_documents(review_target: Path | str) -> None:
    path = stored(review_target, review_1_1())
    other = review_1_1()
    other.documents = [Document(sha256=OTHER, file="other.pdf")]
    other.comparisons[0].rows[0].evidence = {"endpoint": Evidence(document=OTHER, page=1)}
    with open_review(path, create=False) as db, db.session() as session:
        replace_content(session, other, "Ana")
    assert loaded(path) == other


# -- merge -------------------------------------------------------------------------


def test_merge_treats_the_1_1_fields_like_the_others_and_brings_evidence_where_values_agree(
    review_target: Path | str, tmp_path: Path
) -> None:
    ours = stored(review_target, review_1_1("Ana", evidence={}))
    theirs_review = review_1_1("Ben")
    row = theirs_review.comparisons[0].rows[0]
    row.intervention = replace(row.intervention, se=R("NR"), sd=R("4·0"))  # type: ignore[arg-type]
    row.effect = replace(row.effect, adjusted=None)  # type: ignore[arg-type]
    row.evidence = {
        "intervention.sd": Evidence(document=SHA, page=3, text="4·0"),  # agrees with ours: comes in
        "intervention.se": Evidence(document=SHA, page=3, text="NR"),  # differs: stays out
    }
    theirs_review.documents.append(Document(sha256=OTHER, file="supplement.pdf"))
    theirs = tmp_path / "ben.json"
    write_exchange(theirs_review, theirs)
    with open_review(ours, create=False) as db, db.session() as session:
        summary = merge_review(session, read_theirs(theirs), "Ana", name="ben.json")
        items = {(i.field, i.value_a, i.value_b) for i in open_items(session)}
        states = field_states(session, "c", 0)
    assert items == {("intervention.se", "0.55", "NR"), ("effect.adjusted", "true", None)}
    assert summary.items_opened == 2 and summary.documents_added == 1
    for name in ("analysis", "integer_items", "intervention.sd", "comparator.n", "effect.ci_level", "effect.contrast"):
        assert (states[name].state, states[name].by) == ("verified", "Ben"), name
    merged = loaded(ours)
    assert [d.sha256 for d in merged.documents] == [SHA, OTHER]
    assert merged.comparisons[0].rows[0].evidence == {"intervention.sd": Evidence(document=SHA, page=3, text="4·0")}
    assert "1 source document added" in summary.lines("curator adjudicate")


def test_a_row_only_in_theirs_comes_with_its_evidence(review_target: Path | str, tmp_path: Path) -> None:
    ours = stored(review_target, review_1_1("Ana"))
    theirs_review = copy.deepcopy(review_1_1("Ben"))
    theirs_review.comparisons[0].rows.append(row_1_1("Ben", endpoint="Sleep score"))
    theirs_review.comparisons.append(
        Comparison("d", "Pimecrolimus vs TCS", "Pimecrolimus", "TCS", rows=[row_1_1("Ben", endpoint="Flares")])
    )
    theirs = tmp_path / "ben.json"
    write_exchange(theirs_review, theirs)
    with open_review(ours, create=False) as db, db.session() as session:
        merge_review(session, read_theirs(theirs), "Ana", name="ben.json")
    merged = loaded(ours)
    assert merged.comparisons[0].rows[1].evidence == theirs_review.comparisons[0].rows[1].evidence
    assert merged.comparisons[1].rows[0].evidence == theirs_review.comparisons[1].rows[0].evidence


# -- references and their documents --------------------------------------------------


def test_a_document_follows_its_reference_when_the_key_changes_or_references_merge(review_target: Path | str) -> None:
    from curator.review import Reference
    from curator.store.references import merge_references, set_reference_field

    review = review_1_1()
    review.references = [Reference(key="7", title="Wahn 2002"), Reference(key="9", title="Wahn 2002 (again)")]
    review.documents.append(Document(sha256=OTHER, file="copy.pdf", reference="9"))
    path = stored(review_target, review)
    with open_review(path, create=False) as db, db.session() as session:
        set_reference_field(session, "7", "key", "wahn-2002", "Ana")
    assert [d.reference for d in loaded(path).documents] == ["wahn-2002", "9"]
    with open_review(path, create=False) as db, db.session() as session:
        merge_references(session, "wahn-2002", "9", "Ana")
    assert [d.reference for d in loaded(path).documents] == ["wahn-2002", "wahn-2002"]
    changes = table(path, "SELECT old, new FROM audit_log WHERE table_name = 'document' AND field = 'reference'")
    assert changes == [("7", "wahn-2002"), ("9", "wahn-2002")]
