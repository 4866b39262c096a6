"""File > Properties…: the review's title and description.

The title is shown in the window's title bar and written by the exports
(the exchange file's ``title``, the workbook's heading); the description is
a few lines for the people working on the review, kept in the database only
(the ``curator/1`` exchange format has no such key). Saving is one use case
of the service (:meth:`~curator.services.ReviewService.set_properties`),
audited; a refusal is shown and nothing is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

__all__ = ["PropertiesDialog"]


class PropertiesDialog(QDialog):
    """The review's title (one line) and description (free text)."""

    def __init__(self, parent: QWidget | None, title: str | None, description: str | None, file: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review properties")
        self.title_edit = QLineEdit(title or "")
        self.title_edit.setPlaceholderText("e.g. Pimecrolimus in steroid-sparing regimens")
        self.description_edit = QPlainTextEdit(description or "")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("What the review is about, its protocol, who works on it…")
        self.description_edit.setFixedHeight(110)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Description:", self.description_edit)
        where = QLabel(
            f"File: {file}<br><small>The title is shown in the window title and written by the exports; "
            "the description stays in this review's database (the curator/1 exchange format has no such key)."
            "</small>"
        )
        where.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def values(self) -> tuple[str, str]:
        """The title and the description as typed."""
        return self.title_edit.text(), self.description_edit.toPlainText()
