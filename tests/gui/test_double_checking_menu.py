"""The Review menu's double-checking actions: named, with shortcuts that clash with nothing."""

from __future__ import annotations

from curator.gui.app import MainWindow
from curator.gui.double_checking import DoubleChecking, install


def test_install_adds_the_actions_once_with_unique_shortcuts(window: MainWindow) -> None:
    install(window)
    install(window)  # a second call changes nothing
    assert len(window.findChildren(DoubleChecking)) == 1
    texts = [a.text().replace("&", "") for a in window.review_menu.actions() if not a.isSeparator()]
    for name in ("Verify mode…", "Blind double entry…", "Adjudication…", "History of the row", "Merge reviewer file…"):
        assert texts.count(name) == 1, texts
    shortcuts = [s.toString() for a in window.actions() for s in a.shortcuts() if not s.isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), sorted(shortcuts)
    assert {"Ctrl+Shift+V", "Ctrl+Shift+B", "Ctrl+Shift+J", "Ctrl+H"} <= set(shortcuts)
    assert all(a.statusTip() for a in window.review_menu.actions() if not a.isSeparator())
