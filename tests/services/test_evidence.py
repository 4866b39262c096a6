"""Evidence through the editing use cases (issue 14): capture from the paper, accept a Locate hit,
verify against the paper; every change audited, told by History, and refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.pdf import find_text, sha256_of
from curator.review import Evidence, Row
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.documents.pdfs import paper
from tests.doublecheck import audit_count, stored_by, table
from tests.gui.reviewers import states
from tests.helpers import stored

ROW = ("pime-vs-tcs", 0)  # Patients Requiring TCS: 42.6 vs 68.4, cites reference 7
VALUE = "intervention.value"
#: The paper of reference 7: what stands where.
PAGES = [
    [(72, 100, "Efficacy and safety of pimecrolimus cream")],
    [(72, 100, "Patients requiring TCS: 42.6% vs 68.4%"), (72, 200, "Wrong place: 42.6 in a footnote")],
    [
        (72, 100, "Responders 95/267 (35.6%)"),
        (72, 150, "p = 0.03"),
        (72, 200, "HR 0·55 (0·41-0·74)"),
        (72, 250, "difference -4.6 points"),  # helvetica has no U+2212: a PDF may print either
        (72, 300, "P <0.001"),
    ],
]


@pytest.fixture
def review(review_target: Path | str, tmp_path: Path) -> Path | str:
    """Ana's review with reference 7 (Wahn U, Bos JD; 2002) and its paper attached."""
    path = stored_by(review_target, "Ana")
    pdf = tmp_path / "wahn-2002.pdf"
    pdf.write_bytes(paper(PAGES))
    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        ana.documents.attach("7", pdf)
        ana.references.set_field("7", "authors", "Wahn U; Bos JD")
        ana.references.set_field("7", "year", "2002")
    return path


def data(review: Path | str) -> bytes:
    """The paper's bytes, as attached (the same pages make the same bytes)."""
    return paper(PAGES)


def place(review: Path, text: str, nth: int = 0) -> Evidence:
    """Where ``text`` stands in the paper (its ``nth`` place), as evidence."""
    hit = find_text(data(review), text, "wahn-2002.pdf")[nth]
    return Evidence(sha256_of(data(review)), hit.page, hit.text, [list(box) for box in hit.boxes])


def row_of(review: Path, position: int = ROW[1]) -> Row:
    return stored(review).comparisons[0].rows[position]


def history(review: Path, position: int = ROW[1]) -> list[str]:
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        return [entry.what for entry in reversed(ana.row_history(ROW[0], position))]


# -- evidence in the edit use case ---------------------------------------------------------------------


def test_an_edit_with_evidence_saves_both_in_one_step_each_audited(review: Path) -> None:
    where = place(review, "42.6%")
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        saved = ana.rows.edit_fields(*ROW, {VALUE: "42.6"}, evidence={VALUE: where})
    assert saved.row.evidence == {VALUE: where} and row_of(review).evidence == {VALUE: where}
    assert saved.changes == {} and set(saved.evidence_changes) == {VALUE}
    entries = table(review, f"SELECT action, field FROM audit_log WHERE id >= {saved.first_entry}")
    assert entries == [("evidence", VALUE)]
    assert history(review)[-1] == "Ana recorded Pimecrolimus Group: value as read from p. 2 of Wahn 2002: '42.6%'"


def test_a_value_changed_without_evidence_loses_the_evidence_of_the_old_one(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        ana.rows.edit_fields(*ROW, {VALUE: "42.6"}, evidence={VALUE: place(review, "42.6%")})
        saved = ana.rows.edit_fields(*ROW, {VALUE: "42.7"})
    assert row_of(review).evidence == {} and saved.evidence_changes == {VALUE: (place(review, "42.6%"), None)}
    assert history(review)[-2:] == [
        "Ana changed Pimecrolimus Group: value from '42.6' to '42.7'",
        "Ana cleared where Pimecrolimus Group: value was read (it was p. 2 of Wahn 2002)",
    ]


def test_evidence_changed_alone_and_cleared_keeps_the_value(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        ana.rows.edit_fields(*ROW, {}, evidence={VALUE: place(review, "42.6%")})
        ana.rows.edit_fields(*ROW, {}, evidence={VALUE: place(review, "42.6", 1)})
        ana.rows.edit_fields(*ROW, {}, evidence={VALUE: None})
    assert row_of(review).intervention.value.text == "42.6" and row_of(review).evidence == {}  # type: ignore[union-attr]
    assert history(review)[-2:] == [
        "Ana recorded Pimecrolimus Group: value as read from p. 2 of Wahn 2002: '42.6' (was p. 2 of Wahn 2002)",
        "Ana cleared where Pimecrolimus Group: value was read (it was p. 2 of Wahn 2002)",
    ]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda e: Evidence("0" * 64, 2, "42.6%", e.boxes),
            "Pimecrolimus Group: value in row 1 (Patients Requiring TCS) of pime-vs-tcs: the evidence names document "
            + "0" * 64
            + ", which is not a document of this review (attach the paper first); nothing was written",
        ),
        (
            lambda e: Evidence(e.document, 9, "42.6%", e.boxes),
            "Pimecrolimus Group: value in row 1 (Patients Requiring TCS) of pime-vs-tcs: the evidence names page 9 "
            "of wahn-2002.pdf, but it has 3 pages; nothing was written",
        ),
    ],
)
def test_evidence_outside_the_reviews_documents_is_refused_and_nothing_is_written(
    review: Path, change, says: str
) -> None:  # type: ignore[no-untyped-def]
    before, count = row_of(review), audit_count(review)
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana, pytest.raises(CuratorError) as refused:
        ana.rows.edit_fields(
            *ROW, {VALUE: "42.7", "comparator.value": "68.5"}, evidence={VALUE: change(place(review, "42.6%"))}
        )
    assert str(refused.value) == says
    assert row_of(review) == before and audit_count(review) == count


def test_evidence_for_an_empty_value_is_refused(review: Path) -> None:
    count = audit_count(review)
    with (
        ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana,
        pytest.raises(CuratorError, match="has no value for a place"),
    ):
        ana.rows.edit_fields(*ROW, {VALUE: ""}, evidence={VALUE: place(review, "42.6%")})
    assert audit_count(review) == count


def test_evidence_expected_elsewhere_is_refused_naming_both(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        ana.rows.edit_fields(*ROW, {}, evidence={VALUE: place(review, "42.6%")})
        with pytest.raises(CuratorError) as refused:
            ana.rows.edit_fields(*ROW, {VALUE: "42.7"}, expected_evidence={VALUE: None})
    assert "it is now read from p. 2 ('42.6%'), not no place in a paper as this change expected" in str(refused.value)
    assert row_of(review).intervention.value.text == "42.6"  # type: ignore[union-attr]


# -- capture -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "selected", "stored_as"),
    [
        (VALUE, "42.6%", "42.6"),
        ("effect.value", "0·55", "0·55"),
        ("effect.value", "difference −4.6 points", "−4.6"),
        ("effect.p", "p = 0.03", "0.03"),
        ("effect.p", "<0.001", "<0.001"),
    ],
)
def test_capture_fills_a_number_field_with_the_number_as_printed_and_its_evidence(
    review: Path, field: str, selected: str, stored_as: str
) -> None:
    where = place(review, selected.replace("−", "-"))
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        captured = ben.rows.capture(*ROW, field, selected, where)
    assert captured.row.evidence[field] == where
    from curator.fields import texts

    assert texts(row_of(review))[field] == stored_as
    assert row_of(review).evidence[field] == where


def test_capture_of_an_arms_printed_result_fills_events_n_and_value_at_once(review: Path) -> None:
    before = row_of(review)
    where = place(review, "95/267 (35.6%)")
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        captured = ben.rows.capture(*ROW, VALUE, "95/267 (35.6%)", where)
    arm = row_of(review).intervention
    assert arm is not None and (arm.value.text, arm.events.text, arm.n.text) == ("35.6", "95", "267")  # type: ignore[union-attr]
    assert {k: v for k, v in row_of(review).evidence.items()} == {
        f"intervention.{name}": where for name in ("value", "n", "events")
    }
    assert captured.changes == {
        VALUE: ("42.6", "35.6"),
        "intervention.events": ("", "95"),
        "intervention.n": ("", "267"),
    }
    assert set(captured.evidence_changes) == {VALUE, "intervention.events", "intervention.n"}
    # One step back: the texts and the evidence as they were, compare-and-set on both.
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.edit_fields(
            *ROW,
            {name: old for name, (old, _new) in captured.changes.items()},
            expected={name: new for name, (_old, new) in captured.changes.items()},
            evidence={name: old for name, (old, _new) in captured.evidence_changes.items()},
            expected_evidence={name: new for name, (_old, new) in captured.evidence_changes.items()},
        )
    assert row_of(review) == before


def test_capture_fills_a_text_field_with_the_selection_collapsed(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.capture(*ROW, "endpoint", "Patients requiring\n  TCS", place(review, "Patients requiring TCS"))
    assert row_of(review).endpoint == "Patients requiring TCS"


def test_capture_fills_an_empty_source_location_and_quote_from_the_evidence(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        ana.rows.edit_fields(*ROW, {"source.location": "", "source.quote": ""})
        where = place(review, "42.6%")
        ana.rows.capture(*ROW, VALUE, "42.6%", where)
    source = row_of(review).source
    assert source is not None and (source.location, source.quote) == ("p. 2", "42.6%")
    assert row_of(review).evidence["source.quote"] == where


def test_capture_keeps_a_source_location_and_quote_already_there(review: Path) -> None:
    before = row_of(review).source
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as ana:
        ana.rows.capture(*ROW, VALUE, "42.6%", place(review, "42.6%"))
    assert row_of(review).source == before and "source.quote" not in row_of(review).evidence


@pytest.mark.parametrize(
    ("field", "selected", "says"),
    [
        (
            VALUE,
            "Efficacy and safety",
            "Pimecrolimus Group: value in row 1 (Patients Requiring TCS) of pime-vs-tcs: not captured: "
            "the selection 'Efficacy and safety' holds no number; select the number itself; nothing was written",
        ),
        (
            "effect.value",
            "HR 0·55 (0·41–0·74)",
            "Effect: value in row 1 (Patients Requiring TCS) of pime-vs-tcs: not captured: the selection "
            "'HR 0·55 (0·41–0·74)' holds 3 numbers (0·55, 0·41, 0·74); select only the one to read; nothing was written",
        ),
        (
            "measure",
            "percent",
            "Measure in row 1 (Patients Requiring TCS) of pime-vs-tcs: not captured: "
            "Measure is chosen in the form, not read from the paper's text; nothing was written",
        ),
    ],
)
def test_a_selection_that_cannot_fill_the_field_is_refused_and_nothing_is_written(
    review: Path, field: str, selected: str, says: str
) -> None:
    before, count = row_of(review), audit_count(review)
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben, pytest.raises(CuratorError) as refused:
        ben.rows.capture(*ROW, field, selected, place(review, "42.6%"))
    assert str(refused.value) == says
    assert row_of(review) == before and audit_count(review) == count


def test_capture_is_compare_and_set(review: Path) -> None:
    with (
        ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben,
        pytest.raises(CuratorError, match="it is now '42.6', not '42.5'"),
    ):
        ben.rows.capture(*ROW, VALUE, "42.6%", place(review, "42.6%"), expected={VALUE: "42.5"})
    assert row_of(review).evidence == {}


# -- accepting a Locate hit ----------------------------------------------------------------------------


def test_a_locate_hit_accepted_as_evidence_keeps_the_value_and_is_audited(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        (placed,) = ben.documents.locate(*ROW)
        hit = next(found for found in placed.fields if found.field == VALUE).hits[0]
        where = Evidence(placed.document.sha256, hit.page, hit.text, [list(b) for b in hit.boxes])
        done = ben.rows.set_evidence(*ROW, VALUE, where, expected_text="42.6")
    assert done.evidence_changes == {VALUE: (None, where)} and done.changes == {}
    assert row_of(review).evidence == {VALUE: where} and row_of(review).intervention.value.text == "42.6"  # type: ignore[union-attr]
    assert history(review)[-1] == "Ben recorded Pimecrolimus Group: value as read from p. 2 of Wahn 2002: '42.6'"


def test_accepting_a_hit_for_a_value_that_moved_or_is_empty_is_refused(review: Path) -> None:
    where, count = place(review, "42.6%"), audit_count(review)
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        with pytest.raises(CuratorError, match=r"it is now '42\.6', not '42\.5' as this change expected"):
            ben.rows.set_evidence(*ROW, VALUE, where, expected_text="42.5")
        with pytest.raises(CuratorError, match="is empty; a place in the paper is the evidence of a value"):
            ben.rows.set_evidence(*ROW, "intervention.n", where, expected_text="")
    assert audit_count(review) == count and row_of(review).evidence == {}


def test_set_evidence_clears_it_and_an_undo_puts_it_back(review: Path) -> None:
    where = place(review, "42.6%")
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.set_evidence(*ROW, VALUE, where, expected_text="42.6")
        cleared = ben.rows.set_evidence(*ROW, VALUE, None, expected_text="42.6", expected_evidence=where)
        assert row_of(review).evidence == {}
        ben.rows.set_evidence(
            *ROW, VALUE, cleared.evidence_changes[VALUE][0], expected_text="42.6", expected_evidence=None
        )
    assert row_of(review).evidence == {VALUE: where}


# -- verifying against the paper -----------------------------------------------------------------------


def test_verifying_records_what_the_value_was_checked_against(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.set_evidence(*ROW, VALUE, place(review, "42.6%"), expected_text="42.6")
    with ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo:
        cleo.checking.verify_fields(*ROW, [VALUE, "comparator.value"])
    told = history(review)
    assert told[-2:] == [
        "Cleo confirmed Pimecrolimus Group: value: 42.6, read from p. 2 of Wahn 2002",
        "Cleo confirmed Control (Conventional Treatment/Vehicle + TCS for flares) arm: value: 68.4, "
        "without a located source",
    ]
    marks = table(review, "SELECT field, old, new FROM audit_log WHERE action = 'verified-against' ORDER BY id")
    assert marks[1] == ("comparator.value", "68.4", None)
    assert '"page": 2' in str(marks[0][2])


def test_field_states_carry_the_evidence_for_verify_mode(review: Path) -> None:
    where = place(review, "42.6%")
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.set_evidence(*ROW, VALUE, where, expected_text="42.6")
    found = states(review, *ROW)
    assert found[VALUE].evidence == where and found["comparator.value"].evidence is None


def test_a_fix_from_the_paper_keeps_the_new_evidence_and_is_verified_against_it(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo:
        cleo.checking.fix_field(*ROW, VALUE, "35.6", evidence=place(review, "95/267 (35.6%)"))
    assert row_of(review).evidence[VALUE].page == 3
    assert states(review, *ROW)[VALUE].state == "verified"
    assert history(review)[-1] == "Cleo confirmed Pimecrolimus Group: value: 35.6, read from p. 3 of Wahn 2002"


def test_a_document_without_a_reference_is_named_by_its_file(review_target: Path | str, tmp_path: Path) -> None:
    path = stored_by(review_target, "Ana")
    pdf = tmp_path / "supplement.pdf"
    pdf.write_bytes(paper(PAGES))
    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        ana.documents.attach(None, pdf)
        hit = find_text(pdf.read_bytes(), "42.6%")[0]
        ana.rows.set_evidence(
            *ROW, VALUE, Evidence(sha256_of(pdf.read_bytes()), hit.page, hit.text), expected_text="42.6"
        )
        told = [entry.what for entry in ana.row_history(*ROW)]
    assert told[0] == "Ana recorded Pimecrolimus Group: value as read from p. 2 of supplement.pdf: '42.6%'"


def test_a_fix_by_selecting_the_right_text_reads_the_number_as_printed(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo:
        assert cleo.checking.fix_from_paper(*ROW, VALUE, "Responders 95/267 (35.6%)", place(review, "35.6%")) != ""
    assert row_of(review).intervention.value.text == "35.6"  # type: ignore[union-attr]
    assert row_of(review).intervention.n is None  # a fix is of the one value verified
    assert (states(review, *ROW)[VALUE].state, row_of(review).evidence[VALUE].page) == ("verified", 3)


def test_a_fix_from_a_selection_without_the_value_is_refused_and_writes_nothing(review: Path) -> None:
    before, count = row_of(review), audit_count(review)
    with ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo:
        with pytest.raises(CuratorError) as refused:
            cleo.checking.fix_from_paper(*ROW, VALUE, "95/267", place(review, "95/267"))
        with pytest.raises(CuratorError, match="not fixed: the selection 'Wrong place' holds no number"):
            cleo.checking.fix_from_paper(*ROW, VALUE, "Wrong place", place(review, "Wrong place"))
    assert str(refused.value) == (
        "Pimecrolimus Group: value in row 1 (Patients Requiring TCS) of pime-vs-tcs: not fixed: the selection "
        "'95/267' gives Pimecrolimus Group: events, Pimecrolimus Group: n, not this value; select the value itself; "
        "nothing was written"
    )
    assert row_of(review) == before and audit_count(review) == count
