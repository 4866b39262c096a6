"""The Review menu's double-checking actions, wired to the main window.

    install(window) -> None

adds to ``window.review_menu``: Verify mode (Ctrl+Shift+V), Blind double
entry (Ctrl+Shift+B), Adjudication (Ctrl+Shift+J), History (Ctrl+H, a dock
beside the table) and Merge reviewer file…. The actions live on a
:class:`DoubleChecking` controller, a child of the window (found with
``window.findChild(DoubleChecking)``), which opens the views
(:mod:`curator.gui.verify_view`, :mod:`curator.gui.double_entry_view`,
:mod:`curator.gui.adjudication_view`, :mod:`curator.gui.history_view`) and
reloads the window's review after a view that changed it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

if TYPE_CHECKING:
    from curator.gui.adjudication_view import AdjudicationDialog
    from curator.gui.app import MainWindow
    from curator.gui.double_entry_view import DoubleEntryDialog
    from curator.gui.history_view import HistoryPanel
    from curator.gui.tasks import Task
    from curator.gui.verify_view import VerifyDialog
    from curator.progress import Progress
    from curator.services import MergeSummary

__all__ = ["install", "DoubleChecking", "merge_summary_text"]


def install(window: MainWindow) -> None:
    """Add the double-checking actions to the window's Review menu (once)."""
    if window.findChild(DoubleChecking, "double_checking") is None:
        DoubleChecking(window)


class DoubleChecking(QObject):
    """Verify mode, blind double entry, adjudication, history and merge for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from curator.gui.history_view import HistoryPanel

        self.setObjectName("double_checking")
        self.window = window
        self.history: HistoryPanel = HistoryPanel(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history)
        self.history.hide()
        #: The last message box the merge showed (its summary or its refusal).
        self.message_box: QMessageBox | None = None
        #: The last merge started (for tests to wait on).
        self.task: Task[MergeSummary] | None = None

        menu = window.review_menu
        menu.addSeparator()
        self.verify_action = self._action(
            "&Verify mode…",
            self.open_verify,
            "Ctrl+Shift+V",
            "Check the unverified rows field by field against the source: Enter confirms, F fixes, D disputes",
        )
        self.double_entry_action = self._action(
            "&Blind double entry…",
            self.open_double_entry,
            "Ctrl+Shift+B",
            "Enter the current row's values again without seeing them; differences go to adjudication",
        )
        self.adjudication_action = self._action(
            "Ad&judication…",
            self.open_adjudication,
            "Ctrl+Shift+J",
            "Decide the fields two reviewers entered differently",
        )
        self.history_action = self.history.toggleViewAction()
        self.history_action.setText("&History of the row")
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.setStatusTip("Show or hide the current row's changes from the audit log")
        menu.addAction(self.history_action)
        window.addAction(self.history_action)
        menu.addSeparator()
        self.merge_action = self._action(
            "&Merge reviewer file…",
            lambda: self.merge_file(),
            None,
            "Bring another reviewer's file in: agreement verifies, differences go to adjudication",
        )

    def _action(self, text: str, slot: Callable[[], object], shortcut: str | None, tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.review_menu.addAction(action)
        self.window.addAction(action)
        return action

    def _current(self) -> tuple[str, int] | None:
        key, position = self.window.comparison_key(), self.window.current_position()
        return None if key is None or position is None else (key, position)

    def _opened(self, dialog: QDialog) -> None:
        """Show a view window-modally; reload the review when it closes having changed it."""

        def closed(_result: int) -> None:
            if getattr(dialog, "changed", False):
                self.window.reload()
            self.history.refresh()

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(closed)
        dialog.open()

    def open_verify(self) -> VerifyDialog:
        """Verify mode, from the current row on."""
        from curator.gui.verify_view import VerifyDialog

        dialog = VerifyDialog(self.window, self.window.state, self._current())
        self._opened(dialog)
        return dialog

    def open_double_entry(self) -> DoubleEntryDialog | None:
        """Blind double entry of the current row."""
        from curator.gui.double_entry_view import DoubleEntryDialog

        place = self._current()
        if place is None:
            self.window.statusBar().showMessage("Select the row to enter again first", 5_000)
            return None
        dialog = DoubleEntryDialog(self.window, self.window.state, *place)
        self._opened(dialog)
        return dialog

    def open_adjudication(self) -> AdjudicationDialog:
        """The open adjudication items, side by side."""
        from curator.gui.adjudication_view import AdjudicationDialog

        dialog = AdjudicationDialog(self.window, self.window.state)
        self._opened(dialog)
        return dialog

    def merge_file(self, path: Path | None = None) -> Task[MergeSummary] | None:
        """Merge another reviewer's file into the review (asked for when ``path`` is None).

        The merge runs on a worker with its own connection, in one write
        transaction, behind a progress dialog whose Cancel rolls it back. A
        file that is not a review, or of another schema, is refused with the
        core's message and nothing is changed. Returns the running task
        (None when no file was chosen or it is the review itself).
        """
        from curator.services import ReviewService

        window = self.window
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                window,
                "Merge reviewer file",
                str(window.path.parent),
                "Reviews (*.sqlite *.db *.curator *.json *.xlsx);;All files (*)",
            )
            if not chosen:
                return None
            path = Path(chosen)
        if path.resolve() == Path(window.path).resolve():
            self._tell(
                QMessageBox.Icon.Warning,
                "Curator — not merged",
                f"{path}: is the review itself; merge another reviewer's file",
            )
            return None
        ours, who, theirs_path = Path(window.path), window.who, path

        def work(progress: Progress) -> MergeSummary:
            with ReviewService.open(ours, who) as review:  # a connection of the worker's own
                return review.checking.merge(theirs_path, progress=progress)

        def done(summary: MergeSummary) -> None:
            window.reload()
            window.undo_stack.clear()  # a merge is one audited change, not undone here
            self.history.refresh()
            window.statusBar().showMessage(f"Merged {theirs_path.name}", 10_000)
            self._tell(QMessageBox.Icon.Information, "Merged", merge_summary_text(summary, theirs_path))

        def failed(message: str) -> None:
            self._tell(QMessageBox.Icon.Warning, "Curator — not merged", message)

        self.task = window.tasks.run("merge", f"Merging {path.name}", work, done, failed)
        return self.task

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box


def merge_summary_text(summary: MergeSummary, path: Path) -> str:
    """What a merge did, in a few lines."""
    lines = [f"Merged {path.name}:", *(f"• {line}" for line in summary.lines("Review ▸ Adjudication"))]
    return "\n".join(lines)
