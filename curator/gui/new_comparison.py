"""Edit > New comparison…: one dialog for a new comparison table.

The title, both arm labels and the key, in one form. The key is derived
from the title as it is typed (:func:`curator.naming.new_key`: lower case,
words joined by ``-``, unique in the review) until the reviewer edits the
key; from then on it is theirs. OK stays disabled, and the line under the
form says why, until every field is valid: a title, both arm labels, and a
key that is not empty, has no space at either end and is not already a
comparison of this review. The service checks the same again when it saves.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from curator.gui.state import mark_invalid
from curator.naming import COMPARISON_LABELS, new_key

__all__ = ["NewComparisonDialog"]


class NewComparisonDialog(QDialog):
    """Title, intervention and comparator arm labels, and a key derived from the title."""

    def __init__(self, parent: QWidget | None, taken: Collection[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("New comparison")
        self.taken = set(taken)
        #: True once the reviewer typed into the key: it is no longer derived from the title.
        self.key_edited = False
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. Pimecrolimus vs topical corticosteroids")
        self.intervention_edit = QLineEdit()
        self.intervention_edit.setPlaceholderText("the first arm, e.g. Pimecrolimus 1% cream")
        self.comparator_edit = QLineEdit()
        self.comparator_edit.setPlaceholderText("the second arm, e.g. Topical corticosteroids")
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("short and unique; derived from the title")
        self.key_edit.setToolTip("Names the comparison in commands and files; derived from the title until you edit it")
        form = QFormLayout()
        form.addRow(f"&{COMPARISON_LABELS['title']}:", self.title_edit)
        form.addRow(f"&{COMPARISON_LABELS['intervention']}:", self.intervention_edit)
        form.addRow(f"C&{COMPARISON_LABELS['comparator'][1:]}:", self.comparator_edit)
        form.addRow(f"&{COMPARISON_LABELS['key']}:", self.key_edit)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setObjectName("reason")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add comparison")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(self._title_changed)
        self.key_edit.textEdited.connect(self._key_edited)
        for edit in (self.intervention_edit, self.comparator_edit, self.key_edit):
            edit.textChanged.connect(self._validate)
        self.setMinimumWidth(480)
        self.title_edit.setFocus()
        self._validate()

    def _title_changed(self, title: str) -> None:
        if not self.key_edited:
            self.key_edit.setText(new_key(title, self.taken))
        self._validate()

    def _key_edited(self, text: str) -> None:
        self.key_edited = bool(text)  # emptied: derive it again from the title
        if not text:
            self.key_edit.setText(new_key(self.title_edit.text(), self.taken))

    def problem(self) -> str | None:
        """Why the comparison cannot be added yet (None when it can)."""
        key = self.key_edit.text()
        if not self.title_edit.text().strip():
            return "Give the comparison a title."
        if not self.intervention_edit.text().strip():
            return "Name the intervention arm (the first arm of the table)."
        if not self.comparator_edit.text().strip():
            return "Name the comparator arm (the second arm of the table)."
        if not key.strip():
            return "Give the comparison a key (letters or digits)."
        if key != key.strip():
            return f"The key {key!r} begins or ends with a space."
        if key in self.taken:
            return f"The key {key!r} is already a comparison of this review; choose another."
        return None

    def _validate(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(problem is None)
        self.reason.setText(problem or f"Adds the comparison {self.key_edit.text()!r}, with no rows yet.")
        key = self.key_edit.text()
        key_problem = bool(key) and (key != key.strip() or key in self.taken)
        mark_invalid(self.key_edit, problem if key_problem else None)

    def fields(self) -> tuple[str, str, str, str]:
        """Key, title, intervention and comparator, as the service's new comparison takes them."""
        return (
            self.key_edit.text(),
            self.title_edit.text().strip(),
            self.intervention_edit.text().strip(),
            self.comparator_edit.text().strip(),
        )
