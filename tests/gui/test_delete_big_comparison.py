"""Deleting a big comparison, and undoing it, on a worker with a progress dialog that can cancel.

The threshold (:data:`curator.gui.edit_actions.BACKGROUND_ROWS`, 1,000 rows) is lowered so that the
demo's first comparison (4 rows) takes the worker's path, and the service reports after every row.
The worker is held at its last report ("saving": everything written, nothing committed) until the
test has looked at the dialog and pressed Cancel, or let it go on: no timing is involved.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

import curator.gui.edit_actions as edit_actions
import curator.store.rows as store_rows
from curator.gui.app import MainWindow
from curator.gui.tasks import CANCELLED_STATUS, _WorkerProgress
from curator.services import ReviewService
from tests.helpers import stored

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier
BIG = "pime-vs-tcs"
DOCS = Path(__file__).resolve().parents[2] / "docs"


class Gate:
    """Holds the worker at its "saving" report while ``hold`` is set, until ``go``."""

    def __init__(self) -> None:
        self.hold = False
        self.reached = threading.Event()
        self.go = threading.Event()
        self.seen: list[tuple[int, int, str]] = []


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    update = _WorkerProgress.update

    def held(self: _WorkerProgress, done: int, total: int, what: str) -> None:
        gate.seen.append((done, total, what))
        update(self, done, total, what)
        if what == "saving" and gate.hold:
            gate.reached.set()
            gate.go.wait(10)

    monkeypatch.setattr(_WorkerProgress, "update", held)
    monkeypatch.setattr(edit_actions, "BACKGROUND_ROWS", 3)
    monkeypatch.setattr(store_rows, "CHUNK", 1)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    yield gate
    gate.go.set()  # never leave a worker waiting


def audit_length(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


def press(qtbot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:  # type: ignore[no-untyped-def]
    """A key of the window's, pressed in the comparisons list: a shortcut needs the window active, which it
    is again once a progress dialog has gone (the offscreen platform does not give it back by itself)."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.comparisons_view.setFocus()
    qtbot.keyClick(window.comparisons_view, key, modifiers)


def shown_comparisons(window: MainWindow) -> list[str]:
    return [c.key for c in window.outline]


def held_dialog(qtbot, window: MainWindow, gate: Gate) -> QProgressDialog:  # type: ignore[no-untyped-def]
    """The progress dialog of the running work, held at "saving"; the window answers meanwhile."""
    qtbot.waitUntil(lambda: gate.reached.is_set())
    task = window.edits.task
    assert task is not None and task.is_running()
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible())
    dialog = task.dialog
    assert dialog is not None and dialog.windowModality() == Qt.WindowModality.WindowModal  # blocks the window
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked))  # the event loop runs while the worker works
    return dialog


def accept_one(window: MainWindow) -> None:
    finding = next(f for f in window.findings if f.comparison == BIG)
    assert window.edits.accept_finding(finding, "as printed in the paper")


def test_a_big_comparison_is_deleted_on_a_worker_and_ctrl_z_brings_it_back_whole(
    qtbot, window: MainWindow, gate: Gate, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    accept_one(window)
    before = stored(window.path)
    window.comparisons_view.selectRow(0)
    gate.hold = True
    press(qtbot, window, Qt.Key.Key_Delete, CTRL_SHIFT)
    dialog = held_dialog(qtbot, window, gate)
    assert dialog.windowTitle() == f"Deleting comparison {BIG}"
    assert dialog.labelText() == f"Deleting comparison {BIG}: saving…"
    assert (dialog.value(), dialog.maximum()) == (4, 4)
    assert [s for s in gate.seen if s[2] == "reading its rows"] == [(i, 4, "reading its rows") for i in range(5)]
    assert window.undo_stack.count() == 0  # not on the stack until it is done
    # The dialog as the reviewer sees it (CURATOR_SCREENSHOTS=1 keeps it in docs/).
    picture = (DOCS if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path) / "delete-progress.png"
    assert dialog.grab().save(str(picture))
    gate.go.set()
    task = window.edits.task
    assert task is not None and task.wait()
    assert task.status == "done"
    assert [c.key for c in stored(window.path).comparisons] == ["pime-vs-tac"]
    assert stored(window.path).accepted_findings == []
    assert shown_comparisons(window) == ["pime-vs-tac"]
    assert (window.undo_stack.count(), window.undo_stack.index()) == (1, 1)
    assert window.undo_action.text() == f"&Undo delete comparison {BIG}"

    gate.hold, gate.go = False, threading.Event()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    task = window.edits.task
    assert task is not None and task.title == f"Restoring comparison {BIG}" and task.wait()
    assert stored(window.path) == before  # every row, its place and the acceptance
    assert shown_comparisons(window) == [BIG, "pime-vs-tac"]
    assert (window.undo_stack.count(), window.undo_stack.index()) == (1, 0)

    press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)  # redo: deleted again, on a worker
    task = window.edits.task
    assert task is not None and task.title == f"Deleting comparison {BIG}" and task.wait()
    assert [c.key for c in stored(window.path).comparisons] == ["pime-vs-tac"]
    assert (window.undo_stack.count(), window.undo_stack.index()) == (1, 1)


def press_cancel(qtbot, dialog: QProgressDialog) -> None:  # type: ignore[no-untyped-def]
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_cancel_of_the_delete_leaves_everything_as_it_was(qtbot, window: MainWindow, gate: Gate) -> None:  # type: ignore[no-untyped-def]
    accept_one(window)
    before, entries = stored(window.path), audit_length(window.path)
    window.comparisons_view.selectRow(0)
    gate.hold = True
    press(qtbot, window, Qt.Key.Key_Delete, CTRL_SHIFT)
    dialog = held_dialog(qtbot, window, gate)
    press_cancel(qtbot, dialog)
    assert dialog.labelText() == f"Deleting comparison {BIG}: cancelling…"
    gate.go.set()  # its rows are deleted and audited, not committed: all rolled back
    task = window.edits.task
    assert task is not None and task.wait() and task.status == CANCELLED_STATUS
    assert stored(window.path) == before
    assert audit_length(window.path) == entries
    assert window.undo_stack.count() == 0
    assert shown_comparisons(window) == [BIG, "pime-vs-tac"]
    assert window.statusBar().currentMessage() == f"Deleting comparison {BIG}: {CANCELLED_STATUS}"


def test_cancel_of_the_undo_leaves_it_deleted_and_on_the_stack(qtbot, window: MainWindow, gate: Gate) -> None:  # type: ignore[no-untyped-def]
    accept_one(window)
    before = stored(window.path)
    window.comparisons_view.selectRow(0)
    press(qtbot, window, Qt.Key.Key_Delete, CTRL_SHIFT)
    task = window.edits.task
    assert task is not None and task.wait()
    deleted, entries = stored(window.path), audit_length(window.path)

    gate.hold = True
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    dialog = held_dialog(qtbot, window, gate)
    assert dialog.windowTitle() == f"Restoring comparison {BIG}"
    task = window.edits.task
    qtbot.keyClick(dialog, Qt.Key.Key_Z, CTRL)  # pressed again meanwhile: the dialog blocks the window
    window.undo_action.trigger()  # and were it to reach Undo: ignored, nothing queued
    assert window.edits.task is task
    assert window.statusBar().currentMessage() == f"Wait: restoring comparison {BIG}…"
    press_cancel(qtbot, dialog)
    gate.go.set()
    task = window.edits.task
    assert task is not None and task.wait() and task.status == CANCELLED_STATUS
    assert stored(window.path) == deleted and audit_length(window.path) == entries
    assert (window.undo_stack.count(), window.undo_stack.index()) == (1, 1)  # still to undo
    assert shown_comparisons(window) == ["pime-vs-tac"]

    gate.hold = False
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    task = window.edits.task
    assert task is not None and task.wait() and task.status == "done"
    assert stored(window.path) == before
    assert (window.undo_stack.count(), window.undo_stack.index()) == (1, 0)


def test_an_undo_refused_on_the_worker_says_why_and_leaves_the_stack(
    qtbot, window: MainWindow, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window.comparisons_view.selectRow(0)
    press(qtbot, window, Qt.Key.Key_Delete, CTRL_SHIFT)
    task = window.edits.task
    assert task is not None and task.wait()
    with ReviewService.open(window.path, "Ana") as other:  # another window takes the key meanwhile
        other.rows.new_comparison(BIG, "Another", "A", "B")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    entries = audit_length(window.path)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    task = window.edits.task
    assert task is not None and task.wait()
    assert said == [f'comparison {BIG}, Key: "{BIG}" is already a comparison of the review']
    assert audit_length(window.path) == entries
    assert window.undo_stack.count() == 0  # the command left the stack, as a refusal on the GUI thread does
