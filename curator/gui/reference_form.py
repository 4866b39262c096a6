"""The selected reference's every field, editable, validated as you type.

Each field is a line edit holding the text a References sheet cell would
hold (authors as ``"A; B"``, the year as digits). What is typed is checked
on every keystroke by the check the References tab uses for its cells
(:func:`curator.services.parse_reference_field`, plus "not a key
the review already has"): text that does not fit is marked, with the reason
below the form, and kept in the field. Enter (or leaving the field) asks
for the change to be saved; the References tab does that through an
undoable command.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from curator.fields import reference_field, reference_texts
from curator.gui.state import mark_invalid
from curator.review import Reference
from curator.services import REFERENCE_FIELDS

__all__ = ["ReferenceForm"]

_HINTS = {
    "authors": "Family Given; Family Given",
    "year": "e.g. 2004",
    "pmid": "digits only",
    "doi": "10.1000/xyz (a doi.org link is accepted)",
}


class ReferenceForm(QWidget):
    """A line edit per reference field; emits ``edit_requested`` for a valid change."""

    #: reference key, field name, old text, new text
    edit_requested = Signal(str, str, str, str)

    def __init__(self, error_of: Callable[[str, str, str], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error_of = error_of  # (key, field, text) -> the reason the text does not fit, or None
        self.key: str | None = None
        self._shown: dict[str, str] = {}
        self._finishing = False
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in REFERENCE_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setPlaceholderText(_HINTS.get(name, ""))
            edit.textEdited.connect(lambda text, name=name: self.validate(name, text))
            edit.editingFinished.connect(lambda name=name: self._finish(name))
            form.addRow(reference_field(name).label, edit)
            self.edits[name] = edit
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
        layout.addWidget(QLabel("<b>Selected reference</b>"))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        self.setEnabled(False)

    def show_reference(self, ref: Reference | None) -> None:
        """Fill the form with a reference (or empty it).

        The reference already shown (the same key, or the new key its Key
        field holds once a rename is saved) is shown again in place: a field
        the reviewer has typed into and not yet saved keeps what was typed
        (with its mark), an unchanged field keeps its cursor and selection,
        and only fields whose stored text changed are set. So saving one
        field, or any change that reads the review again, never takes the
        keyboard or the typing out of the next field."""
        if ref is not None and self.key is not None and ref.key in (self.key, self.edits["key"].text()):
            self._refresh(ref)
            return
        self.key = ref.key if ref is not None else None
        self._shown = reference_texts(ref) if ref is not None else {}
        for name, edit in self.edits.items():
            edit.setText(self._shown.get(name, ""))
            edit.setCursorPosition(0)
            edit.setStyleSheet("")
            edit.setToolTip("")
        self.message.clear()
        self.setEnabled(ref is not None)

    def _refresh(self, ref: Reference) -> None:
        before, self.key, self._shown = self._shown, ref.key, reference_texts(ref)
        errors = []
        for name, edit in self.edits.items():
            text = self._shown[name]
            if edit.text() != before.get(name) and edit.text() != text:
                # typed here and not saved yet: kept, checked against the reference as it is now; its save
                # still compares against the text it was typed over (someone else's change meanwhile is not
                # overwritten unseen: the save is refused with both values)
                self._shown[name] = before.get(name, "")
                error = self._error_of(ref.key, name, edit.text())
                mark_invalid(edit, error)
                errors.append(error)
                continue
            if edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)
            mark_invalid(edit, None)
        self.message.setText(next((e for e in errors if e), ""))
        self.setEnabled(True)

    def revert(self, name: str) -> None:
        """Put the stored text back in field ``name`` (a change the reviewer called off)."""
        edit = self.edits[name]
        edit.setText(self._shown.get(name, ""))
        edit.setCursorPosition(0)
        self.mark(name, None)

    def validate(self, name: str, text: str) -> bool:
        """Mark the field when ``text`` does not fit, with the reason; True when it fits."""
        error = self._error_of(self.key or "", name, text) if self.key is not None else None
        self.mark(name, error)
        return error is None

    def mark(self, name: str, error: str | None) -> None:
        """Show (or clear) a field's reason, keeping what it holds."""
        mark_invalid(self.edits[name], error)
        self.message.setText(error or "")

    def _finish(self, name: str) -> None:
        if self.key is None or self._finishing:
            return  # a question about this change is open (its dialog took the focus): asked once
        text = self.edits[name].text()
        if text == self._shown.get(name) or not self.validate(name, text):
            return  # unchanged, or kept as typed with its reason shown
        # _shown keeps the stored text until the saved review is shown again,
        # so a refused change can be tried again.
        self._finishing = True
        try:
            self.edit_requested.emit(self.key, name, self._shown[name], text)
        finally:
            self._finishing = False
