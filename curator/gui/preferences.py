"""Edit > Preferences…: the reviewer's name, kept for next time.

PreferencesDialog(parent, current, settings)
    a form with the reviewer's name (the one in use, selected, ready to be
    typed over); OK keeps it in ``settings`` and emits
    ``reviewer_changed(name)``; an empty name means the login name again
    (and nothing is kept)

The name is what the audit log records with every change made from then
on; changing it never rewrites what was recorded before.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from curator.gui.settings import Settings, login_name

__all__ = ["PreferencesDialog"]


class PreferencesDialog(QDialog):
    """The reviewer's name (see the module's docstring)."""

    reviewer_changed = Signal(str)

    def __init__(self, parent: QWidget | None, current: str, settings: Settings) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.name_edit = QLineEdit(current)
        self.name_edit.setPlaceholderText(login_name())
        self.name_edit.selectAll()
        hint = QLabel(
            "Recorded in the audit log with every change you make from now on, and kept for next time. "
            f"Left empty, your login name ({login_name()}) is used."
        )
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Your &name:", self.name_edit)
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def accept(self) -> None:
        name = self.name_edit.text().strip()
        self.settings.set_reviewer(name)  # an empty name forgets the kept one
        self.reviewer_changed.emit(name or login_name())
        super().accept()
