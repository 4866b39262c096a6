"""The keyboard's way between the comparison table and the row form.

Every field of a row lives in the form; the table shows a cell per column.
:class:`FormKeys` is the controller that links them from the keyboard:

* **Enter** on a cell puts the keyboard in that cell's field in the form
  (its text selected); typing on a cell still edits the cell's main field,
  and F2 still edits it in place;
* **F6** goes to the form (on the current cell's field) and, from the form,
  back to the table;
* **Escape** in the form puts back the stored value of a field not saved,
  and on a field as stored goes back to the table, on the column that shows
  the field.

:data:`KEYS` lists these keys (and how an arm's cell is typed) for Help >
Keyboard shortcuts, beside the menus' shortcuts.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView

from curator.arm_entry import ARM_FORMS
from curator.formats.display import column_of
from curator.gui.row_form import RowForm
from curator.gui.rows_model import EDIT_FIELDS
from curator.gui.state import ReviewState

__all__ = ["FormKeys", "KEYS", "FORM_KEY"]

#: The key that goes to the row form and back.
FORM_KEY = "F6"

#: Keys that are not menu actions: (what they do, the keys), for the shortcuts list.
KEYS: tuple[tuple[str, str], ...] = (
    ("Open the cell's field in the row form", "Enter"),
    ("Edit the cell in place (its main field)", "F2, or start typing"),
    (f"Type into an arm's cell: {ARM_FORMS}", "35.6 · 95/267 · 35.6% (95/267)"),
    ("Row form: put back the stored value of a field not saved; then back to the table", "Esc"),
    ("Row form: next / previous field", "Tab / Shift+Tab"),
    # The page's keys work with the keyboard on the paper (F7, Edit > Go to the paper, puts it there);
    # F3 / Shift+F3 (the next place found) are menu actions, listed with them.
    ("Paper (F7 to it): turn the page / go to the first or last page", "Page Down, Page Up / Home, End"),
    ("Paper (F7 to it): zoom in / out / fit the pane's width", "Ctrl++ / Ctrl+- / Ctrl+0"),
    ("Paper: select text / a whole number", "drag over it / double-click it"),
    ("Paper: fill the form's chosen field from the selection", "Enter on the page, or drag it onto the field"),
    ("Paper: clear the selection", "Esc on the page"),
    ("Paper: the next / previous place found, in the find box", "Enter / Shift+Enter"),
)


class FormKeys(QObject):
    """Enter on a cell, F6 and Escape: between the table and the row form."""

    def __init__(self, state: ReviewState, table: QTableView, form: RowForm, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state, self.table, self.form = state, table, form
        table.installEventFilter(self)
        form.leave_requested.connect(self.to_table)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter on a cell (not being edited) opens its field in the form."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
            if (
                plain
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.table.state() != QAbstractItemView.State.EditingState
            ):
                self.to_form()
                return True
        return super().eventFilter(watched, event)

    def toggle(self) -> None:
        """F6: to the form, or from it back to the table."""
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.form or self.form.isAncestorOf(focus)):
            self.to_table(self.form.focused_field() or "")
        else:
            self.to_form()

    def to_form(self) -> bool:
        """Put the keyboard in the current cell's field in the form."""
        index = self.table.currentIndex()
        if not index.isValid():
            self.state.message.emit("Select a row first: the form shows the selected row's fields")
            return False
        if not self.form.focus_field(EDIT_FIELDS[index.column()]):
            return False
        self.state.message.emit(f"Row form: Tab to the next field, Enter saves, Esc or {FORM_KEY} back to the table")
        return True

    def to_table(self, name: str = "") -> None:
        """Back to the table, on the current row, in the column that shows field ``name``."""
        index = self.table.currentIndex()
        if index.isValid() and name:
            index = index.sibling(index.row(), column_of(name))
            self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if index.isValid():
            self.table.scrollTo(index)
        bar = getattr(self.table.window(), "statusBar", None)  # the form's key help is no longer true
        if callable(bar) and bar().currentMessage().startswith("Row form:"):
            bar().clearMessage()
