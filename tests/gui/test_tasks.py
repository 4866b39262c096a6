"""Work on the thread pool: results, errors, cancel and bugs reach the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from curator.errors import CuratorError
from curator.gui.tasks import CANCELLED_STATUS, run_task
from curator.progress import Progress, report


class Gate:
    """Holds the work at a point until the test lets it go on (no sleeping, no timing)."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()

    def hold(self) -> None:
        self.reached.set()
        assert self.release.wait(30), "the test never released the work"


def test_result_arrives_on_the_gui_thread(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    results: list[tuple[int, bool]] = []
    main = threading.get_ident()
    worker_threads: list[int] = []

    def work(progress: Progress) -> int:
        worker_threads.append(threading.get_ident())
        report(progress, 1, 2, "halfway")
        return 42

    task = run_task(parent, "Counting", work, lambda r: results.append((r, threading.get_ident() == main)))
    with qtbot.waitSignal(task.finished, timeout=30_000) as signal:
        pass
    assert signal.args == ["done"]
    assert results == [(42, True)]
    assert worker_threads and worker_threads[0] != main
    assert task.status == "done" and not task.is_running()
    assert task.dialog is None  # closed and on its way out


def test_progress_is_shown_and_the_window_stays_responsive(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    gate = Gate()

    def work(progress: Progress) -> str:
        report(progress, 3, 10, "comparison tables")
        gate.hold()
        return "ok"

    done: list[str] = []
    task = run_task(parent, "Exporting", work, done.append, show_after_ms=0)
    assert gate.reached.wait(30)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible() and task.last_progress is not None)
    assert task.dialog is not None
    assert task.dialog.labelText() == "Exporting: comparison tables…"
    assert (task.dialog.value(), task.dialog.maximum()) == (3, 10)
    assert task.dialog.windowModality() == Qt.WindowModality.WindowModal
    assert done == []  # the GUI thread ran all of this while the work was held
    gate.release.set()
    assert task.wait()
    assert done == ["ok"] and task.dialog is None


class ShowCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.shown = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show:
            self.shown += 1
        return False


def test_a_quick_task_never_shows_its_dialog(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    counter = ShowCounter()
    gate = Gate()

    def work(progress: Progress) -> int:
        gate.hold()
        return 1

    task = run_task(parent, "Quick", work, lambda r: None, show_after_ms=60_000)
    assert task.dialog is not None
    task.dialog.installEventFilter(counter)
    assert gate.reached.wait(30)
    qtbot.wait(50)  # the event loop runs while the work is held: still no dialog
    gate.release.set()
    assert task.wait()
    assert counter.shown == 0 and task.status == "done"


def test_cancel_stops_the_work_quietly(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    gate = Gate()
    written: list[str] = []

    def work(progress: Progress) -> None:
        report(progress, 0, 2, "first half")
        gate.hold()
        report(progress, 1, 2, "second half")  # raises Cancelled: the user pressed Cancel
        written.append("second half")

    done: list[object] = []
    errors: list[str] = []
    task = run_task(parent, "Exporting", work, done.append, errors.append, show_after_ms=0)
    assert gate.reached.wait(30)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible())
    assert task.dialog is not None
    button = task.dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert task.status == "cancelling"
    assert task.dialog.isVisible() and not button.isEnabled()  # blocked until the work has stopped
    assert task.dialog.labelText() == "Exporting: cancelling…"
    gate.release.set()
    with qtbot.waitSignal(task.finished, timeout=30_000) as signal:
        pass
    assert signal.args == [CANCELLED_STATUS]
    assert written == [] and done == [] and errors == [] and task.message_box is None


def test_a_user_error_goes_to_on_error(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    def work(progress: Progress) -> None:
        raise CuratorError("in.json: comparisons[0].rows[2].n: 'forty' is not a whole number")

    errors: list[str] = []
    done: list[object] = []
    task = run_task(parent, "Importing", work, done.append, errors.append)
    assert task.wait()
    assert errors == ["in.json: comparisons[0].rows[2].n: 'forty' is not a whole number"]
    assert done == [] and task.message_box is None
    assert task.status == errors[0]


def test_a_user_error_without_on_error_is_a_message_box(parent: QWidget, qtbot) -> None:  # type: ignore[no-untyped-def]
    def work(progress: Progress) -> None:
        raise CuratorError("r.sqlite: the review is locked by another program; close it there and try again")

    task = run_task(parent, "Importing", work, lambda r: None)
    assert task.wait()
    box = task.message_box
    assert box is not None and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "r.sqlite: the review is locked by another program; close it there and try again"
    box.close()


def test_a_bug_is_logged_with_its_traceback_and_apologised_for(parent: QWidget, qtbot, _isolated_data: Path) -> None:  # type: ignore[no-untyped-def]
    def work(progress: Progress) -> None:
        {}["no such key"]  # noqa: B018 - a bug

    errors: list[str] = []
    task = run_task(parent, "Exporting", work, lambda r: None, errors.append)
    assert task.wait()
    log = _isolated_data / "curator.log"
    assert "KeyError: 'no such key'" in log.read_text(encoding="utf-8")
    assert "task 'Exporting'" in log.read_text(encoding="utf-8")
    assert errors == []  # a bug is not the user's error
    box = task.message_box
    assert box is not None and box.icon() == QMessageBox.Icon.Critical
    assert box.text() == f"Sorry: exporting failed because of a bug in Curator. The details are in {log}."
    assert task.status.startswith("Exporting failed because of a bug in Curator; sorry.")
    box.close()
