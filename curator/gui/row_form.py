"""The selected row's every field, editable, validated as you type.

Each field is a line edit holding the value as printed. What is typed goes
through :func:`curator.formats.flat.parse_field` (the path a spreadsheet
cell takes) on every keystroke: a value that does not fit is marked, with
the reason below the form, and is kept in the field, never dropped or
rounded. Enter (or leaving the field) asks for the change to be saved; the
window does that through an undoable command.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from curator.formats.fields import Choice
from curator.formats.flat import COMPARISON_COLUMNS, ROW_COLUMNS, parse_field, row_to_cells
from curator.review import Comparison, Row

__all__ = ["RowForm"]

_INVALID = "QLineEdit { background: #F8CBAD; }"


class RowForm(QWidget):
    """Every field of one row; emits ``edit_requested`` for a valid change."""

    #: comparison key, row position, field name, old text, new text
    edit_requested = Signal(str, int, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.position = -1
        self._shown: dict[str, str] = {}
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for column in ROW_COLUMNS:
            edit = QLineEdit()
            edit.setObjectName(column.name)
            if isinstance(column.kind, Choice):
                edit.setPlaceholderText(" | ".join(column.kind.values))
            edit.textEdited.connect(lambda text, name=column.name: self._validate(name, text))
            edit.editingFinished.connect(lambda name=column.name: self._finish(name))
            form.addRow(column.name, edit)
            self.edits[column.name] = edit
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #9C0006;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        layout.addWidget(self.message)
        self.setEnabled(False)

    def show_row(self, comparison: Comparison | None, position: int, row: Row | None) -> None:
        """Fill the form with a row (or empty it)."""
        self.comparison, self.position = comparison, position
        cells = row_to_cells(comparison, row)[len(COMPARISON_COLUMNS) :] if comparison and row else []
        self._shown = {}
        for i, column in enumerate(ROW_COLUMNS):
            cell = cells[i] if cells else None
            text = "" if cell is None else ("TRUE" if cell is True else "FALSE" if cell is False else str(cell))
            self._shown[column.name] = text
            edit = self.edits[column.name]
            edit.setText(text)
            edit.setStyleSheet("")
            edit.setToolTip("")
        self.message.clear()
        self.setEnabled(row is not None)

    def error_of(self, name: str, text: str) -> str | None:
        try:
            parse_field(name, text)
        except ValueError as exc:
            return f"{name}: {exc}"
        return None

    def _validate(self, name: str, text: str) -> bool:
        error = self.error_of(name, text)
        edit = self.edits[name]
        edit.setStyleSheet(_INVALID if error else "")
        edit.setToolTip(error or "")
        self.message.setText(error or "")
        return error is None

    def _finish(self, name: str) -> None:
        if self.comparison is None:
            return
        text = self.edits[name].text()
        if text == self._shown.get(name) or not self._validate(name, text):
            return  # unchanged, or kept as typed with its reason shown
        old = self._shown[name]
        self._shown[name] = text
        self.edit_requested.emit(self.comparison.key, self.position, name, old, text)
