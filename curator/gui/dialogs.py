"""Small dialogs of the Help menu (the reviewer's name is in :mod:`curator.gui.preferences`).

AboutDialog(parent)
    name, version, purpose, the versions of Python, Qt, PySide6 and
    SQLite, the data folder, the license: what a bug report needs
ShortcutsDialog(parent, actions, more=())
    every action that has a shortcut, in a two-column table (the action's
    text without its '&' mnemonic, the shortcut as the platform writes it),
    then ``more``: (what, keys) of keys that are not actions (Enter on a cell)
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from curator import __version__
from curator.paths import data_dir

__all__ = ["AboutDialog", "ShortcutsDialog", "PURPOSE", "LICENSE", "plain_text"]

PURPOSE = "Enter, double-check, check and export the numbers of clinical comparison tables."
#: The project has not chosen a license yet; say so rather than guess one.
LICENSE = "No license has been declared for this copy of Curator yet."


class AboutDialog(QDialog):
    """Help > About Curator."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Curator")
        title = QLabel(f"<h2>Curator {__version__}</h2>")
        purpose = QLabel(PURPOSE)
        purpose.setWordWrap(True)
        self.facts: dict[str, str] = {
            "Python": sys.version.split()[0],
            "Qt": qVersion(),
            "PySide6": PySide6.__version__,
            "SQLite": sqlite3.sqlite_version,
            "Data folder": str(data_dir()),
            "License": LICENSE,
        }
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, value in self.facts.items():
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(name in ("Data folder", "License"))
            form.addRow(f"{name}:", label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(purpose)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def text(self) -> str:
        """Everything the dialog says, as plain text (for a bug report, or a test)."""
        lines = [f"Curator {__version__}", PURPOSE, *(f"{k}: {v}" for k, v in self.facts.items())]
        return "\n".join(lines)


def plain_text(action_text: str) -> str:
    """An action's text without its mnemonic ampersands ('&&' stays one '&')."""
    return action_text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("...", "…")


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: every action with a shortcut, and its keys."""

    def __init__(
        self, parent: QWidget | None, actions: Iterable[QAction], more: Iterable[tuple[str, str]] = ()
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows: list[tuple[str, str]] = []
        for action in actions:
            keys = [seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts()]
            keys = [k for k in keys if k]
            if keys and action.text():
                row = (plain_text(action.text()), ", ".join(keys))
                if row not in rows:
                    rows.append(row)
        rows.extend(more)  # keys of the table and the form that are not menu actions
        self.rows = rows
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        for r, (text, shortcut) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(text))
            self.table.setItem(r, 1, QTableWidgetItem(shortcut))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(440, min(600, 120 + 28 * max(len(rows), 4)))
