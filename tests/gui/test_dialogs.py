"""About; the shortcuts list."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from curator import __version__
from curator.gui.dialogs import AboutDialog, ShortcutsDialog, plain_text


def test_about_names_versions_folder_and_license(parent: QWidget, qtbot, _isolated_data: Path) -> None:  # type: ignore[no-untyped-def]
    about = AboutDialog(parent)
    qtbot.addWidget(about)
    about.show()
    shown = "\n".join(label.text() for label in about.findChildren(QLabel))
    for expected in (
        f"Curator {__version__}",
        "Enter, double-check, check and export the numbers of clinical comparison tables.",
        sys.version.split()[0],
        qVersion(),
        sqlite3.sqlite_version,
        str(_isolated_data),
        "License",
    ):
        assert expected in shown
    assert f"Data folder: {_isolated_data}" in about.text()


def test_about_fits_its_text(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    about = AboutDialog(parent)
    qtbot.addWidget(about)
    about.show()
    qtbot.waitExposed(about)
    for label in about.findChildren(QLabel):
        if not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), f"clipped: {label.text()!r}"


def test_shortcuts_lists_every_action_with_a_shortcut(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    def action(text: str, *keys: QKeySequence | str) -> QAction:
        act = QAction(text, parent)
        act.setShortcuts([QKeySequence(k) for k in keys])
        return act

    actions = [
        action("&Open…", QKeySequence.StandardKey.Open),
        action("New &row", "Ctrl+N", "Insert"),
        action("Find && replace", "Ctrl+H"),
        action("&About Curator"),  # no shortcut: not listed
        action("New &row", "Ctrl+N", "Insert"),  # the same action in two menus: listed once
    ]
    dialog = ShortcutsDialog(parent, actions)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    assert [table.horizontalHeaderItem(c).text() for c in range(2)] == ["Action", "Shortcut"]
    cells = [[table.item(r, c).text() for c in range(2)] for r in range(table.rowCount())]

    def native(keys: QKeySequence | str) -> str:
        return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)

    assert cells == [
        ["Open…", native(QKeySequence.StandardKey.Open)],
        ["New row", f"{native('Ctrl+N')}, {native('Insert')}"],
        ["Find & replace", native("Ctrl+H")],
    ]
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("&Open…", "Open…"),
        ("Save a &copy...", "Save a copy…"),
        ("Find && replace", "Find & replace"),
        ("Plain", "Plain"),
    ],
)
def test_plain_text_drops_mnemonics(text: str, plain: str) -> None:
    assert plain_text(text) == plain
