"""The desktop app's preferences and window state, kept with QSettings.

    Settings(store: QSettings | None = None)
    .reviewer() -> str | None              the reviewer's name, once given
    .set_reviewer(name)                    keep it (blank forgets it)
    .recent_files() -> list[Path]          most recent first, at most 10, files that are gone dropped
    .add_recent(path)                      put a file at the top of the list
    .save_window(window, splitters)        geometry, dock/toolbar state and splitter sizes
    .restore_window(window, splitters)     put them back (what was never saved is left alone)
    .restore_geometry(window)              only the geometry (before the window's panels exist)
    .restore_layout(window, splitters)     only the dock/toolbar state and splitter sizes

    login_name() -> str                    the name a reviewer starts with: their login name
    fitted(rect, available) -> QRect       ``rect`` made to fit ``available`` (smaller, moved in)
    fit_to_screen(window, available=None)  keep the window on its screen; maximized on a small one

The store is an INI file on every platform (organisation "Curator",
application "Curator"), in the user's configuration folder; tests point
``QSettings.setPath`` at a temporary folder so they never touch a
developer's real settings. Only preferences and window state live here: a
review's content lives in its database.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

__all__ = [
    "Settings",
    "ORGANIZATION",
    "APPLICATION",
    "MAX_RECENT",
    "DEFAULT_SIZE",
    "login_name",
    "fitted",
    "fit_to_screen",
]

ORGANIZATION = "Curator"
APPLICATION = "Curator"
#: How many files File > Open recent lists.
MAX_RECENT = 10
#: The main window's size the first time (width, height); a smaller screen shows it maximized.
DEFAULT_SIZE = (1360, 760)


def login_name() -> str:
    """The name a reviewer starts with until they give one: their login name ("unknown" when
    the system cannot tell it, as the command line says)."""
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):  # no USER/LOGNAME and no entry in the password database
        name = ""
    return name or "unknown"


def fitted(rect: QRect, available: QRect) -> QRect:
    """``rect`` made no bigger than ``available`` and moved inside it."""
    width, height = min(rect.width(), available.width()), min(rect.height(), available.height())
    x = min(max(rect.x(), available.left()), available.left() + available.width() - width)
    y = min(max(rect.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


def fit_to_screen(window: QMainWindow, available: QRect | None = None) -> None:
    """Keep ``window`` within ``available`` (its screen's area not taken by panels, by default):
    a screen smaller than :data:`DEFAULT_SIZE` shows it maximized, and a size or place restored
    from a bigger screen is made to fit."""
    if available is None:
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
    state = window.windowState()
    rect = fitted(window.geometry(), available)
    window.resize(rect.size())
    if window.testAttribute(Qt.WidgetAttribute.WA_Moved):  # placed by a restore, not by the window manager
        window.move(rect.topLeft())
    if available.width() < DEFAULT_SIZE[0] or available.height() < DEFAULT_SIZE[1]:
        state |= Qt.WindowState.WindowMaximized
    window.setWindowState(state)  # after the resize, which undoes a maximized state


class Settings:
    """Preferences and window state (see the module's docstring)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    # -- the reviewer --------------------------------------------------------

    def reviewer(self) -> str | None:
        value = self.store.value("reviewer/name")
        return value.strip() if isinstance(value, str) and value.strip() else None

    def set_reviewer(self, name: str) -> None:
        if name.strip():
            self.store.setValue("reviewer/name", name.strip())
        else:
            self.store.remove("reviewer/name")
        self.store.sync()

    # -- recent files --------------------------------------------------------

    def _stored_recent(self) -> list[str]:
        raw = self.store.value("files/recent")
        try:
            names = json.loads(raw) if isinstance(raw, str) else []
        except ValueError:
            return []  # a hand-edited or damaged entry: start again
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []

    def recent_files(self) -> list[Path]:
        """The files opened lately, most recent first; those no longer there are left out."""
        return [Path(name) for name in self._stored_recent() if Path(name).is_file()][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        name = str(Path(path).expanduser().absolute())
        names = [name, *(n for n in self._stored_recent() if n != name and Path(n).is_file())]
        self.store.setValue("files/recent", json.dumps(names[:MAX_RECENT]))
        self.store.sync()

    # -- the main window -----------------------------------------------------

    def save_window(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        self.store.setValue("window/geometry", window.saveGeometry())
        self.store.setValue("window/state", window.saveState())
        for name, splitter in splitters.items():
            self.store.setValue(f"splitters/{name}", splitter.saveState())
        self.store.sync()

    def restore_window(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        self.restore_geometry(window)
        self.restore_layout(window, splitters)

    def restore_geometry(self, window: QMainWindow) -> None:
        geometry = self._bytes("window/geometry")
        if geometry is not None:
            window.restoreGeometry(geometry)

    def restore_layout(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        state = self._bytes("window/state")
        if state is not None:
            window.restoreState(state)
        for name, splitter in splitters.items():
            sizes = self._bytes(f"splitters/{name}")
            if sizes is not None:
                splitter.restoreState(sizes)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes) and value:
            return QByteArray(value)
        return None
