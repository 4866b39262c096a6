"""Capture and evidence as undoable steps of the window (issue 14): one step each, undone with the
values AND their evidence, compare-and-set both ways, refusals shown and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from curator.gui.app import MainWindow
from curator.gui.commands import CaptureCommand, EditCommand, EvidenceCommand
from curator.pdf import find_text, sha256_of
from curator.review import Evidence, Row
from curator.services import ReviewService
from tests.documents.pdfs import paper
from tests.doublecheck import audit_count
from tests.helpers import stored, stored_demo

ROW = ("pime-vs-tcs", 0)  # Patients Requiring TCS: 42.6 vs 68.4, cites reference 7
VALUE = "intervention.value"


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The demo review with reference 7's paper attached; Ben at the keyboard, on row 1."""
    path = stored_demo(tmp_path / "r.sqlite")
    pdf = tmp_path / "wahn-2002.pdf"
    pdf.write_bytes(paper([[(72, 100, "Responders 95/267 (35.6%)"), (72, 200, "42.6% vs 68.4%")]]))
    with ReviewService.open(path, "Ana") as ana:
        ana.documents.attach("7", pdf)
    win = MainWindow(path, "Ben")
    qtbot.addWidget(win)
    win.show()
    win.select_row(*ROW)
    return win


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def place(window: MainWindow, text: str) -> Evidence:
    data = (window.path.parent / "wahn-2002.pdf").read_bytes()
    hit = find_text(data, text, "wahn-2002.pdf")[0]
    return Evidence(sha256_of(data), hit.page, hit.text, [list(box) for box in hit.boxes])


def row_of(window: MainWindow) -> Row:
    return stored(window.path).comparisons[0].rows[ROW[1]]


def test_a_capture_is_one_step_undone_with_its_evidence_and_redone(window: MainWindow) -> None:
    before = row_of(window)
    where = place(window, "95/267 (35.6%)")
    window.undo_stack.push(CaptureCommand(window.state, *ROW, VALUE, "95/267 (35.6%)", where))
    captured = row_of(window)
    assert captured.intervention is not None and captured.intervention.n is not None
    assert (captured.intervention.value.text, captured.intervention.n.text) == ("35.6", "267")  # type: ignore[union-attr]
    assert captured.evidence["intervention.events"] == where
    assert window.undo_stack.count() == 1 and window.undo_stack.text(0).startswith("capture ")
    assert window.row_form.edits[VALUE].text() == "35.6" and window.row_form.edits["intervention.n"].text() == "267"
    window.undo_stack.undo()
    assert row_of(window) == before and window.row_form.edits[VALUE].text() == "42.6"
    window.undo_stack.redo()
    assert row_of(window) == captured


def test_undoing_an_edit_brings_back_the_evidence_the_change_dropped(window: MainWindow) -> None:
    window.undo_stack.push(EvidenceCommand(window.state, *ROW, VALUE, place(window, "42.6%"), "42.6"))
    read = row_of(window).evidence
    assert read == {VALUE: place(window, "42.6%")}
    window.undo_stack.push(EditCommand(window.state, *ROW, VALUE, "42.6", "42.7"))
    assert row_of(window).evidence == {}
    window.undo_stack.undo()
    assert row_of(window).evidence == read and row_of(window).intervention.value.text == "42.6"  # type: ignore[union-attr]
    window.undo_stack.undo()
    assert row_of(window).evidence == {}
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert row_of(window).evidence == {} and row_of(window).intervention.value.text == "42.7"  # type: ignore[union-attr]


def test_undo_of_accepted_evidence_changed_meanwhile_is_refused_and_writes_nothing(
    window: MainWindow, warnings: list[str]
) -> None:
    window.undo_stack.push(EvidenceCommand(window.state, *ROW, VALUE, place(window, "42.6%"), "42.6"))
    with ReviewService.open(window.path, "Cleo") as cleo:  # another window reads it elsewhere
        cleo.rows.set_evidence(*ROW, VALUE, place(window, "Responders"), expected_text="42.6")
    count = audit_count(window.path)
    window.undo_stack.undo()
    assert len(warnings) == 1 and "it is now read from p. 1 ('Responders'), not p. 1 ('42.6%')" in warnings[0]
    assert audit_count(window.path) == count and row_of(window).evidence[VALUE].text == "Responders"
    assert window.undo_stack.count() == 0  # the refused step left the stack


def test_a_refused_capture_is_shown_and_leaves_no_step(window: MainWindow, warnings: list[str]) -> None:
    before, count = row_of(window), audit_count(window.path)
    window.undo_stack.push(CaptureCommand(window.state, *ROW, VALUE, "Responders", place(window, "Responders")))
    assert warnings == [
        "Pimecrolimus Group: value in row 1 (Patients Requiring TCS) of pime-vs-tcs: not captured: "
        "the selection 'Responders' holds no number; select the number itself; nothing was written"
    ]
    assert window.undo_stack.count() == 0 and row_of(window) == before and audit_count(window.path) == count


def test_clearing_evidence_is_a_step_undone_too(window: MainWindow) -> None:
    where = place(window, "42.6%")
    window.undo_stack.push(EvidenceCommand(window.state, *ROW, VALUE, where, "42.6"))
    window.undo_stack.push(EvidenceCommand(window.state, *ROW, VALUE, None, "42.6"))
    assert row_of(window).evidence == {} and window.undo_stack.text(1).startswith("clear where ")
    window.undo_stack.undo()
    assert row_of(window).evidence == {VALUE: where}
    window.undo_stack.undo()
    assert row_of(window).evidence == {}
