"""Showing the main window at once, and filling it after its first paint.

Loading the services (SQLAlchemy, SQLModel, Alembic), opening the review
and checking it takes about three times as long as Qt takes to show a
window. So :func:`run` shows the window's frame first ("Opening …"), with
the size and place it had last time made to fit the screen, and reads the
review once that frame is on the screen (see ``benchmarks/bench_startup.py``).

The reviewer is never asked before the window shows: the name is the one
given on the command line, else the one kept in the settings, else the
login name; the status bar shows it, and a click on it (or Edit >
Preferences…) changes it.

``CURATOR_EXIT_AFTER_PAINT=1`` (for the benchmark) prints the time of the
window's first paint and of its first paint with the review in it
("first paint at T", "review shown at T", seconds since the epoch), then quits.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from curator import __version__
from curator.errors import CuratorError
from curator.gui.app import MainWindow
from curator.gui.settings import Settings, fit_to_screen, login_name

__all__ = ["run", "after_first_paint", "FILL_ANYWAY_MS"]

#: Fill the window after this long even if it was never painted (hidden, on another desktop...).
FILL_ANYWAY_MS = 2_000


class _PaintWatch(QObject):
    """Calls ``then`` once, as soon as a paint of ``widget`` has been handled."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # once this paint is on the screen
        return False


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` once ``widget`` has been painted for the first time."""
    _PaintWatch(widget, then)


def run(path: Path | str | None, *, who: str | None = None, screenshot: Path | None = None) -> int:
    """Show the main window on the review at ``path`` (the embedded default review, made with
    the demo the first time, when None) until it is closed.

    ``who`` is the reviewer's name given on the command line; when None, the name kept in the
    settings, else the login name. A review that cannot be opened closes the window and raises
    :class:`CuratorError` (the command line prints it). ``screenshot`` saves a picture of the
    filled window and closes it at once.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Curator")
    app.setOrganizationName("Curator")
    app.setApplicationVersion(__version__)
    settings = Settings()
    name = who or settings.reviewer() or login_name()
    # The demo in a new default review is entered by "curator" unless a name was given.
    window = MainWindow(path, name, later=True, create_as=who or "curator")
    settings.restore_geometry(window)
    fit_to_screen(window)
    failed: list[CuratorError] = []

    def fill() -> None:
        if window.opened or failed:
            return
        try:
            window.open_review()
        except CuratorError as exc:
            failed.append(exc)
            window.close()
            app.exit(2)
            return
        settings.restore_layout(window, window.splitters())
        if isinstance(window.path, Path):  # a team review's URL is not a recent file
            settings.add_recent(window.path)

    if screenshot is not None:
        fill()
        if failed:
            raise failed[0]
        window.show()
        app.processEvents()
        if not window.grab().save(str(screenshot)):
            raise CuratorError(f"{screenshot}: cannot write the picture")
        window.close()
        return 0

    def fill_if_still_open() -> None:  # closed while it said "Opening …": nothing to read
        if window.isVisible():
            fill()

    after_first_paint(window, fill_if_still_open)
    if os.environ.get("CURATOR_EXIT_AFTER_PAINT"):
        _report_paints(app, window)  # watched after fill's watch, so told before fill runs
    QTimer.singleShot(FILL_ANYWAY_MS, fill_if_still_open)
    window.show()
    status = app.exec()
    if failed:
        raise failed[0]
    return status


def _report_paints(app: QApplication, window: MainWindow) -> None:
    """For the benchmark: print when the window is first painted, and when with the review in it; quit."""

    def first() -> None:
        print(f"first paint at {time.time():.6f}", flush=True)
        QTimer.singleShot(0, lambda: after_first_paint(window, shown) if window.opened else wait())

    def wait() -> None:  # the review is filled in the event after this one
        QTimer.singleShot(10, lambda: after_first_paint(window, shown) if window.opened else wait())

    def shown() -> None:
        print(f"review shown at {time.time():.6f}", flush=True)
        window.close()
        app.quit()

    after_first_paint(window, first)
