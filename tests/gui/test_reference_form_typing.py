"""Typing through the reference form: a new key, then Tab through the fields (issue #12, item 2)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit

from curator.demo import demo_review
from curator.gui.app import MainWindow
from curator.gui.references_view import ReferencesView
from curator.review import Reference
from curator.services import ReviewService
from tests.gui.test_references_view import answer, enter, focused_table, type_into_cell
from tests.helpers import stored


def form_of(window: MainWindow, qtbot, key: str) -> ReferencesView:  # type: ignore[no-untyped-def]
    """The References tab with reference ``key`` selected and the cursor in its form's Key field."""
    window.tabs.setCurrentIndex(1)
    window.activateWindow()
    view = window.references_view
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)
    assert view.select_key(key)
    edit = view.form.edits["key"]
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    return view


def focused(qtbot) -> QLineEdit:  # type: ignore[no-untyped-def]
    """The field holding the keyboard (once a question's dialog has given it back)."""
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit)
    return widget


def type_and_tab(qtbot, text: str, tabs: int = 1) -> str:  # type: ignore[no-untyped-def]
    """Type over the focused field (Tab selected all of it), then Tab on; the field's name."""
    edit = focused(qtbot)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    for _ in range(tabs):
        qtbot.keyClick(focused(qtbot), Qt.Key.Key_Tab)
    return edit.objectName()


def reference(path: Path, key: str) -> Reference | None:
    return next((r for r in stored(path).references if r.key == key), None)


def citations(path: Path) -> list[list[str]]:
    return [row.citations for comparison in stored(path).comparisons for row in comparison.rows]


def type_a_new_key_then_the_rest(qtbot, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Key, Tab, title, Tab, authors, Tab, journal, Tab to the year (past volume, issue and pages), year, Tab."""
    return [
        type_and_tab(qtbot, key),
        type_and_tab(qtbot, "Pimecrolimus in infants"),
        type_and_tab(qtbot, "Kapp A; Papp K"),
        type_and_tab(qtbot, "J Allergy Clin Immunol", tabs=4),
        type_and_tab(qtbot, "2002"),
    ]


def test_a_new_key_then_tab_through_title_authors_journal_and_year_keeps_everything(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    form_of(window, qtbot, "1")  # a reference no row cites: nothing to ask
    typed = type_a_new_key_then_the_rest(qtbot, "Kapp2002")
    assert typed == ["key", "title", "authors", "journal", "year"]
    layout = window.references_view.form.edits["key"].parentWidget().layout()
    assert isinstance(layout, QFormLayout)
    labels = [layout.labelForField(window.references_view.form.edits[name]).text() for name in typed]
    assert labels == ["Key", "Title", "Authors", "Journal", "Year"]  # the fields' labels, as everywhere
    assert reference(window.path, "1") is None
    ref = reference(window.path, "Kapp2002")
    assert ref is not None
    assert (ref.title, ref.authors, ref.journal, ref.year) == (
        "Pimecrolimus in infants",
        ["Kapp A", "Papp K"],
        "J Allergy Clin Immunol",
        2002,
    )
    view = window.references_view
    assert view.current_reference() is not None and view.current_reference().key == "Kapp2002"  # type: ignore[union-attr]
    assert view.form.edits["title"].text() == "Pimecrolimus in infants"
    assert focused(qtbot) is view.form.edits["pmid"]  # the keyboard is still in the form, one field on


def test_renaming_a_cited_key_asks_first_and_is_one_undoable_step(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    before = citations(window.path)
    assert sum(row.count("7") for row in before) == 2
    view = form_of(window, qtbot, "7")
    seen: list[str] = []
    answer(qtbot, Qt.Key.Key_Return, seen)  # Enter: Rename, the default
    typed = type_a_new_key_then_the_rest(qtbot, "Eichenfield2002")
    assert typed == ["key", "title", "authors", "journal", "year"]
    assert seen == [
        "Rename reference 7 to Eichenfield2002?\n\n2 rows cite 7; they will cite Eichenfield2002.\n\n"
        "The rename and the citations are one change: Undo (Ctrl+Z) puts both back."
    ]
    ref = reference(window.path, "Eichenfield2002")
    assert ref is not None and (ref.title, ref.year) == ("Pimecrolimus in infants", 2002)
    after = citations(window.path)
    assert sum(row.count("Eichenfield2002") for row in after) == 2 and not any("7" in row for row in after)

    # Five changes: the rename with its citations is one of them.
    view.table.setFocus()
    for _ in range(4):  # year, journal, authors, title
        qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    ref = reference(window.path, "Eichenfield2002")
    assert ref is not None and (ref.title, ref.year) == (demo_review().references[6].title, None)
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reference(window.path, "Eichenfield2002") is None and reference(window.path, "7") is not None
    assert citations(window.path) == before
    assert view.current_reference().key == "7" and view.form.edits["key"].text() == "7"  # type: ignore[union-attr]


def test_escape_on_the_rename_question_leaves_everything_as_it_was(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    before = window.path.read_bytes()
    view = form_of(window, qtbot, "14")
    seen: list[str] = []
    answer(qtbot, Qt.Key.Key_Escape, seen)
    edit = focused(qtbot)
    edit.selectAll()
    qtbot.keyClicks(edit, "Ashcroft2005")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert seen and seen[0].startswith("Rename reference 14 to Ashcroft2005?\n\n2 rows cite 14; they will cite")
    assert window.path.read_bytes() == before  # nothing written, not even to the audit log
    assert edit.text() == "14" and not edit.toolTip()  # the form shows the key as stored, unmarked
    assert view.model.data(view.model.index(13, 0)) == "14"
    assert view.undo_stack.count() == 0 and not view.message.text()


def test_a_rename_in_the_table_asks_too_and_keep_leaves_the_key(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = window.path.read_bytes()
    view = focused_table(window, qtbot)
    seen: list[str] = []
    answer(qtbot, Qt.Key.Key_K, seen)  # "Keep 9", by its underlined letter
    editor = type_into_cell(view, qtbot, 8, 0, "Kapp2002")
    enter(view, qtbot, editor)
    assert seen == [
        "Rename reference 9 to Kapp2002?\n\n1 row cites 9; it will cite Kapp2002.\n\n"
        "The rename and the citations are one change: Undo (Ctrl+Z) puts both back."
    ]
    assert window.path.read_bytes() == before
    assert view.model.data(view.model.index(8, 0)) == "9" and view.current_reference().key == "9"  # type: ignore[union-attr]
    assert view.undo_stack.count() == 0


def test_a_rename_undone_after_another_row_came_to_cite_the_key_is_refused(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    view = form_of(window, qtbot, "9")
    answer(qtbot, Qt.Key.Key_Return, [])
    edit = focused(qtbot)
    edit.selectAll()
    qtbot.keyClicks(edit, "Kapp2002")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert reference(window.path, "Kapp2002") is not None
    # Meanwhile another reviewer cites the new key in a second row.
    other = ReviewService.open(window.path, "Ana")
    try:
        other.rows.edit_field("pime-vs-tcs", 3, "citations", "8; Kapp2002")
    finally:
        other.close()
    before = window.path.read_bytes()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.path.read_bytes() == before
    assert view.message.text() == (
        "reference Kapp2002: not renamed to '9': 2 rows cite it now, not 1 as this change expected "
        "(the citations changed meanwhile: another window or reviewer); nothing was written"
    )


def test_rename_question_picture(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/rename-reference-question.png: what a reviewer is asked before a key's citations move."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.test_screenshots import _save

    pictures: list[Path] = []

    def respond() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, respond)
            return
        pictures.append(_save(box, "rename-reference-question.png", tmp_path))
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    form_of(window, qtbot, "7")
    QTimer.singleShot(0, respond)
    edit = focused(qtbot)
    edit.selectAll()
    qtbot.keyClicks(edit, "Eichenfield2002")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert pictures and pictures[0].stat().st_size > 5_000
    assert reference(window.path, "7") is not None
