"""The first command: the window shows at once, never stopped by a question, on any screen.

The reviewer's name starts as the login name, is shown in the status bar,
and is changed there or in Edit > Preferences…; what is done afterwards is
recorded under the new name. The window fits the screen it opens on. It
shows before the review is read, and the start-up path loads no heavy
library the window does not need yet.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from curator.gui.app import MainWindow
from curator.gui.preferences import PreferencesDialog
from curator.gui.settings import DEFAULT_SIZE, Settings, fit_to_screen, fitted
from curator.gui.startup import run
from tests.helpers import stored_demo

ROOT = Path(__file__).parents[2]


@pytest.fixture
def login_ana(monkeypatch: pytest.MonkeyPatch) -> str:
    """The reviewer is logged in as "ana" (getpass reads LOGNAME first)."""
    monkeypatch.setenv("LOGNAME", "ana")
    monkeypatch.setenv("USER", "ana")
    return "ana"


def run_and_look(look: Callable[[MainWindow], None], path: Path | None = None, who: str | None = None) -> None:
    """Start the app as `curator` does (:func:`run`), call ``look`` on the window once the review
    is in it, then close it. What ``look`` raises is raised here, after the app has quit."""
    raised: list[BaseException] = []
    modal_seen: list[object] = []

    def poll() -> None:
        modal_seen.append(QApplication.activeModalWidget())
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or not windows[0].opened:
            QTimer.singleShot(10, poll)
            return
        try:
            look(windows[0])
        except BaseException as exc:  # noqa: BLE001 - raised again below, outside the event loop
            raised.append(exc)
        finally:
            windows[0].close()
            QApplication.quit()

    QTimer.singleShot(0, poll)
    assert run(path, who=who) == 0
    # Closing the last window also posted a quit: let it land in an event loop of its own, so it
    # does not end the next test's wait at once.
    QTimer.singleShot(0, QApplication.quit)
    QApplication.exec()
    assert modal_seen and not any(modal_seen), "a dialog stopped the start"
    if raised:
        raise raised[0]


def open_preferences_from_status_bar(qtbot, window: MainWindow) -> PreferencesDialog:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.status_who, Qt.MouseButton.LeftButton)
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def type_name(qtbot, dialog: PreferencesDialog, name: str) -> None:  # type: ignore[no-untyped-def]
    """Type over the name (it opens selected) and press Enter."""
    edit = dialog.name_edit
    assert edit.selectedText() == edit.text()
    if name:
        qtbot.keyClicks(edit, name)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()


# -- the first start ---------------------------------------------------------------------


def test_first_start_asks_nothing_and_shows_the_login_name(qtbot, login_ana: str) -> None:  # type: ignore[no-untyped-def]
    assert Settings().reviewer() is None
    seen: dict[str, object] = {}

    def look(window: MainWindow) -> None:
        seen["who"] = window.status_who.text()
        seen["title"] = window.windowTitle()
        seen["rows"] = window.rows_model.rowCount()

    run_and_look(look)  # the default review: the demo, made on first use
    assert seen == {"who": "Reviewer: ana", "title": "Curator — " + _demo_title(), "rows": 4}
    assert Settings().reviewer() is None  # nothing was asked, so nothing is kept


def test_the_name_given_on_the_command_line_wins(qtbot, tmp_path: Path, login_ana: str) -> None:  # type: ignore[no-untyped-def]
    Settings().set_reviewer("Ana Ruiz")
    db = stored_demo(tmp_path / "r.sqlite")
    seen: list[str] = []
    run_and_look(lambda window: seen.append(window.status_who.text()), db, who="Ben")
    run_and_look(lambda window: seen.append(window.status_who.text()), db)
    assert seen == ["Reviewer: Ben", "Reviewer: Ana Ruiz"]
    assert Settings().reviewer() == "Ana Ruiz"  # --reviewer is for that session only


def test_the_first_command_does_not_stop_at_a_dialog(tmp_path: Path) -> None:
    """`curator` with no name kept and none given, in a fresh process: the window is painted,
    the review shown, and the process ends by itself (a dialog would wait for ever)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CURATOR_REVIEWER", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", CURATOR_EXIT_AFTER_PAINT="1", XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-m", "curator"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line.rpartition(" at ")[0] for line in proc.stdout.splitlines()]
    assert lines == ["first paint", "review shown"]


# -- changing the name -------------------------------------------------------------------


def test_the_name_is_changed_from_the_status_bar_and_later_edits_are_recorded_under_it(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    assert window.status_who.text() == "Reviewer: Ben"
    dialog = open_preferences_from_status_bar(qtbot, window)
    assert dialog.name_edit.text() == "Ben"
    type_name(qtbot, dialog, "Ben Ortiz")
    assert window.status_who.text() == "Reviewer: Ben Ortiz"
    assert window.statusBar().currentMessage() == "Your changes are now recorded as Ben Ortiz's"
    assert Settings().reviewer() == "Ben Ortiz"
    # A value typed into the form now is recorded under the new name.
    edit = window.row_form.edits["intervention.n"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "474")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    conn = sqlite3.connect(window.path)
    try:
        updates = conn.execute("SELECT who, field, new FROM audit_log WHERE action = 'update'").fetchall()
    finally:
        conn.close()
    assert updates == [("Ben Ortiz", "intervention.n", "474")]


def test_the_name_is_changed_in_preferences_and_cancel_changes_nothing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from curator.gui.dialogs import plain_text

    edit_menu = next(a.menu() for a in window.menuBar().actions() if plain_text(a.text()) == "Edit")
    assert window.preferences_action in edit_menu.actions()
    assert window.preferences_action.shortcut().toString() == "Ctrl+,"
    window.preferences_action.trigger()
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None and dialog.windowTitle() == "Preferences"
    qtbot.keyClicks(dialog.name_edit, "Somebody")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert window.status_who.text() == "Reviewer: Ben" and Settings().reviewer() is None

    window.preferences_action.trigger()
    dialog = [d for d in window.findChildren(PreferencesDialog) if d.isVisible()][0]
    type_name(qtbot, dialog, "Carla Diaz")
    assert window.status_who.text() == "Reviewer: Carla Diaz"
    assert window.who == "Carla Diaz" and Settings().reviewer() == "Carla Diaz"


def test_an_empty_name_is_the_login_name_again(qtbot, window: MainWindow, login_ana: str) -> None:  # type: ignore[no-untyped-def]
    Settings().set_reviewer("Ben")
    dialog = open_preferences_from_status_bar(qtbot, window)
    assert dialog.name_edit.placeholderText() == "ana"
    type_name(qtbot, dialog, "")
    assert window.status_who.text() == "Reviewer: ana"
    assert Settings().reviewer() is None  # nothing kept: the next start uses the login name too


# -- the window on the screen ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rect", "available", "expected"),
    [
        (QRect(0, 0, 1360, 760), QRect(0, 0, 1920, 1080), QRect(0, 0, 1360, 760)),  # fits: unchanged
        (QRect(0, 0, 1360, 760), QRect(0, 0, 1280, 1024), QRect(0, 0, 1280, 760)),  # xvfb-run's screen
        (QRect(900, 500, 1360, 760), QRect(0, 0, 1280, 1024), QRect(0, 264, 1280, 760)),  # moved back in
        (QRect(-300, -50, 800, 600), QRect(0, 30, 1024, 738), QRect(0, 30, 800, 600)),  # below a top panel
        (QRect(2000, 0, 1360, 760), QRect(1920, 0, 1024, 768), QRect(1920, 0, 1024, 760)),  # a second screen
    ],
)
def test_fitted_keeps_a_window_within_the_screen(rect: QRect, available: QRect, expected: QRect) -> None:
    assert fitted(rect, available) == expected


def test_a_window_on_a_small_screen_is_maximized_and_within_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(stored_demo(tmp_path / "r.sqlite"), "Ben")
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == DEFAULT_SIZE
    small = QRect(0, 0, 1280, 720)
    fit_to_screen(window, small)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    assert small.contains(window.geometry())
    big = MainWindow(tmp_path / "r.sqlite", "Ben")
    qtbot.addWidget(big)
    fit_to_screen(big, QRect(0, 0, 1920, 1080))
    assert not big.windowState() & Qt.WindowState.WindowMaximized
    assert (big.width(), big.height()) == DEFAULT_SIZE


def test_the_started_window_fits_the_screen_it_opens_on(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The offscreen screen (800 x 600) is smaller than the window's default size; a geometry
    kept from a bigger screen is made to fit as well."""
    db = stored_demo(tmp_path / "r.sqlite")
    seen: list[tuple[QRect, QRect, bool]] = []

    def look(window: MainWindow) -> None:
        screen = window.screen().availableGeometry()
        maximized = bool(window.windowState() & Qt.WindowState.WindowMaximized)
        seen.append((window.frameGeometry(), screen, maximized))

    run_and_look(look, db, who="Ben")
    settings = Settings()
    big = MainWindow(db, "Ben")  # saved on a bigger screen: 1360 x 760 at (500, 400)
    qtbot.addWidget(big)
    big.setGeometry(500, 400, *DEFAULT_SIZE)
    settings.store.setValue("window/geometry", big.saveGeometry())
    run_and_look(look, db, who="Ben")
    for frame, screen, maximized in seen:
        assert screen.contains(frame) and maximized, (frame, screen)


# -- the window first, the review after --------------------------------------------------------


def test_the_window_says_what_it_opens_before_it_is_filled(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = stored_demo(tmp_path / "r.sqlite")
    window = MainWindow(db, "Ben", later=True)
    qtbot.addWidget(window)
    window.show()
    label = window.centralWidget()
    assert isinstance(label, QLabel) and label.text() == "Opening r.sqlite…"
    assert window.windowTitle() == "Curator — opening r.sqlite…"
    assert not window.opened
    window.open_review()
    assert window.opened and window.windowTitle() == "Curator — " + _demo_title()
    assert window.rows_model.rowCount() == 4


def test_a_file_that_is_not_a_review_is_refused_with_a_message_before_any_window(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a review\n" * 50)
    before = notes.read_bytes()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run(
        [sys.executable, "-m", "curator", "gui", str(notes)], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 2
    # (Qt's offscreen platform may say something of its own first.)
    assert (
        proc.stderr.splitlines()[-1]
        == f"curator: {notes}: not a review (neither a Curator database nor a curator/1 file)"
    )
    assert "Traceback" not in proc.stderr
    assert notes.read_bytes() == before


HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pandas", "matplotlib", "openpyxl", "statsmodels", "numpy")


def test_the_start_up_path_loads_no_heavy_library() -> None:
    """What runs before the window's first paint (the command line, the launcher, the window's
    module) imports none of these; the services load the database libraries after it."""
    code = (
        "import sys, curator.cli, curator.gui.launch, curator.gui.startup, curator.gui.app;"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []


def test_the_review_is_read_after_the_first_paint(tmp_path: Path) -> None:
    """In a fresh process: the window is painted before the review is opened, and nothing before
    that loaded SQLAlchemy."""
    code = """
import sys
from curator.gui import app, startup
opening = app.MainWindow.open_review
def spy(self):
    print("opening with sqlalchemy" if "sqlalchemy" in sys.modules else "opening", flush=True)
    opening(self)
app.MainWindow.open_review = spy
sys.exit(startup.run(None))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", CURATOR_EXIT_AFTER_PAINT="1", XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line.rpartition(" at ")[0] or line for line in proc.stdout.splitlines()]
    assert lines == ["first paint", "opening", "review shown"]


def _demo_title() -> str:
    from curator.demo import demo_review

    return demo_review().title or ""
