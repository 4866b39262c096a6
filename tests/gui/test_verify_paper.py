"""Verify against the paper (issue 14, item 5): verify mode shows, beside each value, the page it was read
from with its place framed; a value with no evidence says so and shows where its printed text stands; the
verifier fixes a value by selecting the right text in the paper. Driven with keys as Ben verifies Ana's row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from curator.gui.app import MainWindow
from curator.gui.verify_paper import NO_SOURCE, number_as_printed
from curator.gui.verify_view import VerifyDialog
from curator.pdf import find_text, sha256_of
from curator.review import Document, Evidence
from curator.services import ReviewService
from curator.services.sources import open_review
from curator.store.repository import add_content
from tests.documents.pdfs import trial_paper
from tests.doublecheck import review_by
from tests.gui.reviewers import controls, states, window_as

COMPARISON = "pime-vs-tcs"


def _table_2(text: str) -> tuple[int, tuple[tuple[float, float, float, float], ...]]:
    """Where ``text`` stands in the trial paper's Table 2 (page 2): its page and boxes."""
    (hit,) = [h for h in find_text(trial_paper(), text) if h.page == 2]
    return hit.page, hit.boxes


def stored_with_evidence(path: Path) -> Path:
    """Ana's extraction of the demo review with the trial paper attached to reference [7] (which row 1
    cites), Pimecrolimus: value (42.6) read from Table 2 on page 2, the other values typed without
    evidence."""
    data = trial_paper()
    sha = sha256_of(data)
    review = review_by("Ana")
    review.documents = [Document(sha256=sha, file="wahn-2002.pdf", reference="7", media_type="application/pdf")]
    comparison = next(c for c in review.comparisons if c.key == COMPARISON)
    page, boxes = _table_2("42.6%")
    evidence = Evidence(document=sha, page=page, text="42.6%", boxes=[list(b) for b in boxes])
    comparison.rows[0] = replace(comparison.rows[0], evidence={"intervention.value": evidence})
    with open_review(path, who="Ana") as db, db.session() as session:
        add_content(session, review, "Ana")
    pdf = path.parent / "wahn-2002.pdf"
    pdf.write_bytes(data)
    with ReviewService.open(path, "Ana") as ana:
        ana.documents.attach("7", pdf)  # the bytes, kept in the review
    return path


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_with_evidence(tmp_path / "ana.sqlite")


def _open(qtbot, review: Path, position: int = 0) -> VerifyDialog:  # type: ignore[no-untyped-def]
    window: MainWindow = window_as(qtbot, review, "Ben")
    window.resize(1500, 900)
    window.select_row(COMPARISON, position)
    controls(window).verify_action.trigger()  # Ctrl+Shift+V (offscreen, no window has the keyboard)
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _close(qtbot, dialog: VerifyDialog) -> None:  # type: ignore[no-untyped-def]
    """Escape closes verify mode (before its window closes), and the paper it showed."""
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.pane.document is None


def _down_to(qtbot, dialog: VerifyDialog, field: str) -> None:  # type: ignore[no-untyped-def]
    """Move to ``field`` in the list with the arrow keys."""
    target = dialog.model.row_of(field)
    assert target >= 0
    for _ in range(dialog.model.rowCount()):
        if dialog.model.current == target:
            break
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down if dialog.model.current < target else Qt.Key.Key_Up)
    assert dialog.current_field is not None and dialog.current_field.field == field


def _point(view, box: tuple[float, float, float, float]) -> QPoint:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = box
    return QPoint(int((x0 + x1) / 2 * view.scale), int((y0 + y1) / 2 * view.scale))


def test_a_value_with_evidence_shows_its_page_with_its_place_framed(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, review)
    pane = dialog.pane
    assert pane.isVisible() and pane.document is not None and pane.document.file == "wahn-2002.pdf"
    # The fields and the paper side by side.
    assert dialog.view.mapTo(dialog, QPoint(dialog.view.width(), 0)).x() < pane.mapTo(dialog, QPoint(0, 0)).x()
    assert "[7]" in pane.heading.text()
    # Beside each value, the page it was read from (a dash: no located source).
    model = dialog.model
    assert model.data(model.index(model.row_of("intervention.value"), 3)) == "p. 2"
    read = model.index(model.row_of("comparator.value"), 3)
    assert model.data(read) == "—"
    assert model.data(read, Qt.ItemDataRole.ToolTipRole) == "No located source: read it in the paper"
    _down_to(qtbot, dialog, "intervention.value")
    page, boxes = _table_2("42.6%")
    assert pane.page == page == 2 and pane.page_label.text() == "p. 2 of 3"
    assert list(pane.view.marks.evidence) == list(boxes)  # framed in green
    assert dialog.paper.note.text() == (
        "<b>Pimecrolimus Group: value</b> “42.6%”: read from p. 2 of wahn-2002.pdf, framed in green."
    )
    # In view: the frame's middle is inside the part of the page the scroll area shows.
    x0, y0, x1, y1 = boxes[0]
    middle = pane.view.mapTo(pane.scroll_area.viewport(), _point(pane.view, boxes[0]))
    assert pane.scroll_area.viewport().rect().contains(middle)
    # Another field: the frame goes; back to the value: it is framed again.
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    assert not pane.view.marks.evidence
    qtbot.keyClick(dialog.view, Qt.Key.Key_Up)
    assert list(pane.view.marks.evidence) == list(boxes)
    _close(qtbot, dialog)


def test_a_value_without_evidence_says_so_and_marks_where_it_stands(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, review)
    pane = dialog.pane
    _down_to(qtbot, dialog, "comparator.value")  # 68.4, typed without evidence
    note = dialog.paper.note.text()
    assert NO_SOURCE in note
    assert "“68.4” stands on p. 1, 2, 3 of wahn-2002.pdf (3 places, marked in yellow)." in note
    assert [hit.page for hit in pane.found] == [1, 2, 3]
    assert pane.page == 1 and pane.view.marks.found and not pane.view.marks.evidence
    note = dialog.paper.note  # every line of it shown, at the paper's width
    assert note.height() >= note.heightForWidth(note.width()) > note.fontMetrics().height() * 2
    dialog.activateWindow()  # a shortcut needs its window active (offscreen, none is until asked)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F3)  # the next place, the keyboard still on the fields
    assert pane.page == 2 and pane.current_found is not None and pane.current_found.page == 2
    qtbot.keyClick(dialog.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pane.page == 1
    _close(qtbot, dialog)


def test_what_the_note_says_of_a_value_not_in_the_paper_and_of_a_choice(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """A number typed wrong is looked for and not found; a choice (the measure) is not looked for at all."""
    _ana_typed(review, "comparator.value", "64.8")
    dialog = _open(qtbot, review)
    _down_to(qtbot, dialog, "comparator.value")
    assert dialog.paper.note.text() == (
        f"<b>Control (Conventional Treatment/Vehicle + TCS for flares) arm: value</b>: {NO_SOURCE}"
        "<br>“64.8” was not found in the paper as printed."
    )
    assert dialog.pane.found == [] and not dialog.pane.view.marks.evidence
    _down_to(qtbot, dialog, "measure")
    assert dialog.paper.note.text() == f"<b>Measure</b>: {NO_SOURCE}"
    _close(qtbot, dialog)


def test_page_down_shows_the_next_row_s_paper_or_says_it_has_none(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, review)
    assert dialog.pane.document is not None
    for _ in range(3):
        qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    assert dialog.current_row == (COMPARISON, 3)  # cites [8], which has no paper
    assert dialog.pane.document is None and dialog.pane.view.image is None
    assert "No paper attached to [8]" in dialog.pane.message.text()
    assert dialog.model.data(dialog.model.index(dialog.model.row_of("intervention.value"), 3)) == "—"
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    assert dialog.current_row == (COMPARISON, 0) and dialog.pane.document is not None
    _close(qtbot, dialog)


def _evidence(review: Path) -> dict[str, Evidence]:
    """Row 1's evidence as stored."""
    with ReviewService.open(review, "Ben") as ben:
        return ben.stored_rows(COMPARISON).take(0, 1)[0].evidence


def _history(review: Path) -> list[str]:
    """Row 1's History, newest first."""
    with ReviewService.open(review, "Ben") as ben:
        return [entry.what for entry in ben.row_history(COMPARISON, 0)]


def test_confirming_records_what_the_value_was_checked_against(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """Enter on a value with evidence: confirmed as read from its page; on one without: confirmed without
    a located source, as the dialog said it would be (History tells both)."""
    dialog = _open(qtbot, review)
    _down_to(qtbot, dialog, "intervention.value")
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    _down_to(qtbot, dialog, "comparator.value")
    assert NO_SOURCE in dialog.paper.note.text()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    stored = states(review, COMPARISON, 0)
    assert (stored["intervention.value"].state, stored["comparator.value"].state) == ("verified", "verified")
    assert _history(review)[:2] == [
        "Ben confirmed Control (Conventional Treatment/Vehicle + TCS for flares) arm: value: 68.4, "
        "without a located source",
        "Ben confirmed Pimecrolimus Group: value: 42.6, read from p. 2 of wahn-2002.pdf",
    ]
    _close(qtbot, dialog)


def test_a_fix_typed_over_the_selection_is_not_tied_to_it(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """Ben selects 42.6% in Table 2 for the Pimecrolimus value, then types 42.9 over it: the value was not
    read there, so the fix keeps no evidence (the old one, which documented 42.6, goes) and says so."""
    dialog = _open(qtbot, review)
    _down_to(qtbot, dialog, "intervention.value")
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    _double_click(qtbot, dialog, "42.6%")
    assert dialog.editor.text() == "42.6" and dialog.message.text() == "From p. 2: Enter saves 42.6 as read there."
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "42.9")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert states(review, COMPARISON, 0)["intervention.value"].value == "42.9"
    assert "intervention.value" not in _evidence(review)
    assert _history(review)[0] == "Ben confirmed Pimecrolimus Group: value: 42.9, without a located source"
    _close(qtbot, dialog)


def test_fixing_to_the_same_value_from_the_paper_records_where_it_was_read(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """A value typed without evidence and right: F, select it in the paper, Enter. The value stays, and
    now says where it was read."""
    dialog = _open(qtbot, review)
    _down_to(qtbot, dialog, "comparator.value")
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    _double_click(qtbot, dialog, "68.4%")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert not dialog.editor_box.isVisible(), dialog.message.text()
    stored = states(review, COMPARISON, 0)["comparator.value"]
    assert (stored.value, stored.state, stored.by) == ("68.4", "verified", "Ben")
    assert _evidence(review)["comparator.value"].page == 2
    assert _history(review)[0].endswith("arm: value: 68.4, read from p. 2 of wahn-2002.pdf")
    _close(qtbot, dialog)


def test_find_in_the_paper_from_verify_mode(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, review)
    dialog.activateWindow()  # a shortcut needs its window active (offscreen, nothing is until asked)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    pane = dialog.pane
    assert pane.find_box.isVisible() and dialog.mode is None  # finding, not fixing
    qtbot.keyClicks(pane.find_edit, "95/267")
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.found) == 1)
    assert pane.page == 2
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Escape)  # closes the find bar, not verify mode
    assert dialog.isVisible() and not pane.find_box.isVisible()
    _close(qtbot, dialog)


def _ana_typed(review: Path, field: str, text: str) -> None:
    with ReviewService.open(review, "Ana") as ana:
        ana.rows.edit_field(COMPARISON, 0, field, text)


def _double_click(qtbot, dialog: VerifyDialog, text: str, page: int = 2) -> None:  # type: ignore[no-untyped-def]
    """Double-click the number ``text`` on ``page`` of the paper (a double click selects a whole number)."""
    pane = dialog.pane
    pane.go(page)
    characters = pane.page_text()
    assert characters is not None
    at = characters.text.index(text) + 1
    qtbot.mouseDClick(pane.view, Qt.MouseButton.LeftButton, pos=_point(pane.view, characters.boxes[at]))


def test_fix_by_selecting_the_right_text_in_the_paper(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """Ana typed 64.8 for the control arm's value; Table 2 prints 68.4%. Ben presses F, selects 28.3% by
    mistake, then 68.4%: the fix takes the number as printed, and Enter saves it."""
    _ana_typed(review, "comparator.value", "64.8")
    dialog = _open(qtbot, review)
    _down_to(qtbot, dialog, "comparator.value")
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    assert dialog.editor_box.isVisible() and dialog.editor.text() == "64.8"
    assert "select it in the paper" in dialog.editor.placeholderText()
    _double_click(qtbot, dialog, "28.3%")
    assert dialog.editor.text() == "28.3"
    _double_click(qtbot, dialog, "68.4%")
    assert dialog.editor.text() == "68.4"
    assert dialog.focusWidget() is dialog.editor  # Enter saves it
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    stored = states(review, COMPARISON, 0)["comparator.value"]
    assert (stored.value, stored.state, stored.by) == ("68.4", "verified", "Ben")
    # The fixed value is tied to where Ben read it, in the same step: Table 2, page 2.
    evidence = _evidence(review)["comparator.value"]
    page, boxes = _table_2("68.4%")
    assert (evidence.page, evidence.text, evidence.document) == (page, "68.4%", sha256_of(trial_paper()))
    assert [tuple(b) for b in evidence.boxes] == list(boxes)
    arm = "Control (Conventional Treatment/Vehicle + TCS for flares) arm: value"
    assert _history(review)[:3] == [
        f"Ben confirmed {arm}: 68.4, read from p. 2 of wahn-2002.pdf",
        f"Ben recorded {arm} as read from p. 2 of wahn-2002.pdf: '68.4%'",
        f"Ben changed {arm} from '64.8' to '68.4'",
    ]
    assert dialog.model.data(dialog.model.index(dialog.model.row_of("comparator.value"), 3)) == "p. 2"
    assert dialog.current_field is not None and dialog.current_field.field != "comparator.value"  # on
    _close(qtbot, dialog)


def test_a_selection_made_first_then_f_starts_the_fix_from_it(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """Selecting in the paper first, then F (the keyboard in the paper): the fix starts from the selected
    number; a selection that is not the field's number is kept as typed, marked, with its reason."""
    _ana_typed(review, "comparator.value", "64.8")
    dialog = _open(qtbot, review)
    _down_to(qtbot, dialog, "comparator.value")
    _double_click(qtbot, dialog, "68.4%")
    assert dialog.pane.selected() is not None
    qtbot.keyClick(dialog.pane.view, Qt.Key.Key_F)
    assert dialog.mode == "fix" and dialog.editor.text() == "68.4"
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)  # cancels the fix, verify mode stays
    assert dialog.isVisible() and dialog.mode is None
    dialog.pane.go(1)
    dialog.pane.view.select(0, 8)  # "Efficacy " of the title
    qtbot.keyClick(dialog.pane.view, Qt.Key.Key_F)
    assert dialog.editor.text() == "Efficacy"
    assert dialog.message.text() == (
        "Control (Conventional Treatment/Vehicle + TCS for flares) arm: value: "
        "the selection 'Efficacy' holds no number; select the number itself"
    )
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert states(review, COMPARISON, 0)["comparator.value"].value == "64.8"  # nothing saved
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)
    _close(qtbot, dialog)


@pytest.mark.parametrize(
    ("field", "selected", "taken"),
    [
        ("intervention.value", "68.4%", "68.4"),
        ("intervention.value", "95/267 (35.6%)", "35.6"),
        ("intervention.events", "95/267 (35.6%)", "95"),
        ("intervention.n", "95/267 (35.6%)", "267"),
        ("intervention.n", "n = 3,145", "3,145"),
        ("effect.value", "0·55", "0·55"),
        ("effect.value", "RR −4.6", "−4.6"),
        ("endpoint", "Patients  requiring\nTCS", "Patients requiring TCS"),
    ],
)
def test_a_selection_gives_the_field_s_value_as_printed(field: str, selected: str, taken: str) -> None:
    """Read as capture reads a selection (curator.capture), the field's part only."""
    assert number_as_printed(field, selected) == taken


@pytest.mark.parametrize(
    ("field", "selected", "reason"),
    [
        ("effect.value", "0·55 (0·40–0·76)", "holds 3 numbers (0·55, 0·40, 0·76); select only the one to read"),
        ("intervention.value", "no number", "the selection 'no number' holds no number; select the number itself"),
        (
            "intervention.value",
            "95/267",
            "the selection '95/267' gives events 95, n 267, not this value; select the value",
        ),
        ("measure", "mean", "Measure is chosen in the form, not read from the paper's text"),
    ],
)
def test_a_selection_without_the_field_s_value_says_why(field: str, selected: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        number_as_printed(field, selected)
    assert str(caught.value).endswith(reason)


def test_verify_paper_picture(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/verify-paper.png (written with ``CURATOR_SCREENSHOTS=1``): Ben in verify mode on row 1, three
    fields confirmed, on Pimecrolimus Group: value, read from Table 2 on page 2, framed in green."""
    import os

    review = stored_with_evidence(tmp_path / "ana.sqlite")
    dialog = _open(qtbot, review)
    dialog.resize(1500, 860)
    for _ in range(3):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    _down_to(qtbot, dialog, "intervention.value")
    qtbot.waitUntil(lambda: dialog.pane.view.width() > 500)  # fitted to the pane's width once laid out
    assert dialog.pane.page == 2 and dialog.pane.view.marks.evidence
    assert "read from p. 2 of wahn-2002.pdf" in dialog.paper.note.text()
    target = (Path(__file__).parents[2] / "docs" if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path) / (
        "verify-paper.png"
    )
    assert dialog.grab().save(str(target))
    assert target.stat().st_size > 30_000
    _close(qtbot, dialog)
