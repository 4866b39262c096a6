"""The References tab: search, drop files in, choose about duplicates, merge."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox

from curator.demo import demo_review
from curator.gui.app import MainWindow
from curator.gui.references_view import DuplicatesDialog, ReferencesModel, ReferencesView
from tests.helpers import REFERENCE_FIXTURES as FIXTURES
from tests.helpers import ROOT, stored


def drop(view, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    view.dropEvent(event)


def test_model_and_search(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ReferencesModel()
    model.set_review(demo_review())
    qtmodeltester.check(model)
    assert model.rowCount() == 17
    assert model.data(model.index(6, 4)) == 2  # reference 7 is cited by two rows
    model.set_filter("tacrolimus meta-analysis")
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["14"]
    qtmodeltester.check(model)


def test_dropping_a_file_with_a_duplicate_asks_and_merges(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def choose(dialog: DuplicatesDialog) -> int:
        seen.append([p.existing.key for p in dialog.pairs])
        dialog.choices[0].setCurrentIndex(0)  # Merge
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DuplicatesDialog, "exec", choose)
    view = window.references_view
    drop(view, [FIXTURES / "pubmed.nbib"])
    assert seen == [["7"]]  # the PubMed record of the demo's reference 7
    review = stored(window.path)
    assert len(review.references) == 18 and review.references[6].pmid
    assert window.tabs.tabText(1) == "References (18)"
    assert view.model.rowCount() == 18


def test_declining_the_duplicates_imports_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DuplicatesDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    before = window.path.read_bytes()
    assert window.references_view.import_files([FIXTURES / "pubmed.nbib"]) is False
    assert window.path.read_bytes() == before


def test_unreadable_records_skip_or_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    asked: list[str] = []

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(DuplicatesDialog, "exec", lambda dialog: (dialog.accept(), QDialog.DialogCode.Accepted)[1])
    view = window.references_view
    assert view.import_files([FIXTURES / "malformed.ris"]) is False
    assert "cannot be read" in asked[0] and "line " in asked[0]
    assert len(stored(window.path).references) == 17
    assert view.import_files([FIXTURES / "malformed.ris"]) is True
    assert len(stored(window.path).references) > 17


def test_merge_two_selected_references(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    view = window.references_view
    view.table.selectRow(8)  # [9]
    view.table.selectionModel().select(
        view.model.index(9, 0),
        view.table.selectionModel().SelectionFlag.Select | view.table.selectionModel().SelectionFlag.Rows,
    )
    assert view.merge_selected() is True
    review = stored(window.path)
    assert "10" not in [r.key for r in review.references]
    assert review.comparisons[0].rows[1].citations == ["9"]


def test_screenshot_of_the_references_tab(window: MainWindow, tmp_path: Path) -> None:
    window.tabs.setCurrentIndex(1)
    png = tmp_path / "refs.png"
    assert window.grab().save(str(png)) and png.stat().st_size > 1000
    json.dumps(str(png))


def test_copy_citations_to_the_clipboard(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    view = window.references_view
    view.table.selectRow(13)  # [14]
    assert view.copy_citations() == (
        "Efficacy and tolerance of tacrolimus and pimecrolimus for atopic dermatitis: a meta-analysis."
    )
    assert QApplication.clipboard().text().startswith("Efficacy and tolerance")
    assert view.copy_action.shortcut().toString() == "Ctrl+C"


# -- add, edit, delete, undo ---------------------------------------------------


def audit_of_references(path: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT who, action, table_name, field FROM audit_log WHERE table_name IN ('reference', 'citation') "
        "AND who = 'Ben' ORDER BY id"
    ).fetchall()
    conn.close()
    return rows


def focused_table(window: MainWindow, qtbot) -> ReferencesView:  # type: ignore[no-untyped-def]
    """The References tab shown, its table holding the keyboard focus."""
    window.tabs.setCurrentIndex(1)
    window.activateWindow()
    view = window.references_view
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)
    return view


def type_into_cell(view: ReferencesView, qtbot, row: int, column: int, text: str) -> QLineEdit:  # type: ignore[no-untyped-def]
    """Open the cell's editor with F2, replace its text by typing; returns the editor (not yet committed)."""
    index = view.model.index(row, column)
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = view.table.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    return editor


def enter(view: ReferencesView, qtbot, editor: QLineEdit) -> None:  # type: ignore[no-untyped-def]
    """Press Enter in a cell editor and wait until the view has committed it and closed it."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.table.indexWidget(view.table.currentIndex()) is None)
    QApplication.processEvents()  # the save, queued behind the editor's closing


def answer(qtbot, key: Qt.Key, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    """When the question is up, read it and press ``key`` on it."""

    def respond() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not up yet: look again once the events are in
            QTimer.singleShot(10, respond)
            return
        seen.append(box.text())
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, respond)


def ctrl(qtbot, widget, key: Qt.Key, shift: bool = False) -> None:  # type: ignore[no-untyped-def]
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(widget, key, modifiers)


def test_insert_adds_a_reference_the_form_fills_it_and_undo_redo_walk_it_back(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    view = focused_table(window, qtbot)
    changes: list[int] = []
    view.changed.connect(lambda: changes.append(1))
    qtbot.keyClick(view.table, Qt.Key.Key_Insert)
    review = stored(window.path)
    assert [r.key for r in review.references][-1] == "18" and review.references[-1].title is None
    assert view.current_reference() is not None and view.current_reference().key == "18"  # type: ignore[union-attr]
    assert window.tabs.tabText(1) == "References (18)" and changes == [1]
    title = view.form.edits["title"]
    assert QApplication.focusWidget() is title
    qtbot.keyClicks(title, "A new trial")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    year = view.form.edits["year"]
    year.setFocus()
    qtbot.keyClicks(year, "2010")
    qtbot.keyClick(year, Qt.Key.Key_Return)
    ref = stored(window.path).references[-1]
    assert (ref.key, ref.title, ref.year) == ("18", "A new trial", 2010)
    assert audit_of_references(window.path) == [
        ("Ben", "insert", "reference", None),
        ("Ben", "update", "reference", "title"),
        ("Ben", "update", "reference", "year"),
    ]
    assert view.model.data(view.model.index(17, 1)).startswith("A new trial")

    view.table.setFocus()
    ctrl(qtbot, view.table, Qt.Key.Key_Z)
    assert stored(window.path).references[-1].year is None
    ctrl(qtbot, view.table, Qt.Key.Key_Z)
    ctrl(qtbot, view.table, Qt.Key.Key_Z)
    assert len(stored(window.path).references) == 17 and view.model.rowCount() == 17
    ctrl(qtbot, view.table, Qt.Key.Key_Z, shift=True)
    ctrl(qtbot, view.table, Qt.Key.Key_Z, shift=True)
    ref = stored(window.path).references[-1]
    assert (ref.key, ref.title, ref.year) == ("18", "A new trial", None)


def test_a_doi_typed_into_the_table_is_saved_as_the_contract_wants(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = focused_table(window, qtbot)
    editor = type_into_cell(view, qtbot, 0, 3, "https://doi.org/10.1000/ABC")
    enter(view, qtbot, editor)
    assert stored(window.path).references[0].doi == "10.1000/ABC"
    assert view.model.data(view.model.index(0, 3)) == "10.1000/ABC"
    assert audit_of_references(window.path) == [("Ben", "update", "reference", "doi")]
    view.undo_stack.undo()
    assert stored(window.path).references[0].doi == demo_review().references[0].doi


def test_renaming_a_key_in_the_table_repoints_citations_and_undo_puts_it_back(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    view = focused_table(window, qtbot)
    asked: list[str] = []
    answer(qtbot, Qt.Key.Key_Return, asked)  # "2 rows cite 7; they will cite Eichenfield2002": Rename
    editor = type_into_cell(view, qtbot, 6, 0, "Eichenfield2002")
    enter(view, qtbot, editor)
    review = stored(window.path)
    assert review.references[6].key == "Eichenfield2002"
    assert review.comparisons[0].rows[0].citations == ["Eichenfield2002"]
    assert view.current_reference().key == "Eichenfield2002"  # type: ignore[union-attr]
    assert len(asked) == 1
    ctrl(qtbot, view.table, Qt.Key.Key_Z)
    review = stored(window.path)
    assert review.references[6].key == "7" and review.comparisons[0].rows[0].citations == ["7"]


def test_bad_text_in_a_cell_is_marked_as_typed_and_kept_with_its_reason(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = focused_table(window, qtbot)
    before = window.path.read_bytes()
    editor = type_into_cell(view, qtbot, 2, 0, " 3")
    assert editor.toolTip() == 'reference 3 key: " 3" begins or ends with white space'
    assert editor.styleSheet()  # marked while typing
    enter(view, qtbot, editor)
    index = view.model.index(2, 0)
    assert view.model.data(index) == " 3"
    assert (
        view.model.data(index, Qt.ItemDataRole.ToolTipRole) == 'reference 3 key: " 3" begins or ends with white space'
    )
    assert view.model.data(index, Qt.ItemDataRole.BackgroundRole) == ReferencesModel.INVALID
    assert view.message.text() == 'reference 3 key: " 3" begins or ends with white space'
    # a key the review already has passes the typing check but the save refuses it: kept too
    editor = type_into_cell(view, qtbot, 2, 0, "7")
    enter(view, qtbot, editor)
    assert view.model.data(index) == "7"
    assert (
        view.model.data(index, Qt.ItemDataRole.ToolTipRole)
        == 'reference 3 key: "7" is already a reference of the review'
    )
    assert window.path.read_bytes() == before
    assert view.undo_stack.count() == 0
    # typing a good key clears the mark
    editor = type_into_cell(view, qtbot, 2, 0, "3a")
    enter(view, qtbot, editor)
    assert stored(window.path).references[2].key == "3a"
    assert view.model.data(view.model.index(2, 0), Qt.ItemDataRole.BackgroundRole) is None


def test_a_year_that_is_not_a_number_is_kept_in_the_form_with_its_reason(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = focused_table(window, qtbot)
    view.table.selectRow(2)
    before = window.path.read_bytes()
    year = view.form.edits["year"]
    year.setFocus()
    year.selectAll()
    qtbot.keyClicks(year, "199x")
    assert view.form.message.text() == 'reference 3 year: "199x" is not a whole number'
    assert year.toolTip() == 'reference 3 year: "199x" is not a whole number'
    qtbot.keyClick(year, Qt.Key.Key_Return)
    assert year.text() == "199x"
    assert window.path.read_bytes() == before and view.undo_stack.count() == 0
    year.selectAll()
    qtbot.keyClicks(year, "1999")
    qtbot.keyClick(year, Qt.Key.Key_Return)
    assert stored(window.path).references[2].year == 1999 and year.toolTip() == ""


def test_delete_refuses_a_cited_reference_naming_the_rows(
    window: MainWindow,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    view = focused_table(window, qtbot)
    view.table.selectRow(6)
    before = window.path.read_bytes()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    message = (
        "reference 7 is cited by row 1 (Patients Requiring TCS) of pime-vs-tcs; row 3 (Flare-Free Patients) of pime-vs-tcs; "
        "remove those citations first"
    )
    assert shown == [message] and view.message.text() == message
    assert window.path.read_bytes() == before
    assert view.undo_stack.count() == 0 and view.model.rowCount() == 17


def test_delete_an_uncited_reference_then_undo_and_redo(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = focused_table(window, qtbot)
    before = stored(window.path)
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert [r.key for r in stored(window.path).references] == [str(i) for i in range(2, 18)]
    assert window.tabs.tabText(1) == "References (16)"
    assert view.current_reference().key == "2"  # type: ignore[union-attr]
    ctrl(qtbot, view.table, Qt.Key.Key_Z)
    assert stored(window.path).references == before.references
    assert view.current_reference().key == "1"  # type: ignore[union-attr]
    ctrl(qtbot, view.table, Qt.Key.Key_Z, shift=True)
    assert len(stored(window.path).references) == 16
    assert [a[1:3] for a in audit_of_references(window.path)] == [
        ("delete", "reference"),
        ("update", "reference"),  # the positions after it
        ("update", "reference"),
        ("insert", "reference"),
        ("delete", "reference"),
        ("update", "reference"),
    ]


def test_buttons_add_edit_and_delete(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = focused_table(window, qtbot)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.current_reference().key == "18"  # type: ignore[union-attr]
    view.table.selectRow(3)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is view.form.edits["title"] and view.form.key == "4"
    view.table.selectRow(17)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert len(stored(window.path).references) == 17
    assert [view.undo_stack.text(i) for i in range(view.undo_stack.count())] == [
        "add reference 18",
        "delete reference 18",
    ]


def test_a_view_on_its_own_uses_the_given_undo_stack_and_reads_the_review_itself(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from curator.gui.state import ReviewState
    from curator.services import ReviewService
    from tests.helpers import stored_demo

    path = stored_demo(tmp_path / "r.sqlite")
    state = ReviewState(ReviewService.open(path, "Ben"))

    stack = QUndoStack()
    view = ReferencesView(state, undo_stack=stack)
    qtbot.addWidget(view)
    view.set_review(stored(path))
    assert view.add_reference() is True
    assert stack.count() == 1 and view.model.rowCount() == 18
    stack.undo()
    assert view.model.rowCount() == 17 and len(stored(path).references) == 17


def test_screenshot_of_the_references_tab_with_the_form(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = focused_table(window, qtbot)
    view.table.selectRow(6)
    view.form.edits["year"].setText("200x")
    view.form.validate("year", "200x")
    path = ROOT / "docs" / "references.png"
    image = window.grab()
    assert image.width() >= 1000 and view.form.isEnabled()
    assert view.model.data(view.model.index(6, 4)) == 2  # rows citing [7], counted in the database
    if os.environ.get("CURATOR_SCREENSHOTS"):
        assert image.save(str(path))


def select_rows(view: ReferencesView, rows: list[int]) -> None:
    flags = view.table.selectionModel().SelectionFlag
    view.table.clearSelection()
    for row in rows:
        view.table.selectionModel().select(view.model.index(row, 0), flags.Select | flags.Rows)


def test_deleting_several_references_is_one_step_and_all_or_nothing(
    window: MainWindow,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    view = focused_table(window, qtbot)
    before = stored(window.path)
    select_rows(view, [0, 6])  # [1] is cited by no row, [7] is
    assert view.delete_selected() is False
    assert len(shown) == 1 and shown[0].startswith(
        "reference 7 is cited by row 1 (Patients Requiring TCS) of pime-vs-tcs; "
    )
    assert stored(window.path) == before and view.undo_stack.count() == 0
    select_rows(view, [0, 2])
    assert view.delete_selected() is True
    assert [r.key for r in stored(window.path).references][:3] == ["2", "4", "5"]
    assert view.undo_stack.count() == 1 and view.undo_stack.text(0) == "delete 2 references"
    view.undo_stack.undo()
    assert stored(window.path) == before


def test_undoing_a_reference_edit_changed_since_elsewhere_is_refused(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from curator.services import ReviewService

    view = focused_table(window, qtbot)
    view.table.selectRow(2)
    year = view.form.edits["year"]
    year.setFocus()
    year.selectAll()
    qtbot.keyClicks(year, "2001")
    qtbot.keyClick(year, Qt.Key.Key_Return)
    assert stored(window.path).references[2].year == 2001
    with ReviewService.open(window.path, "Cleo") as cleo:  # another window corrects it meanwhile
        cleo.references.set_field("3", "year", "2002")
    view.table.setFocus()
    ctrl(qtbot, view.table, Qt.Key.Key_Z)
    assert stored(window.path).references[2].year == 2002
    assert view.message.text().startswith("reference 3, year: not changed to ")
    assert "it is now '2002', not '2001'" in view.message.text()
