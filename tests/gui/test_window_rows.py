"""Working on rows in the main window as a reviewer would: typing into cells,
adding, copying, moving and deleting rows and comparisons, with undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMessageBox

from curator.gui.app import MainWindow
from tests.helpers import stored


def endpoints(window: MainWindow, comparison: int = 0) -> list[str]:
    return [r.endpoint for r in stored(window.path).comparisons[comparison].rows]


def shown_endpoints(window: MainWindow) -> list[str]:
    model = window.rows_model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def audit(window: MainWindow, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(window.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def type_in_cell(qtbot, window: MainWindow, row: int, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    view = window.rows_view
    index = window.rows_model.index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the cell opens a line editor"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The view commits and closes the editor from its event queue.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def test_a_value_typed_into_a_cell_is_saved_audited_and_checked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_in_cell(qtbot, window, 2, 1, "50.9")  # Flare-Free Patients, pimecrolimus arm
    assert stored(window.path).comparisons[0].rows[2].intervention.value.text == "50.9"
    assert audit(window, "SELECT who, field, old, new FROM audit_log WHERE action = 'update'") == [
        ("Ben", "intervention.value", "50.8", "50.9")
    ]
    assert window.rows_model.data(window.rows_model.index(2, 1)) == "50.9%"
    window.undo_action.trigger()
    assert stored(window.path).comparisons[0].rows[2].intervention.value.text == "50.8"
    assert window.rows_model.data(window.rows_model.index(2, 1)) == "50.8%"


def test_a_value_that_does_not_fit_stays_in_the_cell_marked_and_nothing_is_saved(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = stored(window.path)
    type_in_cell(qtbot, window, 2, 1, "about half")
    model = window.rows_model
    index = model.index(2, 1)
    assert model.data(index) == "about half"  # kept as typed
    assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith(
        'Not saved: Pimecrolimus Group: value: "about half"'
    )
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert (
        "Not saved: Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: "
        in window.statusBar().currentMessage()
    )
    assert stored(window.path) == before
    assert window.undo_stack.count() == 0
    # Editing again starts from what was typed; a good value replaces it.
    assert model.data(index, Qt.ItemDataRole.EditRole) == "about half"
    type_in_cell(qtbot, window, 2, 1, "51.0")
    assert model.data(index) == "51.0%"
    assert stored(window.path).comparisons[0].rows[2].intervention.value.text == "51.0"


def test_status_is_chosen_from_a_list_in_the_form(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    combo = window.row_form.choices["status"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "draft", "extracted", "verified", "disputed"]
    combo.setCurrentText("disputed")
    combo.activated.emit(combo.currentIndex())
    # Issue #11: the status is shown, not chosen; it follows the fields' verifications.
    assert stored(window.path).comparisons[0].rows[0].status == "extracted"
    assert combo.currentText() == "extracted"
    assert "verify the row's fields instead" in window.row_form.message.text()


def test_new_row_with_ctrl_n_then_undo_and_redo(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setCurrentIndex(window.rows_model.index(1, 0))
    assert "Ctrl+N" in [s.toString() for s in window.new_row_action.shortcuts()]
    assert "Ins" in [s.toString() for s in window.new_row_action.shortcuts()]
    window.new_row_action.trigger()
    assert endpoints(window)[2] == "New endpoint"
    assert len(endpoints(window)) == 5
    assert window.rows_view.currentIndex().row() == 2  # the new row is selected, ready to type
    new = stored(window.path).comparisons[0].rows[2]
    assert (new.status, new.extracted_by) == ("draft", "Ben")
    window.undo_action.trigger()
    assert endpoints(window) == shown_endpoints(window) and len(endpoints(window)) == 4
    window.redo_action.trigger()
    assert endpoints(window)[2] == "New endpoint"


def test_delete_asks_first_and_undo_brings_the_row_back_whole(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = stored(window.path)
    window.rows_view.setCurrentIndex(window.rows_model.index(2, 0))
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    window.delete_row_action.trigger()
    assert "Flare-Free Patients" in asked[0]
    assert stored(window.path) == before  # said no: nothing happened
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    window.delete_row_action.trigger()
    assert "Flare-Free Patients" not in endpoints(window)
    assert shown_endpoints(window) == endpoints(window)
    assert audit(window, "SELECT who, table_name FROM audit_log WHERE action = 'delete'") == [("Ben", "endpoint_row")]
    window.undo_action.trigger()
    assert stored(window.path) == before  # every field, citation and position back
    window.redo_action.trigger()
    assert "Flare-Free Patients" not in endpoints(window)


def test_duplicate_and_move_rows(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    window.duplicate_row_action.trigger()
    assert endpoints(window)[:2] == ["Patients Requiring TCS", "Patients Requiring TCS"]
    copy = stored(window.path).comparisons[0].rows[1]
    assert (copy.status, copy.extracted_by, copy.citations) == ("draft", "Ben", ["7"])
    window.undo_action.trigger()
    assert endpoints(window).count("Patients Requiring TCS") == 1
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    window.move_down_action.trigger()
    assert endpoints(window)[:2] == ["Days on TCS (Median)", "Patients Requiring TCS"]
    assert window.rows_model.position(window.rows_view.currentIndex().row()) == 1  # follows the row
    window.move_up_action.trigger()
    assert endpoints(window)[0] == "Patients Requiring TCS"
    window.undo_action.trigger()
    assert endpoints(window)[1] == "Patients Requiring TCS"


def test_new_and_deleted_comparisons_with_undo(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.edits.new_comparison(("pime-vs-vehicle", "Pimecrolimus vs vehicle", "Pimecrolimus 1%", "Vehicle"))
    assert [c.key for c in stored(window.path).comparisons] == ["pime-vs-tcs", "pime-vs-tac", "pime-vs-vehicle"]
    assert window.comparisons_view.currentIndex().row() == 2
    window.new_row_action.trigger()  # the empty comparison takes its first row
    assert endpoints(window, 2) == ["New endpoint"]
    window.comparisons_view.selectRow(1)
    finding = next(f for f in window.findings if f.rule == "versus-mismatch")
    assert window.edits.accept_finding(finding, "vehicle is what the paper compares with")
    before = stored(window.path)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    window.edits.delete_comparison()
    assert [c.key for c in stored(window.path).comparisons] == ["pime-vs-tcs", "pime-vs-vehicle"]
    assert stored(window.path).accepted_findings == []
    window.undo_action.trigger()
    assert stored(window.path) == before  # rows, position and the acceptance back


def test_a_refused_new_comparison_says_why_and_leaves_no_command(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    window.edits.new_comparison(("pime-vs-tcs", "Again", "A", "B"))
    assert said and "pime-vs-tcs" in said[0]
    assert window.undo_stack.count() == 0
    assert len(stored(window.path).comparisons) == 2


def test_accept_a_finding_with_a_reason(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.comparisons_view.selectRow(1)
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    form = window.row_form
    rules = [form.findings.item(i).data(Qt.ItemDataRole.UserRole).rule for i in range(form.findings.count())]
    assert "versus-mismatch" in rules
    finding = form.findings.item(rules.index("versus-mismatch")).data(Qt.ItemDataRole.UserRole)
    open_before = len(window.findings)
    assert window.edits.accept_finding(finding, "the paper compares with vehicle, as printed")
    assert len(window.findings) == open_before - 1
    assert finding.rule not in [f.rule for f in window.findings if f.comparison == "pime-vs-tac"]
    accepted = stored(window.path).accepted_findings
    assert [(a.rule, a.comparison, a.row, a.by) for a in accepted] == [("versus-mismatch", "pime-vs-tac", 0, "Ben")]
    # No reason, no acceptance.
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    other = next(f for f in window.findings if f.rule == "missing-denominator")
    assert not window.edits.accept_finding(other, "   ")
    assert said == ["A reason is needed to accept a finding."]
    assert len(stored(window.path).accepted_findings) == 1


def test_citations_are_picked_from_the_references(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from curator.gui.row_form import CitationPicker

    window.rows_view.setCurrentIndex(window.rows_model.index(2, 0))  # cites [7]
    picker = CitationPicker(window.references, ["7"])
    qtbot.addWidget(picker)
    assert picker.list.count() == 17
    keys = [picker.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(picker.list.count())]
    picker.list.item(keys.index("9")).setCheckState(Qt.CheckState.Checked)
    assert picker.keys() == ["7", "9"]

    def tick_nine(self: CitationPicker) -> int:
        self.list.item(keys.index("9")).setCheckState(Qt.CheckState.Checked)
        return 1  # Accepted

    monkeypatch.setattr(CitationPicker, "exec", tick_nine)
    window.row_form.pick_citations()
    assert stored(window.path).comparisons[0].rows[2].citations == ["7", "9"]


def test_opening_a_bad_file_says_why_and_keeps_the_review(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "notes.sqlite"
    junk.write_bytes(b"these are my notes, not a database" * 10)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    assert not window.files.open_path(junk)
    assert said and str(junk) in said[0]
    assert junk.read_bytes() == b"these are my notes, not a database" * 10
    assert window.rows_model.rowCount() == 4  # still on the review it had


def test_open_another_review_and_save_a_copy(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.sqlite"
    assert window.files.save_copy(copy)
    assert stored(copy) == stored(window.path)
    window.new_row_action.trigger()
    assert window.files.open_path(copy)
    assert window.path == copy.resolve() or window.path == copy
    assert window.rows_model.rowCount() == 4
    assert window.undo_stack.count() == 0


@pytest.mark.parametrize("name", ["Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+N", "Ctrl+D", "Ctrl+F", "Ctrl+E", "Ctrl+O", "F1"])
def test_frequent_actions_have_shortcuts(window: MainWindow, name: str) -> None:
    shortcuts = {s.toString() for a in window.actions() for s in a.shortcuts()}
    assert name in shortcuts


def test_changing_a_verified_value_visibly_unverifies_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from curator.store.database import open_database
    from curator.store.verification import verify_row

    with open_database(window.path, create=False) as db, db.session() as session:
        verify_row(session, "pime-vs-tcs", 2, "Ben")  # Ana extracted it; Ben checked it in the paper
    window.reload()
    window.select_row("pime-vs-tcs", 2)
    form = window.row_form
    assert form.state_of("intervention.value") == "✓"
    assert "verified by Ben" in form.labels["intervention.value"].toolTip()
    assert window.rows_model.data(window.rows_model.index(2, 8)).startswith("verified")
    edit = form.edits["intervention.value"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "50.9")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert form.state_of("intervention.value") == "≠"
    assert "not verified any more" in form.labels["intervention.value"].toolTip()
    assert form.state_of("comparator.value") == "✓"  # the others stay verified
    assert not window.rows_model.data(window.rows_model.index(2, 8)).startswith("verified")


def test_the_keyboard_alone_adds_a_row_and_undoes_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setFocus()
    window.rows_view.setCurrentIndex(window.rows_model.index(3, 0))
    qtbot.keyClick(window.rows_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert endpoints(window)[4] == "New endpoint"
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(endpoints(window)) == 4


def test_insert_on_the_references_tab_adds_a_reference_not_a_row(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView

    window.tabs.setCurrentIndex(1)
    table = window.references_view.findChild(QTableView)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    review = stored(window.path)
    assert len(review.references) == 18
    assert len(review.comparisons[0].rows) == 4


def test_the_form_says_who_extracted_the_row_and_when(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    import re

    window.select_row("pime-vs-tcs", 2)
    text = window.row_form.provenance.text()
    # The demo names no extractor; the log knows Ana stored it.
    assert re.fullmatch(r"No extractor named, entered \d{4}-\d\d-\d\d \d\d:\d\d by Ana · status extracted", text), text
    window.new_row_action.trigger()  # Ben adds a row: his, now
    assert window.row_form.provenance.text().startswith("Extracted by Ben, entered ")
