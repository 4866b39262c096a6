"""Long work off the GUI thread, with a progress dialog that can cancel it.

    run_task(parent, title, work, on_done, on_error=None, *, show_after_ms=300) -> Task

``work(progress)`` is a plain core function (an export, an import) that takes
a :class:`curator.progress.Progress`; it runs on ``QThreadPool.globalInstance()``
and must open its own database connection (a session is never shared
between threads). Its progress reaches a window-modal :class:`QProgressDialog`
through queued signals, so widgets are only touched on the GUI thread and the
window never freezes; the dialog appears only if the work takes longer than
``show_after_ms``. When the work ends, on the GUI thread:

* a result calls ``on_done(result)``;
* a :class:`~curator.errors.CuratorError` (a bad file, a locked review) calls
  ``on_error(message)``, or shows its one-line message in a message box;
* :class:`~curator.progress.Cancelled` (the user pressed Cancel, and the work
  stopped at its next progress report) closes the dialog quietly;
* any other exception is a bug: its traceback goes to ``curator.log`` (as the
  CLI writes it) and the user gets an apology naming that file.

:class:`Task` holds the outcome: ``status`` ("done", ``CANCELLED_STATUS``, the
error message, or the apology) for the window's status bar, also sent by its
``finished`` signal; ``cancel()`` asks the work to stop; ``wait()`` lets
tests block until the work has ended and its outcome has been delivered.

Work that needs no dialog (the live checks) passes ``dialog=False`` and
hears its progress through ``on_progress`` instead. :class:`TaskRunner` is
the window's one runner of such work: a newer task of a kind (``"checks"``)
supersedes the running one of that kind, latest wins: the older is asked to
stop and its outcome, if it still arrives, is dropped.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from curator.buglog import log_bug
from curator.errors import CuratorError
from curator.progress import Cancelled, Progress

__all__ = ["run_task", "Task", "TaskRunner", "CANCELLED_STATUS", "SHOW_AFTER_MS"]

T = TypeVar("T")

#: Work that ends sooner than this never shows a progress dialog.
SHOW_AFTER_MS = 300
#: The status of a task the user cancelled.
CANCELLED_STATUS = "cancelled, nothing was written"


class _Relay(QObject):
    """Carries the worker's news to the GUI thread (queued: it lives on the GUI thread)."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str, str)  # kind ("cancelled", "error", "bug"), text


class _WorkerProgress:
    """The :class:`Progress` the work sees; ``cancelled`` is set from the GUI thread."""

    def __init__(self, relay: _Relay) -> None:
        self.cancelled = False
        self._relay = relay

    def update(self, done: int, total: int, what: str) -> None:
        self._relay.progressed.emit(done, total, what)


class Task(QObject, Generic[T]):
    """Work running on the thread pool, its progress dialog, and how it ended."""

    #: Emitted on the GUI thread when the work has ended, with :attr:`status`.
    finished = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_error: Callable[[str], None] | None = None,
        *,
        show_after_ms: int = SHOW_AFTER_MS,
        dialog: bool = True,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        #: Set when a newer task of the same kind replaced this one: its outcome is dropped.
        self.superseded = False
        self._on_progress = on_progress
        #: "running", "cancelling", "done", CANCELLED_STATUS, the error message or the apology.
        self.status = "running"
        #: The message box that told the user about an error, if one did.
        self.message_box: QMessageBox | None = None
        #: The last progress the work reported: (done, total, what).
        self.last_progress: tuple[int, int, str] | None = None
        #: What the work returned, once it has succeeded.
        self.result: T | None = None
        self._parent = parent
        self._on_done = on_done
        self._on_error = on_error
        self._ended = False
        self._worker_done = threading.Event()

        self.dialog: QProgressDialog | None = None
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        if dialog:
            self._make_dialog(show_after_ms)

        relay = _Relay()
        relay.progressed.connect(self._progressed)
        relay.succeeded.connect(self._succeeded)
        relay.failed.connect(self._failed)
        self._relay = relay
        self.progress = _WorkerProgress(relay)
        progress, done_event = self.progress, self._worker_done

        def run() -> None:  # on a pool thread: never touches a widget
            try:
                try:
                    result = work(progress)
                except Cancelled:
                    relay.failed.emit("cancelled", CANCELLED_STATUS)
                except CuratorError as exc:
                    relay.failed.emit("error", str(exc))
                except Exception:
                    relay.failed.emit("bug", traceback.format_exc())
                else:
                    relay.succeeded.emit(result)
            finally:
                done_event.set()

        QThreadPool.globalInstance().start(run)

    def _make_dialog(self, show_after_ms: int) -> None:
        title, parent = self.title, self._parent
        self.dialog = QProgressDialog(f"{title}…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(show_after_ms)
        self.dialog.setMinimumWidth(420)
        self.dialog.canceled.connect(self.cancel)
        self._show_timer.timeout.connect(self._show_dialog)
        self._show_timer.start(show_after_ms)

    # -- asked by the user or a test -----------------------------------------

    @Slot()
    def cancel(self) -> None:
        """Ask the work to stop at its next progress report; the dialog says so until it has."""
        if self._ended or self.progress.cancelled:
            return
        self.progress.cancelled = True
        self.status = "cancelling"
        if self.dialog is not None:
            self.dialog.setLabelText(f"{self.title}: cancelling…")
            button = self.dialog.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)
            if not self._show_timer.isActive() and not self.dialog.isVisible():
                self.dialog.show()  # QProgressDialog hides itself on Cancel; keep the window blocked

    def supersede(self) -> None:
        """A newer task of this kind started: stop, quietly, and drop whatever this one still delivers."""
        self.superseded = True
        if not self._ended:
            self.progress.cancelled = True
            self._end(CANCELLED_STATUS)

    def is_running(self) -> bool:
        return not self._ended

    def wait_for_worker(self, timeout: float | None = None) -> bool:
        """Block until the work itself has stopped (its outcome may not be delivered yet)."""
        return self._worker_done.wait(timeout)

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the work has ended and its outcome has been delivered (for tests)."""
        deadline = time.monotonic() + timeout
        if not self._worker_done.wait(timeout):
            return False
        while not self._ended and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return self._ended

    # -- on the GUI thread ---------------------------------------------------

    @Slot()
    def _show_dialog(self) -> None:
        if not self._ended and self.dialog is not None:
            self.dialog.show()

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, what: str) -> None:
        if self._ended or self.progress.cancelled:
            return
        self.last_progress = (done, total, what)
        if self._on_progress is not None:
            self._on_progress(done, total, what)
        if self.dialog is None:
            return
        self.dialog.setLabelText(f"{self.title}: {what}…")
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        if self.superseded:
            return
        self.result = result
        self._end("done")
        self._on_done(result)
        self.finished.emit(self.status)

    @Slot(str, str)
    def _failed(self, kind: str, text: str) -> None:
        if self.superseded:
            return
        if kind == "cancelled":
            self._end(CANCELLED_STATUS)
        elif kind == "error":
            self._end(text)
            if self._on_error is not None:
                self._on_error(text)
            else:
                self._tell(QMessageBox.Icon.Warning, text)
        else:
            where = log_bug(f"task {self.title!r}", text)
            detail = f" The details are in {where}." if where else ""
            self._end(f"{self.title} failed because of a bug in Curator; sorry.{detail}")
            self._tell(
                QMessageBox.Icon.Critical, f"Sorry: {self.title.lower()} failed because of a bug in Curator.{detail}"
            )
        self.finished.emit(self.status)

    def _end(self, status: str) -> None:
        self._ended = True
        self.status = status
        self._show_timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A window-modal message box that does not block the event loop."""
        box = QMessageBox(icon, self.title, text, QMessageBox.StandardButton.Ok, self._parent)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box


def run_task(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], T],
    on_done: Callable[[T], None],
    on_error: Callable[[str], None] | None = None,
    *,
    show_after_ms: int = SHOW_AFTER_MS,
) -> Task[T]:
    """Run ``work`` on the thread pool with a progress dialog; see the module's docstring."""
    return Task(parent, title, work, on_done, on_error, show_after_ms=show_after_ms)


class TaskRunner(QObject):
    """The window's one runner of long work: latest wins within a kind."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        #: The latest task of each kind.
        self.latest: dict[str, Task[Any]] = {}

    def run(
        self,
        kind: str,
        title: str,
        work: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_error: Callable[[str], None] | None = None,
        *,
        dialog: bool = True,
        on_progress: Callable[[int, int, str], None] | None = None,
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> Task[T]:
        """Start ``work``; a running task of the same ``kind`` is superseded."""
        self.supersede(kind)
        task: Task[T] = Task(
            self._parent,
            title,
            work,
            on_done,
            on_error,
            show_after_ms=show_after_ms,
            dialog=dialog,
            on_progress=on_progress,
        )
        self.latest[kind] = task
        return task

    def running(self, kind: str) -> Task[Any] | None:
        task = self.latest.get(kind)
        return task if task is not None and task.is_running() else None

    def supersede(self, kind: str) -> None:
        """Stop the running task of ``kind``, if any; what it still delivers is dropped."""
        task = self.running(kind)
        if task is not None:
            task.supersede()

    def stop_all(self) -> None:
        """Stop every task and wait for their workers (the window is closing)."""
        for task in self.latest.values():
            task.supersede()
        for task in self.latest.values():
            task.wait_for_worker()
